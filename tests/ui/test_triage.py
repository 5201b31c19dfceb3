"""Off-hours triage (`T`, `webcare --triage`): what came in overnight, one thread at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.widgets import Static

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle
from tests.ui.snapshots import ScreenMatches, at_both_sizes, keys_then_settle
from webcare_tui.config import Config
from webcare_tui.core.model import IncomingMessage
from webcare_tui.store import Store
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.screens.triage import TriageScreen

# FROZEN_NOW is Monday 10:00 in Amsterdam; the forum is open mon-fri 09:00-17:00.
OVERNIGHT = [
    ("n1", "nachtuil", "Mijn krant is weer niet bezorgd!", timedelta(hours=12)),  # Sun 22:00
    ("n2", "vroegevogel", "Kan ik mijn abonnement pauzeren?", timedelta(hours=4)),  # Mon 06:00
]


def overnight(store: Store, demo: Config) -> list[int]:
    messages = [
        IncomingMessage(remote_id=rid, author=who, text=text, created_at=FROZEN_NOW - ago)
        for rid, who, text, ago in OVERNIGHT
    ]
    result = store.ingest("demo-forum", "forum", messages, clock=demo.clock(), seen_at=FROZEN_NOW)
    return list(result.new_threads)


open_triage = keys_then_settle("T")


def shown(app: WebcareApp) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))


async def test_triage_shows_overnight_threads_with_arrival_and_wait_and_decides_in_one_key(
    build_app: Callable[..., WebcareApp], demo_store: Store, demo: Config
) -> None:
    threads = overnight(demo_store, demo)
    app = build_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_triage(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        # What came in while closed (the demo's older forum posts too); nothing from open hours.
        assert set(threads) <= set(screen.ids)
        clock = demo.clock()
        for thread_id in screen.ids:
            item = app.workspace.triage.item(thread_id)
            assert item.arrived is not None and not clock.is_open(item.thread.channel, item.arrived)
        total = len(screen.ids)
        text = shown(app)
        assert f"Triage 1/{total}" in text and "escape back" in text
        assert "waited" in text and "open time left" in text and "arrived" in text
        first = screen.current_thread_id()
        assert first is not None

        await press_and_settle(pilot, "n")  # next shift: unassigned, with a note; out of the queue
        assert first not in screen.ids and len(screen.ids) == total - 1
        assert demo_store.handover_notes([first])[first].text.startswith("for the next shift")
        assert f"Triage 1/{total - 1}" in shown(app)

        second = screen.current_thread_id()
        await pilot.press("i")
        await press_and_settle(pilot, *"spam", "enter")
        assert second not in screen.ids and len(screen.ids) == total - 2
        assert demo_store.thread(second).state.value == "ignored"  # type: ignore[arg-type]
        await press_and_settle(pilot, "escape")
        assert not isinstance(app.screen, TriageScreen)


async def test_triage_snoozes_in_one_key_and_the_thread_leaves_the_queue(
    build_app: Callable[..., WebcareApp], demo_store: Store, demo: Config
) -> None:
    overnight(demo_store, demo)
    app = build_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_triage(pilot)
        screen = app.screen
        assert isinstance(screen, TriageScreen)
        total = len(screen.ids)
        first = screen.current_thread_id()
        assert first is not None

        await press_and_settle(pilot, "s", "escape")  # cancelled: nothing changes
        assert app.screen is screen
        assert isinstance(screen, TriageScreen) and first in screen.ids
        assert demo_store.thread(first).state.value != "snoozed"

        await press_and_settle(pilot, "s", "1")  # for 2 hours
        assert app.screen is screen
        assert first not in screen.ids and len(screen.ids) == total - 1
        assert demo_store.thread(first).state.value == "snoozed"
        assert f"Triage 1/{total - 1}" in shown(app)
        assert any(f"#{first} snoozed" in n.message for n in app._notifications)


@at_both_sizes
def test_triage_snapshot(
    screen_matches: ScreenMatches, demo_store: Store, demo: Config, size: tuple[int, int]
) -> None:
    overnight(demo_store, demo)
    assert screen_matches(size, open_triage)
