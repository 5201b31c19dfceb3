"""Fixtures for the connector tests: real local servers and a client with a short timeout."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

# Short, so a hanging server costs a test a fraction of a second.
CLIENT_TIMEOUT = httpx.Timeout(0.3)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT) as client:
        yield client
