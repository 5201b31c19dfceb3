"""A thread's countdown in one short cell: the feed's column and the CLI's `threads` table."""

from __future__ import annotations

from datetime import datetime

from webcare_tui.core.clock import ClockKind, ResponseClock
from webcare_tui.core.countdown import format_countdown, short_duration
from webcare_tui.core.model import Thread


def countdown_cell(thread: Thread, clock: ResponseClock, now: datetime) -> tuple[str, str]:
    """`42m`, `overdue 12m` or `⏸ 40m` (closed now: open time left) for `thread` at `now`, and
    its level for colouring: calm, warning, overdue, paused, or none when nothing is owed."""
    if thread.due_at is None or thread.clock_kind is None:
        return "", "none"
    countdown = clock.countdown(thread.channel, ClockKind(thread.clock_kind), now, thread.due_at)
    if countdown.paused and countdown.level != "overdue":
        return f"⏸ {short_duration(countdown.seconds_left)}", "paused"
    return format_countdown(countdown, clock.timezone), countdown.level
