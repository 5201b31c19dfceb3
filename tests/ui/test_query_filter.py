"""The feed's `/` filter speaks the query language: @me, #tag, state:, and words in any
message of a thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle, running
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.widgets.thread_feed import ThreadFeed


def shown_ids(feed: ThreadFeed) -> list[int]:
    """The ids of the threads the feed lists, in its order."""
    threads = [feed.rows.get(i) for i in range(feed.rows.total)]
    return [thread.id for thread in threads if thread is not None]


async def test_at_me_keeps_my_threads_only(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with running(app, size=(80, 24)) as pilot:
        feed = app.screen.query_one(ThreadFeed)
        mine = shown_ids(feed)[0]
        await press_and_settle(pilot, "a")
        await press_and_settle(pilot, "slash", *"@me")
        assert shown_ids(feed) == [mine]


async def test_snoozed_and_tagged_threads_are_one_filter_away(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    store = app.store
    first, second = (t.id for t in store.feed_page(limit=2))
    store.snooze(first, FROZEN_NOW + timedelta(hours=2), actor="AB", now=FROZEN_NOW)
    store.tag(second, ["delivery"], actor="AB", now=FROZEN_NOW)
    async with running(app, size=(80, 24)) as pilot:
        feed = app.screen.query_one(ThreadFeed)
        shown = set(shown_ids(feed))
        assert first not in shown and second in shown
        await press_and_settle(pilot, "slash", *"state:snoozed")
        assert shown_ids(feed) == [first]
        await press_and_settle(pilot, "escape")
        await press_and_settle(pilot, "slash", *"#delivery")
        assert shown_ids(feed) == [second]
