"""The response clock: when a thread is due, counted in open time only.

A clock starts at the customer message's own `created_at` and runs only while the channel is
open, read in the team's time zone: a message that arrives while closed starts its clock at the
next opening, holidays are closed all day, and a DST change moves no deadline (open hours are
local wall-clock intervals turned into UTC instants, and an open interval counts for the real
time it lasts). A channel without `hours` is open round the clock, holidays included: write
`mon-sun 00:00-24:00` to run round the clock but close on holidays.

The arithmetic is closed-form over open intervals (`OpenSchedule` in `webcare_tui.core.schedule`
lays each channel's intervals out date by date, once, with running totals of open time), so a
due time is two binary searches, never a walk through minutes. Instants are integer
microseconds since the epoch, so adding a window in two parts gives exactly what adding it at
once gives. Searches are bounded: meeting more than SEARCH_DAYS (400) closed days in a row
raises ValueError instead of looping.

Window lengths use `WindowLength` from `webcare_tui.core.hours`: `1d` is one day of *open*
time, resolved against the channel's hours (`OpenHours.day_minutes`: 8 hours for
`mon-fri 09:00-17:00`, 24 hours round the clock).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from holidays import HolidayBase


from webcare_tui.core.clock_text import (
    classify_gap,
    explanation_lines,
    format_countdown,
    format_team_status,
)
from webcare_tui.core.hours import OpenHours, WindowLength, parse_duration, parse_hours
from webcare_tui.core.schedule import (
    MICROS_PER_SECOND,
    SEARCH_DAYS,
    Interval,
    OpenSchedule,
    from_micros,
    to_micros,
)

__all__ = [
    "SEARCH_DAYS",
    "ClockKind",
    "ClosedSpan",
    "Countdown",
    "Explanation",
    "Level",
    "OpenHours",
    "ResponseClock",
    "ResponseWindow",
    "WindowLength",
    "format_countdown",
    "format_team_status",
    "parse_duration",
    "parse_hours",
]

Level = Literal["calm", "warning", "overdue"]

_MICRO = timedelta(microseconds=1)


# The interim defaults, kept: 60m, 4h and one day of open time.
_DEFAULT_FIRST = WindowLength(0, timedelta(minutes=60))
_DEFAULT_NEXT = WindowLength(0, timedelta(hours=4))
_DEFAULT_FOLLOW_UP = WindowLength(days=1)


class ClockKind(StrEnum):
    """Which promise a running clock measures."""

    FIRST = "first_response"
    NEXT = "next_response"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True, slots=True)
class ResponseWindow:
    """The promise a team advertises for one channel (`*` for the default).

    Lengths are `WindowLength`s (what `parse_duration` returns); a plain timedelta or config
    text is accepted and normalised, as is `hours` given as config text. `hours` None means
    round the clock.
    """

    channel: str = "*"
    first_response: WindowLength = _DEFAULT_FIRST
    next_response: WindowLength = _DEFAULT_NEXT
    follow_up: WindowLength = _DEFAULT_FOLLOW_UP
    hours: OpenHours | None = None

    def __post_init__(self) -> None:
        for name in ("first_response", "next_response", "follow_up"):
            object.__setattr__(self, name, WindowLength.of(getattr(self, name)))
        if isinstance(self.hours, str):
            object.__setattr__(self, "hours", parse_hours(self.hours))

    def length(self, kind: ClockKind) -> WindowLength:
        """The window for a clock of `kind` (its value names the field)."""
        length: WindowLength = getattr(self, ClockKind(kind).value)
        return length


@dataclass(frozen=True, slots=True)
class Countdown:
    """Where a running clock stands at `now`.

    `seconds_left` is open time, negative once overdue; `paused` is true while the channel is
    closed, and `opens_at` (UTC) then says when it opens again.
    """

    seconds_left: float
    paused: bool
    opens_at: datetime | None
    level: Level


@dataclass(frozen=True, slots=True)
class ClosedSpan:
    """A closed stretch the clock skipped, in the team's local time.

    `reasons` name what closed it, from `night`, `weekend`, `closed day`, `holiday` and
    `break`; `holidays` name the holidays in it (a listed date without a name shows as the date).
    """

    start: datetime
    end: datetime
    reasons: tuple[str, ...]
    holidays: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Explanation:
    """How a due time came about, for the thread view and `show`.

    Times are local to the team. `clock_started_at` is the first open moment at or after the
    message (later than `started_at` when it arrived while closed); `lines` say it in English,
    the first line being the summary.
    """

    kind: ClockKind
    window: WindowLength
    window_seconds: float
    started_at: datetime
    clock_started_at: datetime
    due_at: datetime
    seconds_left: float
    skipped: tuple[ClosedSpan, ...]
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """All lines, one per line."""
        return "\n".join(self.lines)


def _aware(moment: datetime) -> datetime:
    # A naive time is taken as UTC, as everywhere else in the program.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
        raise ValueError(
            f"unknown time zone {name!r}: expected an IANA name like Europe/Amsterdam"
        ) from error


def _country_calendar(code: str | None) -> HolidayBase | None:
    if code is None:
        return None
    if "," in code:  # several countries ("NL,BE"): closed on the holidays of each
        combined: HolidayBase | None = None
        for part in filter(None, (part.strip() for part in code.split(","))):
            calendar = _country_calendar(part)
            if calendar is not None:
                combined = calendar if combined is None else combined + calendar
        return combined
    # Imported only when a country is configured: the package costs ~50 ms at start-up.
    import holidays as holiday_calendars

    try:
        calendar = holiday_calendars.country_holidays(code.upper())
    except (NotImplementedError, AttributeError) as error:
        raise ValueError(
            f"unknown holiday country {code!r}: expected a country code like NL, BE or DE"
        ) from error
    if "en_US" in getattr(calendar, "supported_languages", ()):
        # Explanations are in English, so ask for English holiday names where there are some.
        calendar = holiday_calendars.country_holidays(code.upper(), language="en_US")
    return calendar


class ResponseClock:
    """Computes due times and open time left for each channel's window.

    `timezone` is the IANA zone office hours are read in; `holidays` are local dates closed all
    day, and `holiday_country` (`NL`, or `NL,BE`) adds those countries' public holidays. A clock is
    `warning` once less than `warn_share` of its window is left, or less than `warn_before`
    (open time; a timedelta or what `parse_duration` gives) when that is set. Bad names or
    values raise ValueError.
    """

    def __init__(
        self,
        timezone: str = "UTC",
        windows: Sequence[ResponseWindow] = (),
        holidays: Iterable[date] = (),
        holiday_country: str | None = None,
        warn_share: float = 0.25,
        warn_before: timedelta | WindowLength | None = None,
    ) -> None:
        self.timezone = _zone(timezone)
        self.windows = {w.channel: w for w in windows} or {"*": ResponseWindow()}
        self.holidays = frozenset(d.date() if isinstance(d, datetime) else d for d in holidays)
        self.holiday_country = _country_calendar(holiday_country)
        if not 0 <= warn_share <= 1:
            raise ValueError(f"warn_share must be between 0 and 1, got {warn_share!r}")
        self.warn_share = warn_share
        # Config text such as `30m` or `1d` arrives as a WindowLength, read per channel like
        # the windows themselves; a negative timedelta is refused by WindowLength.
        self.warn_before = None if warn_before is None else WindowLength.of(warn_before)
        self._window_cache: dict[tuple[str, ClockKind], int] = {}
        # One schedule per distinct set of hours, so channels that share hours share a cache.
        by_hours: dict[OpenHours, OpenSchedule] = {}
        self._schedules: dict[str, OpenSchedule | None] = {}
        for channel, window in self.windows.items():
            if window.hours is None:
                self._schedules[channel] = None
            else:
                schedule = by_hours.get(window.hours)
                if schedule is None:
                    schedule = OpenSchedule(window.hours, self.timezone, self.is_holiday)
                    by_hours[window.hours] = schedule
                self._schedules[channel] = schedule

    # -- configuration -------------------------------------------------------------------------

    def window_for(self, channel: str) -> ResponseWindow:
        """The channel's own window, else the `*` default."""
        return self.windows.get(channel) or self.windows.get("*") or ResponseWindow()

    def _schedule(self, channel: str) -> OpenSchedule | None:
        if channel in self._schedules:
            return self._schedules[channel]
        return self._schedules.get("*")

    def is_holiday(self, day: date) -> bool:
        """Whether the local date `day` is a holiday (listed, or the country's)."""
        return day in self.holidays or (
            self.holiday_country is not None and day in self.holiday_country
        )

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name where the country calendar gives one, else None."""
        if self.holiday_country is not None and day in self.holiday_country:
            return str(self.holiday_country.get(day))
        return None

    def day_seconds(self, channel: str) -> float:
        """How long `1d` is for the channel: one day of open time (see `OpenHours`)."""
        schedule = self._schedule(channel)
        return 86400.0 if schedule is None else schedule.day_micros / MICROS_PER_SECOND

    def window_seconds(self, channel: str, kind: ClockKind) -> float:
        """The channel's window of `kind` in seconds of open time."""
        return self._window_micros(channel, kind) / MICROS_PER_SECOND

    def _window_micros(self, channel: str, kind: ClockKind) -> int:
        key = (channel, kind)
        cached = self._window_cache.get(key)
        if cached is None:
            length = self.window_for(channel).length(kind)
            schedule = self._schedule(channel)
            day = 86400 * MICROS_PER_SECOND if schedule is None else schedule.day_micros
            cached = length.days * day + length.rest // _MICRO
            if len(self._window_cache) > 10_000:  # channel names come from outside
                self._window_cache.clear()
            self._window_cache[key] = cached
        return cached

    # -- the clock -----------------------------------------------------------------------------

    def due_at(self, channel: str, kind: ClockKind, start: datetime) -> datetime:
        """The moment (UTC) a clock of `kind` started at `start` runs out."""
        micros, amount = to_micros(start), self._window_micros(channel, kind)
        schedule = self._schedule(channel)
        if schedule is None:
            return from_micros(micros + amount)
        return from_micros(schedule.add(micros, amount))

    def add_open_time(self, channel: str, start: datetime, amount: timedelta) -> datetime:
        """The moment (UTC) when `amount` of open time has passed since `start`.

        From a closed moment it counts from the next opening; when the amount runs out exactly
        at a closing, that closing is the answer.
        """
        micros, left = to_micros(start), amount // _MICRO
        if left < 0:
            raise ValueError(f"cannot add a negative amount of open time: {amount}")
        schedule = self._schedule(channel)
        return from_micros(micros + left if schedule is None else schedule.add(micros, left))

    def open_seconds_between(self, channel: str, start: datetime, end: datetime) -> float:
        """Open time from `start` to `end` in seconds; negative when `end` is before `start`."""
        return self._open_micros(channel, to_micros(start), to_micros(end)) / MICROS_PER_SECOND

    def _open_micros(self, channel: str, start: int, end: int) -> int:
        if end < start:
            return -self._open_micros(channel, end, start)
        schedule = self._schedule(channel)
        return end - start if schedule is None else schedule.open_between(start, end)

    def is_open(self, channel: str, at: datetime) -> bool:
        """Whether the channel is open at `at`."""
        schedule = self._schedule(channel)
        return schedule is None or schedule.is_open(to_micros(at))

    def next_change(self, channel: str, at: datetime) -> datetime | None:
        """The next opening (UTC) when closed at `at`, the next closing when open.

        None when the channel never closes: round the clock, or open more than SEARCH_DAYS on end.
        """
        schedule = self._schedule(channel)
        change = None if schedule is None else schedule.next_change(to_micros(at))
        return None if change is None else from_micros(change)

    def countdown(
        self, channel: str, kind: ClockKind, now: datetime, due_at: datetime
    ) -> Countdown:
        """Where a clock of `kind` due at `due_at` stands at `now`."""
        left = self.open_seconds_between(channel, now, due_at)
        paused = not self.is_open(channel, now)
        opens_at = self.next_change(channel, now) if paused else None
        return Countdown(left, paused, opens_at, self._level(channel, kind, left))

    def _level(self, channel: str, kind: ClockKind, seconds_left: float) -> Level:
        if seconds_left <= 0:
            return "overdue"
        if seconds_left < self.warn_share * self.window_seconds(channel, kind):
            return "warning"
        warn_before = self.warn_before
        if warn_before is not None and seconds_left < warn_before.seconds(
            self.day_seconds(channel)
        ):
            return "warning"
        return "calm"

    def explain(
        self, channel: str, kind: ClockKind, start: datetime, now: datetime, due_at: datetime
    ) -> Explanation:
        """How the due time of a clock started at `start` came about, seen at `now`."""
        begin, due = to_micros(start), to_micros(due_at)
        spans, clock_start = self._closed_spans(channel, begin, due)
        zone = self.timezone
        window = self.window_for(channel)
        explanation = Explanation(
            kind=ClockKind(kind),
            window=window.length(kind),
            window_seconds=self.window_seconds(channel, kind),
            started_at=from_micros(begin).astimezone(zone),
            clock_started_at=from_micros(clock_start).astimezone(zone),
            due_at=from_micros(due).astimezone(zone),
            seconds_left=self.open_seconds_between(channel, now, due_at),
            skipped=spans,
            lines=(),
        )
        lines = explanation_lines(explanation, _aware(now).astimezone(zone), window.hours is None)
        return replace(explanation, lines=lines)

    def _closed_spans(
        self, channel: str, begin: int, due: int
    ) -> tuple[tuple[ClosedSpan, ...], int]:
        """The closed stretches between `begin` and `due`, and when the clock started."""
        schedule = self._schedule(channel)
        if schedule is None:
            return (), begin
        clock_start = schedule.add(begin, 0)
        if due <= begin:
            return (), clock_start
        gaps: list[Interval] = []
        cursor = begin
        for first, last in schedule.intervals_between(begin, due):
            if first > cursor:
                gaps.append((cursor, first))
            cursor = max(cursor, last)
        if cursor < due:  # a due time in closed time (the config changed since it was set)
            gaps.append((cursor, due))
        return tuple(self._span(schedule, gap) for gap in gaps), clock_start

    def _span(self, schedule: OpenSchedule, gap: Interval) -> ClosedSpan:
        start = from_micros(gap[0]).astimezone(self.timezone)
        end = from_micros(gap[1]).astimezone(self.timezone)
        reasons, names = classify_gap(
            start,
            end,
            schedule.hours,
            self.is_holiday,
            self.holiday_name,
            lambda day: tuple(
                (from_micros(a).astimezone(self.timezone), from_micros(b).astimezone(self.timezone))
                for a, b in schedule.day(day)
            ),
        )
        return ClosedSpan(start, end, reasons, names)
