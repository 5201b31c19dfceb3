"""The feed's `/` filter speaks the query language: @me, #tag, state:, and words in any
message of a thread."""

from __future__ import annotations

from datetime import timedelta

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import settle
from webcare_tui.ui.widgets.thread_feed import ThreadFeed


async def test_at_me_keeps_my_threads_only(build_app) -> None:  # type: ignore[no-untyped-def]
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        feed = app.screen.query_one(ThreadFeed)
        mine = feed.rows.get(0).id
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("slash", *"@me")
        await settle(pilot)
        assert [feed.rows.get(i).id for i in range(feed.rows.total)] == [mine]


async def test_snoozed_and_tagged_threads_are_one_filter_away(build_app) -> None:  # type: ignore[no-untyped-def]
    app = build_app()
    store = app.store
    first, second = (t.id for t in store.feed_page(limit=2))
    store.snooze(first, FROZEN_NOW + timedelta(hours=2), actor="AB", now=FROZEN_NOW)
    store.tag(second, ["delivery"], actor="AB", now=FROZEN_NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        feed = app.screen.query_one(ThreadFeed)
        shown = {feed.rows.get(i).id for i in range(feed.rows.total)}
        assert first not in shown and second in shown
        await pilot.press("slash", *"state:snoozed")
        await settle(pilot)
        assert [feed.rows.get(i).id for i in range(feed.rows.total)] == [first]
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash", *"#delivery")
        await settle(pilot)
        assert [feed.rows.get(i).id for i in range(feed.rows.total)] == [second]
