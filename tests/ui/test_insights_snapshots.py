"""Snapshots of the snooze and tag dialogs and the report screen, at 80x24 and 120x40, on the
demo workspace with a frozen clock.

Update with `pytest tests/ui/test_insights_snapshots.py --snapshot-update` after a deliberate
change, and look at the report before committing.
"""

from __future__ import annotations

import pytest

from tests.ui.snapshots import ScreenMatches, at_both_sizes, keys_then_settle

SCREENS = {
    "snooze": ("s",),
    "tag": ("j", "t", "2"),
    "report": ("R",),
    "report-what-if": ("R", "w", *"first_response=2h", "enter"),
}


@at_both_sizes
@pytest.mark.parametrize("screen", list(SCREENS))
def test_insights_screen(screen_matches: ScreenMatches, screen: str, size: tuple[int, int]) -> None:
    assert screen_matches(size, keys_then_settle(*SCREENS[screen]))
