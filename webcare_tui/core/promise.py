"""When an agent promised the customer to be back: `vandaag nog`, `vrijdag`, `16:00`, ISO.

Agents type these in the escalation pane and on the command line (`--call-at`, `--promise`);
they are read in the team's time zone against the channel's open hours, so "today" means
today's closing and a weekday means that day's closing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.moments import next_at
from webcare_tui.core.timeutil import parse_time, utc

__all__ = ["parse_promise"]

_TODAY = {"vandaag", "vandaag nog", "today", "end of day", "eod"}
_TOMORROW = {"morgen", "tomorrow"}
_WEEKDAYS = {
    **dict.fromkeys(("maandag", "monday", "mon", "ma"), 0),
    **dict.fromkeys(("dinsdag", "tuesday", "tue", "di"), 1),
    **dict.fromkeys(("woensdag", "wednesday", "wed", "wo"), 2),
    **dict.fromkeys(("donderdag", "thursday", "thu", "do"), 3),
    **dict.fromkeys(("vrijdag", "friday", "fri", "vr"), 4),
    **dict.fromkeys(("zaterdag", "saturday", "sat", "za"), 5),
    **dict.fromkeys(("zondag", "sunday", "sun", "zo"), 6),
}


def _closing(clock: ResponseClock, channel: str, day_start: datetime) -> datetime:
    """The last closing (UTC) on the local day starting at `day_start`; the day's end when the
    channel does not close that day (round the clock, or closed all day)."""
    day_end = utc(day_start + timedelta(days=1))
    last, moment = day_end, utc(day_start)
    for _ in range(16):  # a day has a handful of open ranges at most
        change = clock.next_change(channel, moment)
        if change is None or change >= day_end:
            break
        if clock.is_open(channel, moment):
            last = change
        moment = change
    return last


def parse_promise(
    text: str, *, now: datetime, clock: ResponseClock, channel: str = "*"
) -> datetime:
    """The moment (UTC) `text` names, never in the past.

    `vandaag (nog)`/`today`: today's closing; `morgen`/`tomorrow` and weekday names (Dutch or
    English): that day's closing, the next such day; `HH:MM`: the next such moment in the team
    time zone; anything else is read as ISO 8601 (naive means the team time zone). Raises
    ValueError with a one-line reason.
    """
    zone: ZoneInfo = clock.timezone
    words = " ".join(text.strip().casefold().split())
    if not words:
        raise ValueError("expected a time: vandaag nog, vrijdag, HH:MM or ISO 8601")
    local_now = utc(now).astimezone(zone)
    if words in _TODAY or words in _TOMORROW or words in _WEEKDAYS:
        if words in _TODAY:
            ahead = 0
        elif words in _TOMORROW:
            ahead = 1
        else:
            ahead = (_WEEKDAYS[words] - local_now.weekday()) % 7
        day = datetime.combine(local_now.date() + timedelta(days=ahead), time(0), zone)
        moment = _closing(clock, channel, day)
        if moment <= utc(now):
            if words in _TODAY:
                raise ValueError("today's closing has passed: name a day or a time")
            day = datetime.combine(day.date() + timedelta(days=7), time(0), zone)
            moment = _closing(clock, channel, day)
        return moment
    if len(words) in (4, 5) and ":" in words:
        hours, _, minutes = words.partition(":")
        if hours.isdigit() and minutes.isdigit() and len(minutes) == 2:
            hour, minute = int(hours), int(minutes)
            if hour < 24 and minute < 60:
                return next_at(time(hour, minute), now, zone)
        raise ValueError(f"bad time {text.strip()[:40]!r}: expected HH:MM from 00:00 to 23:59")
    try:
        if "+" in words[10:] or words.endswith("z") or "-" in words[10:]:
            moment = parse_time(text)
        else:
            moment = utc(parse_time(text).replace(tzinfo=None).replace(tzinfo=zone))
    except ValueError:
        raise ValueError(
            f"not a time: {text.strip()[:40]!r}: expected vandaag nog, vrijdag, HH:MM or ISO 8601"
        ) from None
    if moment <= utc(now):
        raise ValueError(f"{text.strip()[:40]!r} has passed already")
    return moment
