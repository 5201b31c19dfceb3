"""The feed fills live: the poller runs inside the TUI and new threads appear with a notice."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import until
from webcare_tui.config import demo_config
from webcare_tui.services.poller import PollOutcome
from webcare_tui.store import Store
from webcare_tui.ui.app import make_app
from webcare_tui.ui.widgets.thread_feed import ThreadFeed


async def test_demo_threads_arrive_while_the_app_runs(tmp_path: Path) -> None:
    store = Store(tmp_path / "live.db")
    app = make_app(demo_config(), store, now=lambda: FROZEN_NOW, tick=False, watch_db=False)
    polled: list[PollOutcome] = []
    all_polled = asyncio.Event()
    original = app._poll_outcome

    def record(outcome: PollOutcome) -> None:
        original(outcome)
        polled.append(outcome)
        if len(polled) == len(app.config.connectors):
            all_polled.set()

    app._poll_outcome = record  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await asyncio.wait_for(all_polled.wait(), timeout=60)
        feed = app.screen.query_one(ThreadFeed)
        await until(pilot, lambda: feed.rows.total == store.feed_count())  # a worker reloads
        assert all(outcome.ok for outcome in polled)
        assert feed.rows.total == store.feed_count() > 0
        notices = [n.message for n in app._notifications]
        assert any("new thread" in text for text in notices)
        await pilot.press("q")
    store.close()
