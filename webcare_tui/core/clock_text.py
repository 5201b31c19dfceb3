"""The response clock in words: countdown badges and cells, the team's status, explanations.

Pure functions over the clock's results; the feed and the thread view call them with the app's
one `now`. Weekday and month names are English and fixed, never the machine's locale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from webcare_tui.core.hours import OpenHours

if TYPE_CHECKING:
    from webcare_tui.core.clock import ClosedSpan, Countdown, Explanation, ResponseClock
    from webcare_tui.core.model import Thread

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_KIND_LABELS = {
    "first_response": "first response",
    "next_response": "next response",
    "follow_up": "follow-up",
}
# The order reasons are named in, in spans and in the summary.
_REASON_ORDER = ("night", "weekend", "closed day", "holiday", "break")


def short_duration(seconds: float) -> str:
    """`45s` under a minute, then `42m`, `3h10m`, `3h`; hours are not folded into days.

    Days are left out on purpose: `1d` in the config means a day of *open* time, and a badge
    saying `2d` would read as calendar days. The sign is dropped; callers say "overdue".
    """
    whole = int(abs(seconds))
    if whole < 60:
        return f"{whole}s"
    hours, minutes = divmod(whole // 60, 60)
    if not hours:
        return f"{minutes}m"
    return f"{hours}h{minutes}m" if minutes else f"{hours}h"


def local_stamp(moment: datetime, reference: datetime | None = None) -> str:
    """`Mon 09:42`; with the date (`Fri 25 Dec 09:00`) when more than six days from `reference`,
    and the year too when that differs."""
    text = f"{_WEEKDAYS[moment.weekday()]} {moment:%H:%M}"
    if reference is None or abs((moment.date() - reference.date()).days) <= 6:
        return text
    year = f" {moment.year}" if moment.year != reference.year else ""
    return f"{_day_text(moment.date())}{year} {moment:%H:%M}"


def _day_text(day: date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def _zone(tz: tzinfo | str) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def format_countdown(countdown: Countdown, tz: tzinfo | str) -> str:
    """The feed's badge: `42m`, `3h10m`, `overdue 12m`, `paused · 40m left, opens Mon 09:00`.

    `tz` is the team's time zone, in which the opening is shown.
    """
    if countdown.level == "overdue":
        return f"overdue {short_duration(countdown.seconds_left)}"
    left = short_duration(countdown.seconds_left)
    if not countdown.paused:
        return left
    if countdown.opens_at is None:
        return f"paused · {left} left"
    opens = countdown.opens_at.astimezone(_zone(tz))
    return f"paused · {left} left, opens {local_stamp(opens)}"


def format_team_status(
    clock: ResponseClock, channel: str = "*", now: datetime | None = None
) -> str:
    """`Open · closes 17:00`, `Closed · opens Mon 09:00` or `Open round the clock`.

    Pass `now` from the app's clock; it falls back to the current time only for convenience.
    The weekday is shown when the change is on another local date than `now`.
    """
    moment = datetime.now(UTC) if now is None else now
    change = clock.next_change(channel, moment)
    if change is None:
        return "Open round the clock"
    local_now = moment.astimezone(clock.timezone)
    local_change = change.astimezone(clock.timezone)
    stamp = f"{local_change:%H:%M}"
    if local_change.date() != local_now.date():
        stamp = local_stamp(local_change, local_now)
    if clock.is_open(channel, moment):
        return f"Open · closes {stamp}"
    return f"Closed · opens {stamp}"


def classify_gap(
    start: datetime,
    end: datetime,
    hours: OpenHours,
    is_holiday: Callable[[date], bool],
    holiday_name: Callable[[date], str | None],
    open_on: Callable[[date], Sequence[tuple[datetime, datetime]]],
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Why the local span `start`..`end` was closed: (reasons, holiday names).

    A date the span touches is a holiday if it would otherwise have had hours, a weekend or a
    closed day if its weekday has none. A span with no such date is a night, or a break when it
    lies between two openings of one day.
    """
    reasons: set[str] = set()
    names: list[str] = []
    day, last = start.date(), (end - timedelta(microseconds=1)).date()
    while day <= last:
        scheduled = bool(hours.by_weekday[day.weekday()])
        if scheduled and is_holiday(day):
            reasons.add("holiday")
            names.append(holiday_name(day) or _day_text(day))
        elif not scheduled:
            reasons.add("weekend" if day.weekday() >= 5 else "closed day")
        day += timedelta(days=1)
    if not reasons:
        intervals = open_on(start.date())
        between = (
            start.date() == last
            and any(closes <= start for _, closes in intervals)
            and any(opens >= end for opens, _ in intervals)
        )
        reasons.add("break" if between else "night")
    return tuple(r for r in _REASON_ORDER if r in reasons), tuple(names)


def _reason_phrases(spans: Sequence[ClosedSpan]) -> list[str]:
    counts = {reason: sum(reason in s.reasons for s in spans) for reason in _REASON_ORDER}
    names = list(dict.fromkeys(name for s in spans for name in s.holidays))
    phrases = []
    if counts["night"]:
        phrases.append("the night" if counts["night"] == 1 else f"{counts['night']} nights")
    if counts["weekend"]:
        phrases.append("the weekend" if counts["weekend"] == 1 else f"{counts['weekend']} weekends")
    if counts["closed day"]:
        phrases.append("a closed day" if counts["closed day"] == 1 else "closed days")
    if names:
        listed = ", ".join(names)
        phrases.append(f"a holiday ({listed})" if len(names) == 1 else f"holidays ({listed})")
    if counts["break"]:
        phrases.append("a break" if counts["break"] == 1 else f"{counts['break']} breaks")
    return phrases


def _join(phrases: list[str]) -> str:
    if len(phrases) <= 1:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def paused_phrase(spans: Sequence[ClosedSpan]) -> str:
    """`paused for the weekend and for a holiday (Christmas Day)`, or "" when nothing paused."""
    phrases = _reason_phrases(spans)
    return "paused " + _join([f"for {phrase}" for phrase in phrases]) if phrases else ""


def explanation_lines(
    explanation: Explanation, now: datetime, round_the_clock: bool
) -> tuple[str, ...]:
    """The English lines of an explanation; `now` is local to the team."""
    open_time = "" if round_the_clock else " of open time"
    left = short_duration(explanation.seconds_left)
    due = local_stamp(explanation.due_at, now)
    if explanation.seconds_left > 0:
        summary = f"{left}{open_time} left, due {due}"
    else:
        summary = f"overdue by {left}{open_time}, was due {due}"
    paused = paused_phrase(explanation.skipped)
    lines = [f"{summary}: {paused}" if paused else summary]

    window = explanation.window
    rule = f"{_KIND_LABELS.get(explanation.kind, explanation.kind)} within {window}{open_time}"
    if window.days and not round_the_clock:
        day = (explanation.window_seconds - window.rest.total_seconds()) / window.days
        rule += f" (1d is {short_duration(day)} of open time here)"
    counted = f"counted from {local_stamp(explanation.clock_started_at, now)}"
    if explanation.clock_started_at > explanation.started_at:
        counted += ", the next opening after the message came in at " + local_stamp(
            explanation.started_at, now
        )
    lines.append(f"{rule}, {counted}")
    for span in explanation.skipped:
        reasons = _join(_reason_phrases([span]))
        lines.append(
            f"closed {local_stamp(span.start, now)} to {local_stamp(span.end, now)}: {reasons}"
        )
    return tuple(lines)


def countdown_cell(thread: Thread, clock: ResponseClock, now: datetime) -> tuple[str, str]:
    """`42m`, `overdue 12m` or `⏸ 40m` (closed now: open time left) for `thread` at `now`, and
    its level for colouring: calm, warning, overdue, paused, or none when nothing is owed."""
    running = thread.clock
    if running is None:
        return "", "none"
    countdown = clock.countdown(thread.channel, running.kind, now, running.due_at)
    if countdown.paused and countdown.level != "overdue":
        return f"⏸ {short_duration(countdown.seconds_left)}", "paused"
    return format_countdown(countdown, clock.timezone), countdown.level
