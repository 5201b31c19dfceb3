"""Calls to make, as plain views for `callbacks --json` and the callbacks screen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from webcare_tui.core.clock import ClockKind, Countdown, ResponseClock, format_countdown
from webcare_tui.store.callbacks import Callback


def callback_countdown(callback: Callback, clock: ResponseClock, now: datetime) -> Countdown:
    """Where the call's own countdown stands (open time; warning and overdue like a thread)."""
    return clock.countdown(callback.channel, ClockKind.FOLLOW_UP, now, callback.due_at)


def callback_badge(callback: Callback, clock: ResponseClock, now: datetime) -> str:
    return format_countdown(callback_countdown(callback, clock, now), clock.timezone)


def callback_view(callback: Callback, clock: ResponseClock, now: datetime) -> dict[str, Any]:
    """One call for `callbacks --json`."""
    return {
        "id": callback.id,
        "thread": callback.thread_id,
        "phone": callback.phone,
        "due_at": callback.due_at.isoformat(),
        "seconds_left": round(callback_countdown(callback, clock, now).seconds_left),
        "note": callback.note,
    }
