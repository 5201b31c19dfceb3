"""What the snapshot tests share: the two terminal sizes, and keys pressed before the shot.

The comparison itself is the `screen_matches` fixture (tests/ui/conftest.py). Test names and
parameter ids name the stored snapshots: keep them when moving a test.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from tests.pilot import press_and_settle, settle

RunBefore = Callable[[Pilot[None]], Awaitable[None]]
ScreenMatches = Callable[..., bool]  # the `screen_matches` fixture

SIZES = [(80, 24), (120, 40)]
at_both_sizes = pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")


def keys_then_settle(*keys: str) -> RunBefore:
    """Settle, then press each key and settle after each: what an agent sees, key by key."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await press_and_settle(pilot, key)

    return run_before
