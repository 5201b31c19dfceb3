"""Snapshots of every screen at 80x24 and 120x40, on the demo workspace with a frozen clock.

Update with `pytest tests/ui/test_snapshots.py --snapshot-update` after a deliberate change,
and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from tests.pilot import press_and_settle, settle
from webcare_tui.ui.app import WebcareApp

SIZES = [(80, 24), (120, 40)]


def keys_then_settle(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await press_and_settle(pilot, key)

    return run_before


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


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(
    snap_compare: Callable[..., bool],
    build_app: Callable[..., WebcareApp],
    screen: str,
    size: tuple[int, int],
) -> None:
    app = build_app()
    assert snap_compare(app, terminal_size=size, run_before=keys_then_settle(*SCREENS[screen]))
