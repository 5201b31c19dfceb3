"""Fixtures every test folder shares: one frozen `now`, one clock that moves when told, a
temporary store, the demo workspace, and the fake platforms (real HTTP servers on 127.0.0.1)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.fakes.bluesky import FakeBluesky
from tests.fakes.clock import FROZEN_NOW, FakeClock
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.server import FakeServer, serving
from tests.fakes.x import FakeX
from webcare_tui.config import Config, demo_config
from webcare_tui.connectors.demo import DemoConnector
from webcare_tui.core.clock import ResponseClock
from webcare_tui.store import Store

# Short, so a hanging server costs a test about a second; long enough that a loaded CI
# machine answering a plain local request never trips it (0.3 s did, under load).
CLIENT_TIMEOUT = httpx.Timeout(1.0)


@pytest.fixture(autouse=True)
def agent_is_ab(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs as agent AB, whoever runs the suite: snapshots show `^AB`, not a login."""
    monkeypatch.setenv("WEBCARE_AGENT", "AB")


@pytest.fixture
def now() -> datetime:
    return FROZEN_NOW


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(FROZEN_NOW)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "webcare.db")
    yield store
    store.close()


@pytest.fixture
def demo() -> Config:
    return demo_config()


@pytest.fixture
def response_clock() -> ResponseClock:
    return demo_config().clock()


def frozen_at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def load_demo(store: Store, config: Config, now: datetime = FROZEN_NOW) -> int:
    """Replay the whole demo workspace into `store`, as if its first minute had passed."""
    clock = config.clock()
    total = 0
    for settings in config.connectors:
        start = now - timedelta(seconds=90)
        connector = DemoConnector(settings, now=frozen_at(start))
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


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=CLIENT_TIMEOUT) as client:
        yield client


@pytest.fixture
def mastodon() -> Iterator[tuple[FakeMastodon, FakeServer]]:
    yield from serving(FakeMastodon(max_page=3))  # small pages, so that every poll pages


@pytest.fixture
def bluesky() -> Iterator[tuple[FakeBluesky, FakeServer]]:
    yield from serving(FakeBluesky())


@pytest.fixture
def x_api() -> Iterator[tuple[FakeX, FakeServer]]:
    yield from serving(FakeX())
