"""Snapshots of every screen at 80x24 and 120x40, on the demo workspace with a frozen clock.

Update with `pytest tests/ui/test_snapshots.py --snapshot-update` after a deliberate change,
and look at the report before committing.
"""

from __future__ import annotations

import pytest

from tests.ui.snapshots import ScreenMatches, at_both_sizes, keys_then_settle

SCREENS = {
    "feed": (),
    "thread": ("j", "j", "enter"),
    "help": ("question_mark",),
    "ignore": ("i",),
    "escalate": ("e",),
    "reply": ("j", "r"),
    "filter": ("slash", "f", "o", "r", "u", "m"),
    "why": ("slash", "f", "o", "r", "u", "m", "enter", "w"),
}


@at_both_sizes
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(screen_matches: ScreenMatches, screen: str, size: tuple[int, int]) -> None:
    assert screen_matches(size, keys_then_settle(*SCREENS[screen]))
