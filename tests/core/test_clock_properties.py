"""Laws the response clock must keep, checked on generated cases.

Part one states properties with hypothesis. Part two checks the clock against a second, naive
implementation written here: it decides minute by minute whether the team is open, straight
from the config's meaning (local weekday and wall-clock time, holidays closed all day), and
counts open minutes one at a time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from webcare_tui.core.clock import ClockKind, ResponseClock, ResponseWindow, parse_hours

AMS = ZoneInfo("Europe/Amsterdam")
MICRO = timedelta(microseconds=1)

CLOCKS = {
    "round the clock": ResponseClock("Europe/Amsterdam"),
    "office": ResponseClock(
        "Europe/Amsterdam",
        [ResponseWindow(hours=parse_hours("mon-fri 09:00-17:00"))],
        holidays=[date(2026, 12, 31), date(2026, 6, 3)],
        holiday_country="NL",
    ),
    "split days": ResponseClock(
        "Europe/Amsterdam",
        [ResponseWindow(hours=parse_hours("ma-vr 08:30-12:00, ma-vr 13:00-17:30, za 10:00-14:00"))],
    ),
    "nights": ResponseClock(
        "Europe/Amsterdam",
        [ResponseWindow(hours=parse_hours("fri 22:00-02:00, mon-thu 20:00-23:00"))],
    ),
    "all week": ResponseClock(
        "Europe/Amsterdam",
        [ResponseWindow(hours=parse_hours("mon-sun 00:00-24:00"))],
        holidays=[date(2026, 3, 29), date(2026, 10, 26)],
    ),
}

# Two years that hold both DST changes twice, to the microsecond.
_BASE = datetime(2026, 1, 1, tzinfo=UTC)
moments = st.integers(0, 2 * 366 * 86_400 * 10**6).map(lambda n: _BASE + n * MICRO)
amounts = st.integers(0, 3 * 86_400 * 10**6).map(lambda n: n * MICRO)
clock_names = st.sampled_from(sorted(CLOCKS))

FAST = settings(max_examples=150, deadline=None)


@FAST
@given(clock_names, moments, amounts)
def test_due_never_comes_before_the_message(name: str, start: datetime, amount: timedelta) -> None:
    assert CLOCKS[name].add_open_time("*", start, amount) >= start


@FAST
@given(clock_names, moments, moments, amounts)
def test_due_is_monotone_in_the_start(
    name: str, first: datetime, second: datetime, amount: timedelta
) -> None:
    clock = CLOCKS[name]
    early, late = min(first, second), max(first, second)
    assert clock.add_open_time("*", early, amount) <= clock.add_open_time("*", late, amount)


@FAST
@given(clock_names, moments, amounts, amounts)
def test_adding_a_window_in_two_halves_is_adding_it_at_once(
    name: str, start: datetime, first: timedelta, second: timedelta
) -> None:
    clock = CLOCKS[name]
    halfway = clock.add_open_time("*", start, first)
    assert clock.add_open_time("*", halfway, second) == clock.add_open_time(
        "*", start, first + second
    )


@FAST
@given(clock_names, moments, amounts)
def test_inside_one_open_interval_it_is_plain_addition(
    name: str, start: datetime, amount: timedelta
) -> None:
    clock = CLOCKS[name]
    assume(clock.is_open("*", start))
    closes = clock.next_change("*", start)
    assume(closes is None or start + amount <= closes)
    assert clock.add_open_time("*", start, amount) == start + amount


@FAST
@given(clock_names, moments, amounts)
def test_the_open_time_to_the_due_time_is_the_window(
    name: str, start: datetime, amount: timedelta
) -> None:
    clock = CLOCKS[name]
    due = clock.add_open_time("*", start, amount)
    assert clock.open_seconds_between("*", start, due) == amount.total_seconds()
    assert clock.open_seconds_between("*", due, start) == -amount.total_seconds()


@FAST
@given(clock_names, moments, amounts.filter(bool))
def test_the_clock_runs_out_in_open_time(name: str, start: datetime, amount: timedelta) -> None:
    clock = CLOCKS[name]
    assert clock.is_open("*", clock.add_open_time("*", start, amount) - MICRO)


@FAST
@given(clock_names, moments, moments, moments)
def test_open_time_adds_up_over_consecutive_spans(
    name: str, first: datetime, second: datetime, third: datetime
) -> None:
    clock = CLOCKS[name]
    a, b, c = sorted((first, second, third))
    parts = clock.open_seconds_between("*", a, b) + clock.open_seconds_between("*", b, c)
    assert parts == pytest.approx(clock.open_seconds_between("*", a, c), abs=1e-6)


@FAST
@given(clock_names, moments, st.sampled_from(list(ClockKind)))
def test_due_at_adds_the_window_resolved_for_the_channel(
    name: str, start: datetime, kind: ClockKind
) -> None:
    clock = CLOCKS[name]
    window = clock.window_for("*").length(kind)
    amount = window.days * timedelta(seconds=clock.day_seconds("*")) + window.rest
    assert clock.due_at("*", kind, start) == clock.add_open_time("*", start, amount)


@FAST
@given(clock_names, moments)
def test_next_change_flips_is_open(name: str, moment: datetime) -> None:
    clock = CLOCKS[name]
    change = clock.next_change("*", moment)
    if change is None:
        assert clock.is_open("*", moment)
        return
    assert change > moment
    assert clock.is_open("*", change) != clock.is_open("*", moment)
    assert clock.is_open("*", change - MICRO) == clock.is_open("*", moment)


# -- a second, naive clock ------------------------------------------------------------------

DAY_NAMES = (("mon", "ma"), ("tue", "di"), ("wed", "wo"), ("thu", "do"), ("fri", "vr"),
             ("sat", "za"), ("sun", "zo"))  # fmt: skip
# Whole quarter hours, but none strictly inside 02:00-03:00: that local hour is skipped or
# repeated on DST Sundays, where "open from 02:30" has no single meaning to check against.
BOUNDARIES = [m for m in range(0, 24 * 60 + 1, 15) if not 120 < m < 180]
# Each period has a DST Sunday on its ninth day; clocks start in the first half.
PERIOD_DAYS = 24
PERIODS = [datetime(2026, 3, 20, tzinfo=UTC), datetime(2026, 10, 16, tzinfo=UTC)]


@dataclass(frozen=True)
class NaiveRange:
    weekdays: tuple[int, ...]
    start: int  # minutes after midnight
    end: int  # minutes after midnight; at or before `start` means past midnight

    def text(self, rng: random.Random) -> str:
        lang = rng.randrange(2)
        first, last = DAY_NAMES[self.weekdays[0]][lang], DAY_NAMES[self.weekdays[-1]][lang]
        days = first if len(self.weekdays) == 1 else f"{first}-{last}"
        return f"{days} {clock_text(self.start)}-{clock_text(self.end)}"


def clock_text(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def random_ranges(rng: random.Random) -> list[NaiveRange]:
    ranges = []
    for _ in range(rng.randint(1, 3)):
        first, span = rng.randrange(7), rng.choice([0, 0, 1, 2, 4, 6])
        start = rng.choice(BOUNDARIES[:-1])
        end = rng.choice([m for m in BOUNDARIES if m != start and not (start == 0 and m == 0)])
        ranges.append(NaiveRange(tuple((first + k) % 7 for k in range(span + 1)), start, end))
    return ranges


def weekly_table(ranges: list[NaiveRange]) -> list[list[bool]]:
    """open[weekday][minute of the day], straight from what each range says."""
    table = [[False] * 1440 for _ in range(7)]
    for r in ranges:
        length = r.end - r.start if r.end > r.start else r.end + 1440 - r.start
        for weekday in r.weekdays:
            for minute in range(r.start, r.start + length):
                table[(weekday + minute // 1440) % 7][minute % 1440] = True
    return table


_WALL_CLOCK: dict[datetime, list[tuple[date, int, int]]] = {}


def wall_clock(period: datetime) -> list[tuple[date, int, int]]:
    """(local date, weekday, minute of the day) of every UTC minute in the period."""
    if period not in _WALL_CLOCK:
        minutes = []
        for n in range(PERIOD_DAYS * 1440):
            local = (period + timedelta(minutes=n)).astimezone(AMS)
            minutes.append((local.date(), local.weekday(), local.hour * 60 + local.minute))
        _WALL_CLOCK[period] = minutes
    return _WALL_CLOCK[period]


def naive_due(flags: list[bool], start: int, window: int) -> int | None:
    """The minute index at which `window` open minutes have passed, stepping minute by minute."""
    counted = 0
    for minute in range(start, len(flags)):
        if flags[minute]:
            counted += 1
            if counted == window:
                return minute + 1
    return None


def test_the_clock_agrees_with_a_naive_minute_by_minute_clock() -> None:
    rng = random.Random(20260329)
    checked = {"due": 0, "open time": 0, "is open": 0, "next change": 0}
    for _ in range(24):
        ranges = random_ranges(rng)
        text = ", ".join(r.text(rng) for r in ranges)
        table = weekly_table(ranges)
        weekly_open = sum(map(sum, table))
        for period in PERIODS:
            holidays = {period.date() + timedelta(days=rng.randrange(PERIOD_DAYS)) for _ in "ab"}
            clock = ResponseClock(
                "Europe/Amsterdam", [ResponseWindow(hours=parse_hours(text))], holidays=holidays
            )
            flags = [
                day not in holidays and table[weekday][minute]
                for day, weekday, minute in wall_clock(period)
            ]

            def when(minute: int, period: datetime = period) -> datetime:
                return period + timedelta(minutes=minute)

            for _ in range(40):
                start = rng.randrange(len(flags) // 2)
                window = rng.randint(1, min(360, weekly_open))
                expected = naive_due(flags, start, window)
                if expected is None:
                    continue
                due = clock.add_open_time("*", when(start), timedelta(minutes=window))
                assert due == when(expected), (text, sorted(holidays), when(start), window)
                checked["due"] += 1
            for _ in range(20):
                a, b = sorted(rng.sample(range(len(flags)), 2))
                seconds = clock.open_seconds_between("*", when(a), when(b))
                assert seconds == 60 * sum(flags[a:b]), (text, when(a), when(b))
                checked["open time"] += 1
            for _ in range(20):
                minute = rng.randrange(len(flags))
                assert clock.is_open("*", when(minute)) == flags[minute], (text, when(minute))
                checked["is open"] += 1
            for _ in range(10):
                minute = rng.randrange(len(flags) // 2)
                after = minute + 1
                while after < len(flags) and flags[after] == flags[minute]:
                    after += 1
                if after == len(flags):
                    continue
                assert clock.next_change("*", when(minute)) == when(after), (text, when(minute))
                checked["next change"] += 1
    # The comparison must really have happened, not been skipped case by case.
    assert checked["due"] > 1500 and checked["next change"] > 300, checked
