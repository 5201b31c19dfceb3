"""The outbox's plain values: the undo countdown as an agent reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.outbox import OutboxItem, OutboxState
from webcare_tui.core.timeutil import whole_second_after

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def queued_at(now: datetime, window: int) -> OutboxItem:
    send_after = whole_second_after(now + timedelta(seconds=window))
    return OutboxItem(1, 1, "AB", "hoi ^AB", False, "k", OutboxState.QUEUED, now, send_after)


def test_a_ten_second_window_counts_down_from_ten_whenever_it_was_pressed() -> None:
    pressed = T0 + timedelta(microseconds=300_000)  # the window is 10.7 s
    item = queued_at(pressed, 10)
    assert item.seconds_left(pressed) == 11  # what the banner showed before
    assert item.seconds_left(pressed, 10) == 10
    assert item.seconds_left(pressed + timedelta(seconds=9.9), 10) == 1
    assert item.seconds_left(item.send_after, 10) == 0


@given(
    offset=st.integers(0, 999_999),
    window=st.integers(1, 300),
    ticks=st.lists(st.floats(0, 400, allow_nan=False), max_size=20),
)
def test_the_countdown_never_shows_more_than_the_window_and_never_goes_up(
    offset: int, window: int, ticks: list[float]
) -> None:
    pressed = T0 + timedelta(microseconds=offset)
    item = queued_at(pressed, window)
    shown = [item.seconds_left(pressed + timedelta(seconds=t), window) for t in sorted(ticks)]
    assert item.seconds_left(pressed, window) == window
    assert all(0 <= n <= window for n in shown)
    assert shown == sorted(shown, reverse=True)
    # It reaches 0 only once the window is really over: undo is never cut short.
    assert all(n > 0 for t, n in zip(sorted(ticks), shown, strict=True) if t < window)
