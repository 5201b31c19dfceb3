"""Shared fixtures: a frozen clock, a temporary store and the demo workspace loaded into it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from webcare_tui.config import Config, demo_config
from webcare_tui.connectors.demo import DemoConnector
from webcare_tui.store import Store

# A Monday morning in Amsterdam (10:00 local), so open-hours windows are running.
FROZEN_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def agent_is_ab(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs as agent AB, whoever runs the suite: snapshots show `^AB`, not a login."""
    monkeypatch.setenv("WEBCARE_AGENT", "AB")


@pytest.fixture
def now() -> datetime:
    return FROZEN_NOW


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "webcare.db")
    yield store
    store.close()


@pytest.fixture
def demo() -> Config:
    return demo_config()


def load_demo(store: Store, config: Config, now: datetime = FROZEN_NOW) -> int:
    """Replay the whole demo workspace into `store`, as if its first minute had passed."""
    clock = config.clock()
    total = 0
    for settings in config.connectors:
        start = now - timedelta(seconds=90)
        connector = DemoConnector(settings, now=lambda start=start: start)
        first = asyncio.run(connector.fetch(None))
        connector.now = lambda: now
        second = asyncio.run(connector.fetch(first.cursor))
        for batch in (first, second):
            result = store.ingest(
                settings.name,
                settings.channel,
                batch.messages,
                clock=clock,
                seen_at=now,
                cursor=batch.cursor,
            )
            total += result.new_messages
    return total


@pytest.fixture
def demo_store(store: Store, demo: Config) -> Store:
    load_demo(store, demo)
    return store
