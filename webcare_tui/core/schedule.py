"""Open time on a calendar: a weekly pattern of open hours laid on the dates of one time zone,
with its holidays, so the response clock (`webcare_tui.core.clock`) can add and measure open
time in closed form.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from webcare_tui.core.hours import OpenHours

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
