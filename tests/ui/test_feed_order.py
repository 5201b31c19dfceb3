"""`O` cycles the feed's order: due time, real waiting time, and back; the header says which."""

from __future__ import annotations

from collections.abc import Callable

from tests.pilot import press_and_settle, running
from tests.ui.test_query_filter import shown_ids
from webcare_tui.services.feed_pager import FeedFilter, FeedOrder
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.widgets.inbox_header import InboxHeader
from webcare_tui.ui.widgets.thread_feed import ThreadFeed


async def test_o_cycles_due_and_waiting_time(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    store = app.store
    by_due = [t.id for t in store.feed_keyed(FeedFilter(), limit=500).threads]
    by_wait = [
        t.id for t in store.feed_keyed(FeedFilter(order=FeedOrder.WAITING), limit=500).threads
    ]
    assert by_due != by_wait  # the demo has a customer who waits longer than the clock says
    async with running(app, size=(120, 40)) as pilot:
        feed = app.screen.query_one(ThreadFeed)
        header = app.screen.query_one(InboxHeader)
        assert shown_ids(feed) == by_due
        assert "sort:" not in header.render().plain

        await press_and_settle(pilot, "O")
        assert shown_ids(feed) == by_wait
        assert "sort: longest waiting" in header.render().plain

        await press_and_settle(pilot, "slash", *"a")
        await press_and_settle(pilot, "escape")
        assert shown_ids(feed) == by_wait  # clearing a filter keeps the order

        await press_and_settle(pilot, "O")
        assert shown_ids(feed) == by_due
        assert "sort:" not in header.render().plain
