"""Quitting with a reply in its undo window asks what to do with it, and does exactly that."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from tests.fakes.clock import FakeClock
from tests.pilot import press_and_settle, running, settle
from tests.ui.test_reply import KIND, queue_kind
from webcare_tui.core.model import ThreadState
from webcare_tui.core.outbox import OutboxState
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.dialogs.quit_pending import QuitWithPendingDialog


async def queue_and_quit(app: WebcareApp, pilot: Pilot[None]) -> int:
    thread_id = await queue_kind(pilot)
    await press_and_settle(pilot, "q")
    assert isinstance(app.screen, QuitWithPendingDialog)
    return thread_id


async def quit_choosing(app: WebcareApp, key: str) -> tuple[int, str]:
    """Queue a reply, quit, and answer the quit dialog with `key`; the app has ended by the
    return. Returns the reply's thread and what the dialog said."""
    async with app.run_test(size=(80, 24)) as pilot:
        thread_id = await queue_and_quit(app, pilot)
        said = _dialog_text(app)
        await pilot.press(key)
        await app.workers.wait_for_complete()
        await settle(pilot)
    return thread_id, said


async def test_send_now_sends_the_reply_before_quitting(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    thread_id, _ = await quit_choosing(app, "s")
    [item] = app.store.outbox_items(thread_id)
    assert item.state is OutboxState.SENT and item.remote_id
    assert app.store.thread(thread_id).state is ThreadState.REPLIED


async def test_take_back_puts_the_text_in_the_draft_and_sends_nothing(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    thread_id, _ = await quit_choosing(app, "t")
    [item] = app.store.outbox_items(thread_id)
    assert item.state is OutboxState.CANCELLED
    assert KIND in app.store.draft(thread_id, app.config.agent)
    assert app.store.thread(thread_id).state is ThreadState.OPEN


async def test_leave_it_quits_with_the_reply_queued_for_the_poller(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    thread_id, said = await quit_choosing(app, "l")
    assert "no poller runs now" in said
    [item] = app.store.outbox_items(thread_id)
    assert item.state is OutboxState.QUEUED


async def test_escape_stays_in_the_app_with_the_reply_still_queued(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        thread_id = await queue_and_quit(app, pilot)
        await press_and_settle(pilot, "escape")
        assert not isinstance(app.screen, QuitWithPendingDialog) and app.is_running
        [item] = app.store.outbox_items(thread_id)
        assert item.state is OutboxState.QUEUED


async def test_quitting_with_nothing_waiting_asks_nothing(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    async with running(app, size=(80, 24)) as pilot:
        await press_and_settle(pilot, "q")
        assert not app.is_running


def _dialog_text(app: WebcareApp) -> str:
    from textual.widgets import Label

    return " ".join(str(label.content) for label in app.screen.query(Label))
