"""`O` cycles the feed's order: due time, priority, real waiting time, and back; the header
says which."""

from __future__ import annotations

from collections.abc import Callable

from tests.pilot import press_and_settle, running, settle, until
from tests.ui.test_query_filter import shown_ids
from webcare_tui.services.feed_pager import FeedFilter, FeedOrder
from webcare_tui.services.insights import thread_insights
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.widgets.inbox_header import InboxHeader
from webcare_tui.ui.widgets.thread_feed import ThreadFeed


async def test_o_cycles_due_priority_and_waiting_time(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    store = app.store
    by_due = [t.id for t in store.feed_keyed(FeedFilter(), limit=500).threads]
    threads = store.feed_keyed(FeedFilter(), limit=500).threads
    scores = {i: insight.priority.score for i, insight in thread_insights(store, threads).items()}
    by_priority = sorted(by_due, key=lambda i: -scores[i])  # a stable sort: ties stay by due
    assert by_priority != by_due
    by_wait = [
        t.id for t in store.feed_keyed(FeedFilter(order=FeedOrder.WAITING), limit=500).threads
    ]
    assert by_due != by_wait  # the demo has a customer who waits longer than the clock says
    async with running(app, size=(120, 40)) as pilot:
        feed = app.screen.query_one(ThreadFeed)
        header = app.screen.query_one(InboxHeader)
        assert shown_ids(feed) == by_due
        assert "sort:" not in header.render().plain

        for order, label in ((by_priority, "priority"), (by_wait, "longest waiting")):
            await press_and_settle(pilot, "O")
            assert shown_ids(feed) == order
            assert f"sort: {label}" in header.render().plain

            await press_and_settle(pilot, "slash", *"a")
            shown = shown_ids(feed)
            assert shown and shown == [i for i in order if i in shown]  # filtered, same order
            await press_and_settle(pilot, "escape")
            assert shown_ids(feed) == order  # clearing a filter keeps the order

        await press_and_settle(pilot, "O")
        assert shown_ids(feed) == by_due
        assert "sort:" not in header.render().plain


async def test_threads_are_scored_behind_the_first_page_before_o_is_pressed(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    priority = FeedFilter(order=FeedOrder.PRIORITY)
    assert app.store.unscored(priority) > 0  # an older database: nothing stored yet
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: app.store.unscored(priority) == 0)
        assert app.store.unscored(priority) == 0
        assert app.screen.query_one(InboxHeader).order is FeedOrder.DUE
