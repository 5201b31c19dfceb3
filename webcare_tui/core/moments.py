"""Moments an agent types: `--until 14:30`, `--until 2026-12-02T09:00`, `--since 2026-11-01`."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from webcare_tui.core.hours import parse_duration
from webcare_tui.core.timeutil import utc


def parse_until(text: str, now: datetime, zone: ZoneInfo) -> datetime:
    """A future moment (UTC) from ISO 8601 (naive means the team's zone), `HH:MM` (the next
    such moment in the team's zone), or a duration from now (`2h`, `90m`, `1d` of wall time).

    Raises ValueError saying what was expected.
    """
    value = text.strip()
    if len(value) <= 5 and ":" in value:
        try:
            clock_time = time.fromisoformat(value.zfill(5))
        except ValueError:
            raise ValueError(f"expected HH:MM, got {text!r}") from None
        return next_at(clock_time, now, zone)
    try:
        length = parse_duration(value)
    except ValueError:
        pass
    else:
        return utc(now) + timedelta(days=length.days) + length.rest
    try:
        return parse_moment(value, zone)
    except ValueError:
        raise ValueError(
            f"expected HH:MM, a duration such as 2h, or an ISO 8601 time, got {text!r}"
        ) from None


def next_at(clock_time: time, now: datetime, zone: ZoneInfo) -> datetime:
    """The next moment (UTC) after `now` when the team's wall clock in `zone` shows
    `clock_time`: today's, or tomorrow's once today's has come."""
    local_now = utc(now).astimezone(zone)
    candidate = datetime.combine(local_now.date(), clock_time, tzinfo=zone)
    if candidate <= local_now:
        candidate = datetime.combine(local_now.date() + timedelta(days=1), clock_time, tzinfo=zone)
    return utc(candidate)


def parse_moment(text: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 date or time (UTC); a date means its midnight in the team's zone, a naive
    time is read in the team's zone. Raises ValueError."""
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"expected an ISO 8601 date or time (2026-12-01 or 2026-12-01T14:30), got {text!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return utc(moment)
