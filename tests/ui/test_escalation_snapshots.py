"""Snapshots of the callbacks view (`c`) and the escalations view (`E`) at 80x24 and 120x40,
on the demo workspace with a frozen clock and a few escalations made before the app starts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.fakes.clock import FROZEN_NOW
from tests.ui.snapshots import ScreenMatches, at_both_sizes, keys_then_settle
from webcare_tui.services.escalation import escalate_phone
from webcare_tui.store import Store
from webcare_tui.store.base import ALL_ACTIVE
from webcare_tui.ui.app import WebcareApp


def escalate_some(store: Store, app: WebcareApp) -> None:
    first, second, third = (t.id for t in store.feed_slice(ALL_ACTIVE, 0, 3))
    clock = app.clock
    for n, thread in enumerate((first, second)):
        escalate_phone(
            store, app.config, thread, f"06 1234 56{n:02d}",
            call_at=FROZEN_NOW + timedelta(minutes=20 + 90 * n),
            note=["wil vanmiddag gebeld worden", "na 15:00 bereikbaar"][n], now=FROZEN_NOW,
        )  # fmt: skip
    store.escalate(
        third, "team:distribution", actor="MK", now=FROZEN_NOW - timedelta(hours=3),
        clock=clock, note="bezorger checken",
    )  # fmt: skip
    store.assign(third, "MK", now=FROZEN_NOW)


@at_both_sizes
@pytest.mark.parametrize("view", ["c", "E"], ids=["callbacks", "escalations"])
def test_view(
    screen_matches: ScreenMatches,
    build_app: Callable[..., WebcareApp],
    demo_store: Store,
    view: str,
    size: tuple[int, int],
) -> None:
    app = build_app()
    escalate_some(demo_store, app)
    assert screen_matches(size, keys_then_settle(view), app=app)
