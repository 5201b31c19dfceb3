"""Four eyes in the TUI: the thread shows a colleague's blocked reply, and `v` approves it."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import Static

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle, settle
from webcare_tui.core.outbox import NewReply, OutboxState, Override
from webcare_tui.store import Store
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.screens.thread import ThreadScreen
from webcare_tui.ui.widgets.thread_view import ThreadView

BLOCKED = "Wat wil je nou? [bold]echt[/bold]"


def _await_approval(store: Store, agent: str) -> tuple[int, int]:
    thread_id = store.feed_page()[0].id
    reply = NewReply(
        thread_id,
        agent,
        BLOCKED,
        send_after=FROZEN_NOW,
        idempotency_key=f"four-eyes-{agent}",
        override=(Override("tone.defensive", "sounds defensive"),),
        reason="quoting them",
    )
    item = store.queue_reply(reply, now=FROZEN_NOW, awaiting_approval=True)
    return thread_id, item.id


async def _open(pilot: Pilot[None], thread_id: int) -> None:
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, WebcareApp)
    await app.push_screen(ThreadScreen(app.workspace, thread_id))
    await settle(pilot)


async def _press_v(pilot: Pilot[None]) -> list[str]:
    """`v`, and the notices shown by then."""
    await press_and_settle(pilot, "v")
    return [n.message for n in pilot.app._notifications]


def _shown(app: WebcareApp) -> str:
    view = app.screen.query_one(ThreadView)
    return "\n".join(str(widget.content) for widget in view.query(Static))


async def test_a_colleagues_blocked_reply_shows_in_the_thread_and_v_approves_it(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    thread_id, item_id = _await_approval(demo_store, "MK")
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, thread_id)
        shown = _shown(app)
        assert "Waiting for approval" in shown and "by MK" in shown
        assert BLOCKED in shown and "tone.defensive: quoting them" in shown  # no markup
        notices = await _press_v(pilot)
        item = demo_store.outbox_item(item_id)
        assert item.state is OutboxState.QUEUED and item.approved_by == "AB"
        assert "Waiting for approval" not in _shown(app)
        assert any("approved" in n for n in notices)


async def test_ones_own_blocked_reply_is_not_approved_by_oneself(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    thread_id, item_id = _await_approval(demo_store, "AB")
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, thread_id)
        notices = await _press_v(pilot)
        assert demo_store.outbox_item(item_id).state is OutboxState.AWAITING_APPROVAL
        assert any("a colleague approves it" in n for n in notices)
        assert "Waiting for approval" in _shown(app)


async def test_v_on_a_thread_with_nothing_waiting_says_so(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    thread_id = demo_store.feed_page()[0].id
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, thread_id)
        assert any("waits for approval" in n for n in await _press_v(pilot))
