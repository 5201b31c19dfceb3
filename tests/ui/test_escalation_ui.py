"""Escalating from the TUI: `e` to each target, `n`, `x`, the callbacks view `c` and `E`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle, running, settle
from webcare_tui.core.model import ThreadState
from webcare_tui.store import Store
from webcare_tui.store.base import ALL_ACTIVE
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.dialogs.escalate import EscalateDialog
from webcare_tui.ui.screens.escalation_lists import CallbacksScreen, EscalationsScreen
from webcare_tui.ui.widgets.thread_feed import ThreadFeed
from webcare_tui.ui.widgets.thread_view import ThreadView

PHONE = "06 12345678"


def current_thread(app: WebcareApp) -> int:
    chosen = app.screen.query_one(ThreadFeed).highlighted
    assert chosen is not None
    return chosen.id


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if c == " " else c for c in text))


async def choose_target(pilot: Pilot[None], target: str) -> EscalateDialog:
    await press_and_settle(pilot, "e")
    dialog = pilot.app.screen
    assert isinstance(dialog, EscalateDialog)
    options = dialog.query_one(OptionList)
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.highlighted = ids.index(target)
    await press_and_settle(pilot, "enter")
    return dialog


async def test_e_offers_the_configured_teams_and_a_team_needs_a_note(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    app = build_app()
    async with running(app, size=(120, 40), notifications=True) as pilot:
        thread = current_thread(app)
        dialog = await choose_target(pilot, "team:distribution")
        options = dialog.query_one(OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids == ["phone", "dm", *(f"team:{t}" for t in app.config.escalation_teams)]
        await pilot.press("enter")  # no note yet: refused, the dialog stays
        assert app.screen is dialog
        await type_text(pilot, "krant kwijt")
        dialog.query_one("#promise", Input).value = "16:00"
        await press_and_settle(pilot, "enter")
        escalated = demo_store.thread(thread)
        assert escalated.state is ThreadState.ESCALATED
        assert escalated.escalated_to == "team:distribution"
        assert escalated.due_at == FROZEN_NOW.replace(hour=15)  # the promise: 16:00 local
        assert [n.text for n in demo_store.notes(thread)][-1] == "krant kwijt"
        app.open_thread(thread)
        await settle(pilot)
        meta = app.screen.query_one(ThreadView).query_one(".meta", Static)
        assert "at distribution since Mon 23 Nov 10:00" in str(meta.render())


async def test_e_to_phone_keeps_the_number_and_adds_the_call(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    app = build_app()
    async with running(app, size=(120, 40), notifications=True) as pilot:
        thread = current_thread(app)
        dialog = await choose_target(pilot, "phone")
        assert dialog.focused is dialog.query_one("#phone", Input)
        await type_text(pilot, PHONE)
        dialog.query_one("#call_at", Input).value = "14:00"
        await press_and_settle(pilot, "enter")
        [call] = demo_store.callbacks()
        assert call.thread_id == thread and call.phone == PHONE
        assert call.due_at == FROZEN_NOW.replace(hour=13)  # 14:00 in Amsterdam
        assert demo_store.thread(thread).escalated_to == "phone"


async def test_e_to_dm_queues_both_texts_editable_and_signed(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    app = build_app()
    async with running(app, size=(120, 40), notifications=True) as pilot:
        thread = current_thread(app)
        dialog = await choose_target(pilot, "dm")
        dm = dialog.query_one("#dm", Input)
        assert dm.value.startswith("Hoi ") and dm.value.endswith("^AB")
        dm.value = "Hoi, stuur je ordernummer even? ^AB"
        await press_and_settle(pilot, "enter")
        items = demo_store.outbox_items(thread)
        assert [(i.private, i.text) for i in items] == [
            (True, "Hoi, stuur je ordernummer even? ^AB"),
            (False, dialog.public_text),
        ]
        assert demo_store.thread(thread).escalated_to == "dm"


async def test_n_adds_a_private_note_and_x_resolves_with_outcome_and_tags(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    app = build_app()
    async with running(app, size=(120, 40), notifications=True) as pilot:
        thread = current_thread(app)
        await press_and_settle(pilot, "n")
        await type_text(pilot, "belt morgen terug")
        await press_and_settle(pilot, "enter")
        assert [n.text for n in demo_store.notes(thread)][-1] == "belt morgen terug"
        await press_and_settle(pilot, "x")
        await type_text(pilot, "opgelost")
        await pilot.press("enter")
        await type_text(pilot, "delivery")
        await press_and_settle(pilot, "enter")
        assert demo_store.thread(thread).state is ThreadState.RESOLVED
        assert demo_store.events(thread)[-1].detail == "opgelost; tags: delivery"
        assert thread not in [t.id for t in demo_store.feed_slice(ALL_ACTIVE, 0, 1000)]


def phone_escalations(store: Store, app: WebcareApp, count: int) -> list[int]:
    """Escalate the first `count` threads to phone, calls an hour apart."""
    threads = [t.id for t in store.feed_slice(ALL_ACTIVE, 0, count)]
    for n, thread in enumerate(threads):
        store.escalate(thread, "phone", actor="AB", now=FROZEN_NOW, clock=app.clock)
        store.add_callback(
            thread, f"06 1234 56{n:02d}", due_at=FROZEN_NOW + timedelta(hours=n + 1),
            note=f"call {n}", actor="AB", now=FROZEN_NOW,
        )  # fmt: skip
    return threads


async def test_c_lists_calls_soonest_first_and_done_asks_for_the_outcome(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    app = build_app()
    phone_escalations(demo_store, app, 2)
    async with running(app, size=(120, 40), notifications=True) as pilot:
        await press_and_settle(pilot, "c")
        screen = app.screen
        assert isinstance(screen, CallbacksScreen)
        options = screen.query_one(OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(2)]
        assert "call 0" in rows[0] and "1h" in rows[0] and "call 1" in rows[1]
        await press_and_settle(pilot, "d")
        await pilot.press("enter")  # no outcome: refused
        await type_text(pilot, "bereikt")
        await press_and_settle(pilot, "enter")
        [left] = demo_store.callbacks()
        assert left.note == "call 1"
        assert app.screen is screen and options.option_count == 1


async def test_E_lists_escalations_by_follow_up_with_where_and_who(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    app = build_app()
    [first, second] = phone_escalations(demo_store, app, 2)
    demo_store.escalate(second, "team:pr", actor="AB", now=FROZEN_NOW, clock=app.clock, note="x")
    async with running(app, size=(120, 40), notifications=True) as pilot:
        await press_and_settle(pilot, "E")
        screen = app.screen
        assert isinstance(screen, EscalationsScreen)
        options = screen.query_one(OptionList)
        rows = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert len(rows) == 2
        assert any(f"#{second}" in r and " pr " in r for r in rows)
        assert any(f"#{first}" in r and "phone" in r for r in rows)
        await press_and_settle(pilot, "enter")
        assert type(app.screen).__name__ == "ThreadScreen"
