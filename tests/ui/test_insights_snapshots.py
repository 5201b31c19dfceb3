"""Snapshots of the snooze and tag dialogs and the report screen, at 80x24 and 120x40, on the
demo workspace with a frozen clock.

Update with `pytest tests/ui/test_insights_snapshots.py --snapshot-update` after a deliberate
change, and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.ui.test_snapshots import SIZES, keys_then_settle
from webcare_tui.ui.app import WebcareApp

SCREENS = {
    "snooze": ("s",),
    "tag": ("j", "t", "2"),
    "report": ("R",),
    "report-what-if": ("R", "w", *"first_response=2h", "enter"),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_insights_screen(
    snap_compare: Callable[..., bool],
    build_app: Callable[..., WebcareApp],
    screen: str,
    size: tuple[int, int],
) -> None:
    app = build_app()
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle(*SCREENS[screen]))
