"""Snapshots of the reply pane's states: findings, the send-anyway dialog, the undo window,
the canned replies. The draft is put in at once (typing it key by key is what test_reply does,
and costs seconds per snapshot here); the rest is keys, on the demo workspace, clock frozen.

Update with `pytest tests/ui/test_reply_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from tests.pilot import press_and_settle, settle
from tests.ui.snapshots import RunBefore, ScreenMatches, keys_then_settle
from webcare_tui.ui.screens.reply import ReplyScreen

RUDE = "Wat wil je nou?"
KIND = "Sorry, ik zoek het uit."


def draft_then(text: str, *keys: str) -> RunBefore:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await press_and_settle(pilot, "j", "r")
        screen = pilot.app.screen
        assert isinstance(screen, ReplyScreen)
        screen.area.insert(text)
        await keys_then_settle(*keys)(pilot)

    return run_before


STATES = {
    "findings": (draft_then(RUDE), [(80, 24), (120, 40)]),
    "sending": (draft_then(KIND, "ctrl+s"), [(80, 24), (120, 40)]),
    "confirm": (draft_then(RUDE, "ctrl+s"), [(80, 24)]),
    "canned": (draft_then("", "ctrl+t"), [(80, 24)]),
    "quit-with-a-reply-waiting": (draft_then(KIND, "ctrl+s", "q"), [(80, 24), (120, 40)]),
    "feed-with-a-reply-on-its-way": (
        draft_then(KIND, "ctrl+s", "escape", "escape"),
        [(80, 24), (120, 40)],
    ),
}
CASES = [(name, size) for name, (_, sizes) in STATES.items() for size in sizes]


@pytest.mark.parametrize(("state", "size"), CASES, ids=[f"{n}-{w}x{h}" for n, (w, h) in CASES])
def test_reply_state(screen_matches: ScreenMatches, state: str, size: tuple[int, int]) -> None:
    run_before, _ = STATES[state]
    assert screen_matches(size, run_before)
