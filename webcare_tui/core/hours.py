"""Open hours and window lengths as the config writes them: `mon-fri 09:00-17:00`, `1h30m`, `1d`.

Parsing that text into weekly patterns (`parse_hours`) and lengths of open time
(`parse_duration`). Laying a pattern on a calendar is `webcare_tui.core.schedule`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

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
