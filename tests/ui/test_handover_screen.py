"""The hand-over screen (`H`): what runs out before the next opening, and a note in one key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.widgets import OptionList, Static

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle, running, settle
from tests.ui.snapshots import ScreenMatches, at_both_sizes, keys_then_settle
from webcare_tui.store import Store
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.screens.handover import HandoverScreen
from webcare_tui.ui.screens.thread import ThreadScreen


def prepare(store: Store) -> int:
    first = store.feed_page()[0].id
    store.save_draft(first, "CD", "Ik zoek het uit en kom erop terug", now=FROZEN_NOW)
    store.add_callback(
        first, "+31 6 1234 5678", due_at=FROZEN_NOW + timedelta(minutes=30),
        note="[b]factuur[/b]", actor="AB", now=FROZEN_NOW,
    )  # fmt: skip
    store.add_callback(
        first, "+31 6 8765 4321", due_at=FROZEN_NOW + timedelta(days=20), note="volgende maand",
        actor="AB", now=FROZEN_NOW,
    )  # fmt: skip
    return first


open_handover = keys_then_settle("H")


async def test_a_note_left_on_the_handover_screen_shows_to_whoever_opens_the_thread(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    first = prepare(demo_store)
    app = build_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_handover(pilot)
        screen = app.screen
        assert isinstance(screen, HandoverScreen) and screen.report is not None
        assert screen.report.threads, "the demo has threads due before the next opening"
        ids = [t.thread.id for t in screen.report.threads]
        options = screen.query_one(OptionList)
        options.highlighted = ids.index(first)
        await pilot.press("n")
        await press_and_settle(pilot, *"Belt om 11:00 terug", "enter")
        assert demo_store.handover_notes([first])[first].text == "Belt om 11:00 terug"
        await press_and_settle(pilot, "escape")
    # The next agent opens the thread: the note is there, above the conversation.
    other = build_app()
    async with running(other, size=(80, 24)) as pilot:
        other.open_thread(first)
        await settle(pilot)
        assert isinstance(other.screen, ThreadScreen)
        said = [str(s.render()) for s in other.screen.query(".handover-note")]
        assert len(said) == 1 and "Belt om 11:00 terug" in said[0] and "AB" in said[0]


async def test_the_handover_screen_lists_callbacks_due_before_the_next_opening(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    first = prepare(demo_store)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_handover(pilot)
        calls = app.screen.query_one("#handover-callbacks", Static)
        assert calls.display
        shown = str(calls.render())
        assert f"#{first} call +31 6 1234 5678" in shown
        assert "[b]factuur[/b]" in shown  # a stranger's text stays literal
        assert "8765" not in shown  # due long after the next opening


@at_both_sizes
def test_handover_snapshot(
    screen_matches: ScreenMatches, demo_store: Store, size: tuple[int, int]
) -> None:
    prepare(demo_store)
    assert screen_matches(size, open_handover)
