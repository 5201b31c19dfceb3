"""Fixtures for the poller tests: a controllable clock, and the connector tests' fake platforms
(real HTTP servers on 127.0.0.1) reused as they are."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import FROZEN_NOW
from tests.services.helpers import FakeClock
from webcare_tui.config import demo_config
from webcare_tui.core.clock import ResponseClock

# The fake platforms live beside the connector tests, which import them as top-level modules
# (that directory has no __init__.py); put it on the path the same way pytest does for them,
# so that both test directories share one copy of each module.
_CONNECTOR_TESTS = str(Path(__file__).resolve().parent.parent / "connectors")
if _CONNECTOR_TESTS not in sys.path:
    sys.path.insert(0, _CONNECTOR_TESTS)

from fake_bluesky import FakeBluesky  # noqa: E402
from fake_mastodon import FakeMastodon  # noqa: E402
from fakeserver import FakeServer  # noqa: E402

# Short, so a hanging server costs a test a fraction of a second.
CLIENT_TIMEOUT = httpx.Timeout(0.3)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FROZEN_NOW)


@pytest.fixture
def response_clock() -> ResponseClock:
    return demo_config().clock()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT) as client:
        yield client


@pytest.fixture
def mastodon() -> Iterator[tuple[FakeMastodon, FakeServer]]:
    fake = FakeMastodon(max_page=3)  # small pages, so that every poll pages
    with FakeServer(fake.handle) as server:
        fake.base_url = server.base_url
        yield fake, server


@pytest.fixture
def bluesky() -> Iterator[tuple[FakeBluesky, FakeServer]]:
    fake = FakeBluesky()
    with FakeServer(fake.handle) as server:
        yield fake, server
