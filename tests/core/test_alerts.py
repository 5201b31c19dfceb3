from __future__ import annotations

from webcare_tui.core.alerts import crossings


def test_rising_levels_are_crossings_once() -> None:
    before = {1: "calm", 2: "warning", 3: "calm", 4: "overdue"}
    after = {1: "warning", 2: "overdue", 3: "calm", 4: "overdue", 5: "overdue"}
    assert crossings(before, after) == [(1, "warning"), (2, "overdue")]
    assert crossings(after, after) == []


def test_paused_to_overdue_counts_and_falling_does_not() -> None:
    assert crossings({1: "paused"}, {1: "overdue"}) == [(1, "overdue")]
    assert crossings({1: "overdue"}, {1: "calm"}) == []
