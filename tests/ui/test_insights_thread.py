"""The thread view names the priority's reason and lists the customer's earlier threads;
a digit opens one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.widgets import Input

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle, running, settle, until
from webcare_tui.core.model import IncomingMessage, ThreadState
from webcare_tui.services.feed_pager import FeedFilter
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.screens.thread import ThreadScreen
from webcare_tui.ui.widgets.thread_feed import ThreadFeed
from webcare_tui.ui.widgets.thread_view import ThreadView


def view_text(app: WebcareApp) -> str:
    view = app.screen.query(ThreadView).first()
    return "\n".join(str(child.render()) for child in view.children)


async def test_earlier_threads_by_date_and_a_digit_opens_one(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    store, who = app.store, "piet@example.social"
    day, minute = timedelta(days=1), timedelta(minutes=1)
    messages = [
        IncomingMessage("p1", who, "My paper is wet", FROZEN_NOW - 3 * day),
        IncomingMessage("p2", who, "No puzzle page today", FROZEN_NOW - 2 * day),
        IncomingMessage("p4", who, "Still no paper, third time!", FROZEN_NOW - 5 * minute),
    ]  # fmt: skip
    store.ingest("demo-mastodon", "mastodon", messages, clock=app.clock, seen_at=FROZEN_NOW)
    ids = {store.thread_of_message("demo-mastodon", m.remote_id): m.text for m in messages}
    wet = next(i for i, text in ids.items() if text.startswith("My paper"))
    puzzle = next(i for i, text in ids.items() if text.startswith("No puzzle"))
    latest = next(i for i, text in ids.items() if text.startswith("Still"))
    assert wet is not None and puzzle is not None and latest is not None
    store.set_state(wet, ThreadState.RESOLVED, actor="MK", now=FROZEN_NOW, reason="new paper sent")
    async with running(app, size=(80, 24)) as pilot:
        app.push_screen(ThreadScreen(app.workspace, latest))
        await settle(pilot)
        text = view_text(app)
        assert "earlier threads" in text
        assert "why: " in text  # the priority, in plain words
        # Newest first, each with its topic and how it ended.
        assert text.index("No puzzle page today") < text.index("My paper is wet")
        assert "resolved: new paper sent" in text
        await press_and_settle(pilot, "2")
        assert app.screen.query_one(ThreadView).thread_id == wet
        assert isinstance(app.screen, ThreadScreen) and app.screen.current_thread_id() == wet


async def test_a_digit_from_the_feed_opens_an_earlier_thread_beside_it(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    store, who = app.store, "piet@example.social"
    messages = [
        IncomingMessage("p1", who, "My paper is wet", FROZEN_NOW - timedelta(days=2)),
        IncomingMessage("p2", who, "Still no paper, third time!", FROZEN_NOW - timedelta(hours=1)),
    ]  # fmt: skip
    store.ingest("demo-mastodon", "mastodon", messages, clock=app.clock, seen_at=FROZEN_NOW)
    wet = store.thread_of_message("demo-mastodon", "p1")
    latest = store.thread_of_message("demo-mastodon", "p2")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        feed = app.screen.query_one(ThreadFeed)
        feed.set_filter(FeedFilter(query="third"))
        await settle(pilot)
        assert feed.highlighted is not None and feed.highlighted.id == latest
        await pilot.press("enter")
        await settle(pilot)
        side = app.screen.query_one("#side", ThreadView)
        await until(pilot, lambda: side.detail is not None and bool(side.detail.earlier))
        assert app.focused is feed
        await pilot.press("1")
        await settle(pilot)
        assert side.thread_id == wet
        assert "My paper is wet" in view_text(app)
        assert app.focused is feed and feed.highlighted.id == latest  # the feed stays put

        await pilot.press("slash", "1")  # in the filter box a digit is typed, not a jump
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).value == "1"
