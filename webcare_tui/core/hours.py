"""Open hours and window lengths: `mon-fri 09:00-17:00`, `1h30m`, `1d`, and open time on a calendar.

Parsing the config's text into weekly patterns (`parse_hours`, `parse_duration`), and laying a
weekly pattern on the calendar of one time zone with its holidays (`OpenSchedule`) so the
response clock (`webcare_tui.core.clock`) can add and measure open time.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

MINUTES_PER_DAY = 24 * 60

# Monday is 0, as in `date.weekday()`.
_DAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday", "ma", "maandag"),
        ("tue", "tues", "tuesday", "di", "dinsdag"),
        ("wed", "wednesday", "wo", "woensdag"),
        ("thu", "thur", "thurs", "thursday", "do", "donderdag"),
        ("fri", "friday", "vr", "vrijdag"),
        ("sat", "saturday", "za", "zaterdag"),
        ("sun", "sunday", "zo", "zondag"),
    )
):
    for _name in _names:
        _DAY_NAMES[_name] = _index

DAY_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
}

_HOURS_EXAMPLE = "'mon-fri 09:00-17:00' or 'ma-vr 09:00-17:00, za 10:00-14:00'"
_DAYS_HELP = "use mon tue wed thu fri sat sun or ma di wo do vr za zo"


# ---------------------------------------------------------------------------------------------
# Window lengths


@dataclass(frozen=True, slots=True)
class WindowLength:
    """A response window: `days` days of open time plus `rest` more open time.

    A day is not 24 hours here: `1d` means one day of *open* time, so it depends on the channel's
    hours (see `OpenHours.day_minutes`): 8 hours for `mon-fri 09:00-17:00`, 24 hours round the
    clock. `ResponseClock` resolves it against the channel the window belongs to.
    """

    days: int = 0
    rest: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if self.days < 0 or self.rest < timedelta(0):
            raise ValueError(f"a window length cannot be negative: {self.days}d + {self.rest}")

    @classmethod
    def of(cls, length: WindowLength | timedelta | str) -> WindowLength:
        """Normalise what a caller may hold: a length, a plain timedelta of open time, or text."""
        if isinstance(length, WindowLength):
            return length
        if isinstance(length, timedelta):
            return cls(0, length)
        if isinstance(length, str):
            return parse_duration(length)
        raise TypeError(f"expected a duration, got {type(length).__name__}")

    def __add__(self, other: WindowLength) -> WindowLength:
        if not isinstance(other, WindowLength):
            return NotImplemented
        return WindowLength(self.days + other.days, self.rest + other.rest)

    def seconds(self, day_seconds: float) -> float:
        """The length in seconds of open time, given how long one day of open time is."""
        return self.days * day_seconds + self.rest.total_seconds()

    def __str__(self) -> str:
        """The config spelling: `1d`, `1h30m`, `45m`, `1d2h`."""
        seconds = int(self.rest.total_seconds())
        hours, seconds = divmod(seconds, 3600)
        minutes, seconds = divmod(seconds, 60)
        parts = [(self.days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")]
        text = "".join(f"{value}{unit}" for value, unit in parts if value)
        return text or "0m"


_DURATION = re.compile(
    r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$", re.IGNORECASE
)
# A response window longer than this is a typo, and bounding it keeps the clock's search short.
_LONGEST = timedelta(days=366)


def parse_duration(text: str) -> WindowLength:
    """Parse a window length: `45m`, `2h`, `1h30m`, `30s`, `1d` or a mix such as `1d4h`.

    `d` counts days of open time (see `WindowLength`); `h`, `m` and `s` are plain open time.
    Raises ValueError saying what was expected for anything else, for zero, and for more than
    a year.
    """
    match = _DURATION.match(text) if isinstance(text, str) else None
    if not match or not any(match.groups()):
        raise ValueError(f"expected a duration like 45m, 2h, 1h30m or 1d, got {text!r}")
    days, hours, minutes, seconds = (int(group) if group else 0 for group in match.groups())
    rest = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if days == 0 and rest == timedelta(0):
        raise ValueError(f"a duration must be longer than zero, got {text!r}")
    if days > _LONGEST.days or rest > _LONGEST:
        raise ValueError(f"a response window of more than a year is not a promise, got {text!r}")
    return WindowLength(days, rest)


# ---------------------------------------------------------------------------------------------
# Open hours


@dataclass(frozen=True, slots=True)
class OpenRange:
    """One `DAYS HH:MM-HH:MM` range: open from `start` to `end` minutes after each day's midnight.

    `first_day`..`last_day` are weekdays (Monday 0) and may wrap (`fri-mon`). `end` is above
    1440 when the range runs past midnight: `fri 22:00-02:00` is Friday 22:00 to Saturday 02:00.
    """

    first_day: int
    last_day: int
    start: int
    end: int

    @property
    def weekdays(self) -> tuple[int, ...]:
        """The weekdays this range opens on, in order from `first_day`."""
        count = (self.last_day - self.first_day) % 7 + 1
        return tuple((self.first_day + offset) % 7 for offset in range(count))

    def describe(self, lang: str = "en") -> str:
        """`Mon-Fri 09:00-17:00` (en) or `ma-vr 09:00-17:00` (nl)."""
        names = DAY_ABBREVIATIONS[lang]
        days = names[self.first_day]
        if self.last_day != self.first_day:
            days += "-" + names[self.last_day]
        return f"{days} {_clock_text(self.start)}-{_clock_text(self.end)}"


def _clock_text(minutes: int) -> str:
    # 24:00 is kept as written (all day); a time past midnight is shown as the next day's time.
    if minutes != MINUTES_PER_DAY:
        minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True, slots=True)
class OpenHours:
    """A week of open hours: the ranges as written, and per weekday what is open on that date.

    `day_minutes` is what the program means by "one day of open time" (`1d`): the open time of a
    typical open day, in minutes. Each range counts on the day it opens (so `fri 22:00-02:00` is
    a 4-hour Friday); the typical day is the most common daily total among days with any open
    time, and of equally common totals the longest. So `mon-fri 09:00-17:00, sat 10:00-14:00` has
    8-hour days, and round the clock (no hours at all) has 24-hour days.
    """

    ranges: tuple[OpenRange, ...]
    # Per weekday, the open (start, end) minutes inside that calendar day, merged; a range past
    # midnight shows up in two days. Filled in from `ranges`.
    by_weekday: tuple[tuple[tuple[int, int], ...], ...] = field(init=False, compare=False)
    day_minutes: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        pieces: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        totals: list[int] = []
        for weekday in range(7):
            opening = [(r.start, r.end) for r in self.ranges if weekday in r.weekdays]
            merged = _merge(opening)
            totals.append(min(MINUTES_PER_DAY, sum(end - start for start, end in merged)))
            for start, end in merged:
                pieces[weekday].append((start, min(end, MINUTES_PER_DAY)))
                if end > MINUTES_PER_DAY:
                    pieces[(weekday + 1) % 7].append((0, end - MINUTES_PER_DAY))
        if not any(totals):
            # A clock over hours that never open would never run out.
            raise ValueError("open hours must be open at some time in the week")
        object.__setattr__(self, "by_weekday", tuple(tuple(_merge(day)) for day in pieces))
        object.__setattr__(self, "day_minutes", _typical_day(totals))

    def describe(self, lang: str = "en") -> str:
        """The hours as text in `lang` (`en` or `nl`), ranges joined with `, `."""
        if lang not in DAY_ABBREVIATIONS:
            raise ValueError(f"unknown language {lang!r}: expected one of en, nl")
        return ", ".join(r.describe(lang) for r in self.ranges)

    def __str__(self) -> str:
        return self.describe("en")


def _merge(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _typical_day(totals: list[int]) -> int:
    counts = Counter(total for total in totals if total)
    return max(counts, key=lambda total: (counts[total], total))


_RANGE = re.compile(
    r"^(?P<first>[a-z]+)(?:\s*-\s*(?P<last>[a-z]+))?\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$"
)


def parse_hours(text: str | None) -> OpenHours | None:
    """Parse open hours: one or more comma-separated `DAYS HH:MM-HH:MM` ranges.

    DAYS is one day or a range of days, in English (`mon`..`sun`) or Dutch (`ma`..`zo`):
    `mon-fri 09:00-17:00, sat 10:00-14:00` or `ma-vr 09:00-17:00`. A range that ends at or
    before it starts runs past midnight (`fri 22:00-02:00`); `00:00-24:00` is all day.
    None means round the clock and gives None. Anything else raises ValueError saying what
    was expected.
    """
    if text is None:
        return None
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"expected open hours like {_HOURS_EXAMPLE}, got {text!r}")
    ranges = tuple(_parse_range(part.strip(), text) for part in text.split(","))
    return OpenHours(ranges)


def _parse_range(part: str, whole: str) -> OpenRange:
    match = _RANGE.match(part.lower())
    if not match:
        raise ValueError(
            f"expected open hours like {_HOURS_EXAMPLE}, got {part!r}"
            + (f" in {whole!r}" if part != whole.strip() else "")
        )
    first = _parse_day(match["first"], part)
    last = _parse_day(match["last"], part) if match["last"] else first
    start = _parse_time(match["start"], part, allow_midnight_end=False)
    end = _parse_time(match["end"], part, allow_midnight_end=True)
    if start == end:
        raise ValueError(
            f"{part!r} opens and closes at the same time; write 00:00-24:00 for all day"
        )
    if end < start:
        end += MINUTES_PER_DAY  # runs past midnight into the next day
    return OpenRange(first, last, start, end)


def _parse_day(name: str, part: str) -> int:
    if name not in _DAY_NAMES:
        raise ValueError(f"unknown day {name!r} in {part!r}: {_DAYS_HELP}")
    return _DAY_NAMES[name]


def _parse_time(text: str, part: str, *, allow_midnight_end: bool) -> int:
    hours, minutes = (int(piece) for piece in text.split(":"))
    if minutes < 60 and (hours < 24 or (allow_midnight_end and hours == 24 and minutes == 0)):
        return hours * 60 + minutes
    limit = "24:00" if allow_midnight_end else "23:59"
    raise ValueError(f"bad time {text!r} in {part!r}: expected HH:MM from 00:00 to {limit}")


# ---------------------------------------------------------------------------------------------
# Open hours on the calendar

Interval = tuple[int, int]
MICROS_PER_SECOND = 1_000_000
MICROS_PER_DAY = 86_400 * MICROS_PER_SECOND
# Longest run of closed days a search walks before it gives up (and, for next_change, the
# longest stretch of open time it follows).
SEARCH_DAYS = 400
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_DAY = timedelta(days=1)
_GROW = timedelta(days=64)
# The calendar a single question may lay out, from its start.
LONGEST_SPAN_DAYS = 20 * 366
# A question this far outside the dates already laid out starts a fresh timeline there, so a
# stray timestamp from another century costs a few days of work, not a century of them.
_RESEAT = 3 * 366 * MICROS_PER_DAY


def to_micros(moment: datetime) -> int:
    """Microseconds since the Unix epoch; a naive time is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # Field arithmetic rather than `// timedelta`: this runs for every thread on every tick.
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * MICROS_PER_SECOND + delta.microseconds


def from_micros(micros: int) -> datetime:
    """The UTC moment `micros` microseconds after the Unix epoch."""
    seconds, micro = divmod(micros, MICROS_PER_SECOND)
    return _EPOCH + timedelta(0, seconds, micro)


@dataclass(frozen=True, slots=True)
class _Timeline:
    """The open intervals of the local dates `first` up to (not including) `end`.

    `before[i]` is the open time before interval `i` starts, counted from `first`; it has one
    more entry than `starts`, the total. Never changed once built: a longer timeline is a new
    object, so a reader on another thread always sees one consistent set of lists.
    """

    first: date
    end: date
    lo: int
    starts: list[int]
    ends: list[int]
    before: list[int]
    closed_run: int


class OpenSchedule:
    """Open hours read in one time zone, with holidays: a timeline of open intervals.

    Each local date's ranges become wall-clock intervals converted to UTC instants, so an
    interval lasts the real time it is open (a 09:00-17:00 day on a DST Sunday is 8 real hours)
    and a range in the hour a DST change skips has no time at all. A holiday closes its local
    date from 00:00 to 24:00, including the part of an overnight range from the day before.

    Instants are integer microseconds since the epoch, so sums are exact. The intervals are
    laid out date by date as far as questions need, with prefix sums of open time, so adding
    open time or measuring it is two binary searches rather than a walk. A question that meets
    more than SEARCH_DAYS closed days in a row raises ValueError.
    """

    def __init__(self, hours: OpenHours, zone: tzinfo, is_holiday: Callable[[date], bool]) -> None:
        self.hours = hours
        self.zone = zone
        self.is_holiday = is_holiday
        self.day_micros = hours.day_minutes * 60 * MICROS_PER_SECOND
        self._timeline: _Timeline | None = None

    def local_date(self, micros: int) -> date:
        """The local date at the instant `micros`."""
        return from_micros(micros).astimezone(self.zone).date()

    def day(self, day: date) -> tuple[Interval, ...]:
        """The open intervals inside the local date `day`: none on a holiday."""
        if self.is_holiday(day):
            return ()
        midnight = datetime(day.year, day.month, day.day, tzinfo=self.zone)
        intervals = []
        for start, end in self.hours.by_weekday[day.weekday()]:
            first, last = self._instant(midnight, start), self._instant(midnight, end)
            if last > first:  # a range inside the hour a DST change skips has no time at all
                intervals.append((first, last))
        return tuple(intervals)

    def _instant(self, midnight: datetime, minutes: int) -> int:
        """The instant the local wall clock reads `minutes` past `midnight`.

        In the hour a DST change repeats this is the first time the clock reads it; in the hour
        it skips, the moment the clock jumps past it (an office opening at 02:30 on that night
        opens when the clock says 03:00).
        """
        local = midnight + timedelta(minutes=minutes)  # aware + timedelta is wall-clock time
        micros = to_micros(local)
        back = from_micros(micros).astimezone(self.zone)
        if back.replace(tzinfo=None) == local.replace(tzinfo=None):
            return micros
        return self._transition(to_micros(local.replace(fold=1)), micros)

    def _transition(self, before: int, after: int) -> int:
        # The offset changes once between the two readings of a skipped wall time; find the
        # second it does by halving (a dozen steps, on a few dates a year at most).
        zone, offset = self.zone, from_micros(after).astimezone(self.zone).utcoffset()
        low, high = min(before, after), max(before, after)
        while high - low > MICROS_PER_SECOND:
            middle = (low + high) // 2
            if from_micros(middle).astimezone(zone).utcoffset() == offset:
                high = middle
            else:
                low = middle
        return high - high % MICROS_PER_SECOND

    def add(self, start: int, amount: int) -> int:
        """The instant when `amount` of open time has passed since `start`.

        From a closed moment it counts from the next opening; when the amount runs out exactly
        at a closing, that closing is the answer.
        """
        timeline = self._covering(start, start)
        i = bisect_right(timeline.ends, start)
        target = timeline.before[i] + max(0, start - timeline.starts[i]) + amount
        while timeline.before[-1] < target:
            timeline = self._grow(timeline)
        j = bisect_left(timeline.before, target, lo=i + 1) - 1
        return timeline.starts[j] + target - timeline.before[j]

    def open_between(self, start: int, end: int) -> int:
        """Open time from `start` to `end` (not before `start`)."""
        timeline = self._covering(start, end)
        return _open_before(timeline, end) - _open_before(timeline, start)

    def is_open(self, at: int) -> bool:
        """Whether `at` falls inside an open interval (an opening counts, a closing does not)."""
        timeline = self._covering(at, at)
        return timeline.starts[bisect_right(timeline.ends, at)] <= at

    def next_change(self, at: int) -> int | None:
        """The next opening when closed at `at`, else the next closing; None past SEARCH_DAYS."""
        timeline = self._covering(at, at)
        i = bisect_right(timeline.ends, at)
        if timeline.starts[i] > at:
            return timeline.starts[i]
        closing = timeline.ends[i]
        while closing - at <= SEARCH_DAYS * MICROS_PER_DAY:
            if i + 1 == len(timeline.ends):
                timeline = self._grow(timeline)
                continue
            i += 1
            if timeline.starts[i] > closing:
                return closing
            closing = max(closing, timeline.ends[i])  # open on across midnight
        return None

    def intervals_between(self, start: int, end: int) -> list[Interval]:
        """The open intervals that overlap `start`..`end`, in order, not merged at midnight."""
        timeline = self._covering(start, end)
        i = bisect_right(timeline.ends, start)
        found = []
        while i < len(timeline.starts) and timeline.starts[i] < end:
            found.append((timeline.starts[i], timeline.ends[i]))
            i += 1
        return found

    # -- the timeline ----------------------------------------------------------------------

    def _covering(self, start: int, end: int) -> _Timeline:
        """A timeline that holds `start` and an open interval that ends after `end`."""
        timeline = self._timeline
        if (
            timeline is not None
            and timeline.lo <= start
            and timeline.ends
            and timeline.ends[-1] > end
        ):
            return timeline  # the common case: a recent instant, already laid out
        if timeline is None or not timeline.lo - _RESEAT <= start < timeline.lo + _RESEAT * 2:
            day = self.local_date(start)
            timeline = self._build(day - _ONE_DAY, day + _GROW)
        elif start < timeline.lo:
            day = self.local_date(start)
            timeline = self._build(min(day - _ONE_DAY, timeline.first - _GROW), timeline.end)
        while not timeline.ends or timeline.ends[-1] <= end:
            timeline = self._grow(timeline)
        return timeline

    def _build(self, first: date, end: date) -> _Timeline:
        midnight = datetime(first.year, first.month, first.day, tzinfo=self.zone)
        empty = _Timeline(first, first, to_micros(midnight), [], [], [0], 0)
        return self._extended(empty, end)

    def _grow(self, timeline: _Timeline) -> _Timeline:
        if timeline.closed_run > SEARCH_DAYS:
            raise ValueError(
                f"no open time in the {timeline.closed_run} days before {timeline.end}:"
                " check the holidays and hours"
            )
        if (timeline.end - timeline.first).days > LONGEST_SPAN_DAYS:
            # Only a stray date or an absurd amount gets here; laying out centuries would hang.
            raise ValueError(
                f"open time reaching past {timeline.end}, more than"
                f" {LONGEST_SPAN_DAYS // 366} years ahead, is not a response clock"
            )
        return self._extended(timeline, timeline.end + _GROW)

    def _extended(self, timeline: _Timeline, end: date) -> _Timeline:
        starts, ends, before = list(timeline.starts), list(timeline.ends), list(timeline.before)
        closed_run, day = timeline.closed_run, timeline.end
        while day < end:
            intervals = self.day(day)
            closed_run = 0 if intervals else closed_run + 1
            for first, last in intervals:
                starts.append(first)
                ends.append(last)
                before.append(before[-1] + last - first)
            day += _ONE_DAY
        extended = _Timeline(timeline.first, end, timeline.lo, starts, ends, before, closed_run)
        self._timeline = extended
        return extended


def _open_before(timeline: _Timeline, at: int) -> int:
    i = bisect_right(timeline.ends, at)
    return timeline.before[i] + max(0, at - timeline.starts[i])
