"""The response clock as an agent sees it: why a due time, alerts when time runs out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle, running, settle
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.dialogs.explain import ExplainDialog
from webcare_tui.ui.dialogs.help import HelpDialog
from webcare_tui.ui.widgets.thread_feed import ThreadFeed


async def test_w_explains_the_due_time(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with running(app, size=(80, 24)) as pilot:
        await press_and_settle(pilot, "slash", *"forum", "enter")
        await press_and_settle(pilot, "w")
        assert isinstance(app.screen, ExplainDialog)
        text = "\n".join(app.screen.lines)
        assert "due" in text and "open time" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, ExplainDialog)


async def test_w_on_a_thread_without_clock_says_so(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with running(app, size=(80, 24)) as pilot:
        await press_and_settle(pilot, "end", "w")
        assert isinstance(app.screen, ExplainDialog)
        assert "No clock runs" in app.screen.lines[0]


async def test_crossing_into_overdue_notifies_once(build_app: Callable[..., WebcareApp]) -> None:
    clock = {"now": FROZEN_NOW}
    app = build_app(now=lambda: clock["now"])
    async with running(app, size=(80, 24), notifications=True) as pilot:
        app.check_alerts()
        await settle(pilot)
        assert app._notifications == [] or all(
            "overdue" not in n.message for n in app._notifications
        )
        feed = app.screen.query_one(ThreadFeed)
        shown = [feed.rows.get(i) for i in range(feed.rows.total)]
        calm = [
            t for t in shown if t and t.due_at and t.due_at > FROZEN_NOW + timedelta(minutes=20)
        ]
        clock["now"] = FROZEN_NOW + timedelta(hours=6)
        app.now = clock["now"]
        app.check_alerts()
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any(f"Thread #{calm[0].id} " in m and "overdue" in m for m in messages)
        count = len(messages)
        app.check_alerts()
        await settle(pilot)
        assert len(app._notifications) == count


async def test_help_shows_the_advertised_promise(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with running(app, size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpDialog)
        assert "We answer within 60 minutes" in app.screen.promise
        assert "We reageren binnen 60 minuten" in app.screen.promise
        assert any(keys == "w" for _, keys, _ in app.screen.rows)
