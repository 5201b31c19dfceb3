"""The feed marks a thread whose reply is on its way, and the mark goes once it is sent."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from tests.fakes.clock import FakeClock
from tests.pilot import press_and_settle, settle
from tests.ui.test_reply import advance, queue_kind
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.screens.inbox import InboxScreen
from webcare_tui.ui.widgets.thread_feed import ThreadFeed


async def back_to_the_feed(pilot: Pilot[None]) -> ThreadFeed:
    app = pilot.app
    while not isinstance(app.screen, InboxScreen):
        await press_and_settle(pilot, "escape")
    return app.screen.query_one(ThreadFeed)


def row_text(feed: ThreadFeed, thread_id: int) -> str:
    for y in range(feed.size.height):
        index = feed.top + y
        thread = feed.rows.get(index)
        if thread is not None and thread.id == thread_id:
            return feed.render_line(y).text
    raise AssertionError(f"thread {thread_id} is not in view")


async def test_a_reply_in_its_undo_window_is_marked_in_the_feed_until_sent(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        thread_id = await queue_kind(pilot)
        feed = await back_to_the_feed(pilot)
        assert "↑sending" in row_text(feed, thread_id)
        others = [t for t in feed.rows.pages[0].threads if t.id != thread_id]
        assert all("↑" not in row_text(feed, t.id) for t in others[:5])
        await advance(pilot, clock, 10)
        app.send_outbox()  # what the app's one-second interval does once the window is over
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert "↑" not in row_text(feed, thread_id)
        assert "replied" in row_text(feed, thread_id)
