"""The thread view names the priority's reason and lists the customer's earlier threads;
a digit opens one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle, running, settle
from webcare_tui.core.model import IncomingMessage, ThreadState
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.screens.thread import ThreadScreen
from webcare_tui.ui.widgets.thread_view import ThreadView


def view_text(app: WebcareApp) -> str:
    view = app.screen.query_one(ThreadView)
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
