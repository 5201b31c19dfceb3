"""The response clock: when a thread is due, counted in open time.

Interim version: counts round the clock. The open-hours rules of the contract replace the
internals; the interface below is what the rest of the application uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class ClockKind(StrEnum):
    """Which promise a running clock measures."""

    FIRST = "first_response"
    NEXT = "next_response"
    FOLLOW_UP = "follow_up"


_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$")


def parse_duration(text: str) -> timedelta:
    """Parse `45m`, `2h`, `1h30m`, `30s` or `1d` (a day: 24 hours of open time here)."""
    match = _DURATION.match(text or "")
    if not match or not any(match.groups()):
        raise ValueError(f"expected a duration like 45m, 2h, 1h30m or 1d, got {text!r}")
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    total = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if total <= timedelta(0):
        raise ValueError(f"a duration must be longer than zero, got {text!r}")
    return total


@dataclass(frozen=True, slots=True)
class ResponseWindow:
    """The promise a team advertises for one channel (`*` for the default)."""

    channel: str = "*"
    first_response: timedelta = timedelta(minutes=60)
    next_response: timedelta = timedelta(hours=4)
    follow_up: timedelta = timedelta(days=1)
    hours: str | None = None

    def length(self, kind: ClockKind) -> timedelta:
        return {
            ClockKind.FIRST: self.first_response,
            ClockKind.NEXT: self.next_response,
            ClockKind.FOLLOW_UP: self.follow_up,
        }[kind]


class ResponseClock:
    """Computes due times and open time left for each channel's window."""

    def __init__(
        self,
        timezone: str = "UTC",
        windows: Sequence[ResponseWindow] = (),
        holidays: Iterable[date] = (),
    ) -> None:
        self.timezone = ZoneInfo(timezone)
        self.windows = {w.channel: w for w in windows} or {"*": ResponseWindow()}
        self.holidays = frozenset(holidays)

    def window_for(self, channel: str) -> ResponseWindow:
        """The channel's own window, else the `*` default."""
        return self.windows.get(channel) or self.windows.get("*") or ResponseWindow()

    def due_at(self, channel: str, kind: ClockKind, start: datetime) -> datetime:
        """The moment a clock of `kind` started at `start` runs out."""
        return start + self.window_for(channel).length(kind)

    def open_seconds_between(self, channel: str, start: datetime, end: datetime) -> float:
        """Open time from `start` to `end` in seconds; negative when `end` is before `start`."""
        return (end - start).total_seconds()
