"""Parsing what the config says about the clock: window lengths and open hours."""

from __future__ import annotations

from datetime import timedelta

import pytest

from webcare_tui.core.hours import OpenHours, OpenRange, WindowLength, parse_duration, parse_hours

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


# -- durations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45m", WindowLength(0, timedelta(minutes=45))),
        ("2h", WindowLength(0, timedelta(hours=2))),
        ("1h30m", WindowLength(0, timedelta(hours=1, minutes=30))),
        ("1h 30m", WindowLength(0, timedelta(hours=1, minutes=30))),
        ("90m", WindowLength(0, timedelta(minutes=90))),
        ("30s", WindowLength(0, timedelta(seconds=30))),
        ("1d", WindowLength(1)),
        ("2d4h", WindowLength(2, timedelta(hours=4))),
        (" 2H ", WindowLength(0, timedelta(hours=2))),
    ],
)
def test_parse_duration_reads_days_of_open_time_apart(text: str, expected: WindowLength) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["x", "", "1x", "m", "1.5h", "-1h", "h30", "1m2h", "1 day"])
def test_parse_duration_says_what_it_expected(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected a duration like 45m, 2h, 1h30m or 1d, got"):
        parse_duration(text)


def test_parse_duration_quotes_the_bad_text() -> None:
    with pytest.raises(ValueError) as caught:
        parse_duration("soon")
    assert str(caught.value) == "expected a duration like 45m, 2h, 1h30m or 1d, got 'soon'"


@pytest.mark.parametrize("text", ["0m", "0d", "0h0m"])
def test_parse_duration_refuses_zero(text: str) -> None:
    with pytest.raises(ValueError, match="longer than zero"):
        parse_duration(text)


def test_parse_duration_refuses_more_than_a_year() -> None:
    with pytest.raises(ValueError, match="more than a year"):
        parse_duration("400d")


def test_window_length_adds_days_and_rest_apart() -> None:
    total = parse_duration("1d2h") + parse_duration("1d30m")
    assert total == WindowLength(2, timedelta(hours=2, minutes=30))
    assert str(total) == "2d2h30m"


def test_window_length_resolves_days_against_the_day_it_is_given() -> None:
    assert parse_duration("1d2h").seconds(8 * 3600) == 10 * 3600
    assert parse_duration("1d2h").seconds(24 * 3600) == 26 * 3600


def test_window_length_normalises_what_callers_hold() -> None:
    assert WindowLength.of(timedelta(hours=3)) == WindowLength(0, timedelta(hours=3))
    assert WindowLength.of("1d") == WindowLength(1)
    with pytest.raises(ValueError):
        WindowLength(-1)


# -- open hours -----------------------------------------------------------------------------


def test_parse_hours_none_is_round_the_clock() -> None:
    assert parse_hours(None) is None


def test_parse_hours_reads_a_day_range() -> None:
    hours = parse_hours("mon-fri 09:00-17:00")
    assert hours is not None
    assert hours.ranges == (OpenRange(MON, FRI, 9 * 60, 17 * 60),)
    assert hours.by_weekday[MON] == ((540, 1020),)
    assert hours.by_weekday[SAT] == ()


def test_parse_hours_reads_several_ranges() -> None:
    hours = parse_hours("mon-fri 09:00-17:00, sat 10:00-14:00")
    assert hours is not None
    assert hours.ranges[1] == OpenRange(SAT, SAT, 600, 840)
    assert hours.by_weekday[SAT] == ((600, 840),)
    assert hours.by_weekday[SUN] == ()


def test_dutch_day_names_mean_the_same_days() -> None:
    assert parse_hours("ma-vr 09:00-17:00, za 10:00-14:00") == parse_hours(
        "mon-fri 09:00-17:00, sat 10:00-14:00"
    )
    assert parse_hours("zo 10:00-12:00") == parse_hours("sun 10:00-12:00")
    assert parse_hours("di-do 08:00-12:00") == parse_hours("tue-thu 08:00-12:00")


def test_a_range_past_midnight_spills_into_the_next_day() -> None:
    hours = parse_hours("fri 22:00-02:00")
    assert hours is not None
    assert hours.ranges == (OpenRange(FRI, FRI, 22 * 60, 26 * 60),)
    assert hours.by_weekday[FRI] == ((1320, 1440),)
    assert hours.by_weekday[SAT] == ((0, 120),)


def test_a_day_range_may_wrap_round_the_week() -> None:
    hours = parse_hours("sat-mon 10:00-12:00")
    assert hours is not None
    assert hours.ranges[0].weekdays == (SAT, SUN, MON)
    assert [bool(hours.by_weekday[day]) for day in range(7)] == [
        True,
        False,
        False,
        False,
        False,
        True,
        True,
    ]


def test_all_day_is_00_00_to_24_00() -> None:
    hours = parse_hours("mon-sun 00:00-24:00")
    assert hours is not None
    assert all(hours.by_weekday[day] == ((0, 1440),) for day in range(7))
    assert hours.day_minutes == 24 * 60


def test_overlapping_ranges_are_merged() -> None:
    hours = parse_hours("mon 09:00-13:00, mon 12:00-17:00")
    assert hours is not None
    assert hours.by_weekday[MON] == ((540, 1020),)
    assert hours.day_minutes == 8 * 60


@pytest.mark.parametrize(
    ("text", "day_hours"),
    [
        ("mon-fri 09:00-17:00", 8),
        ("mon-fri 09:00-17:00, sat 10:00-14:00", 8),  # the common day, not the short one
        ("mon 09:00-17:00, sat-sun 10:00-14:00", 4),  # two short days beat one long day
        ("mon 09:00-17:00, sat 10:00-14:00", 8),  # a tie goes to the longer day
        ("mon-fri 09:00-12:00, mon-fri 13:00-17:00", 7),
        ("fri 22:00-02:00", 4),  # counted on the day it opens
        ("mon-fri 20:00-04:00", 8),
    ],
)
def test_a_day_of_open_time_is_the_typical_open_day(text: str, day_hours: int) -> None:
    hours = parse_hours(text)
    assert hours is not None
    assert hours.day_minutes == day_hours * 60


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected open hours like"),
        ("   ", "expected open hours like"),
        ("mon-fri 9-17", "expected open hours like"),
        ("09:00-17:00", "expected open hours like"),
        ("mon-fri 09:00-17:00,", "expected open hours like"),
        ("mon-fri 09:00-17:00; sat 10:00-14:00", "expected open hours like"),
        ("mnd 09:00-17:00", "unknown day 'mnd'"),
        ("mon-frei 09:00-17:00", "unknown day 'frei'"),
        ("mon 25:00-26:00", "bad time '25:00'"),
        ("mon 09:60-17:00", "bad time '09:60'"),
        ("mon 24:00-02:00", "bad time '24:00'"),
        ("mon 09:00-24:30", "bad time '24:30'"),
        ("mon 09:00-09:00", "opens and closes at the same time"),
    ],
)
def test_parse_hours_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_hours(text)


def test_parse_hours_names_the_bad_part_and_the_whole() -> None:
    with pytest.raises(ValueError) as caught:
        parse_hours("mon-fri 09:00-17:00, sat 10-14")
    assert "'sat 10-14'" in str(caught.value)
    assert "'mon-fri 09:00-17:00, sat 10-14'" in str(caught.value)


def test_hours_that_never_open_are_refused() -> None:
    with pytest.raises(ValueError, match="open at some time in the week"):
        OpenHours(())


def test_hours_describe_themselves_in_english_and_dutch() -> None:
    hours = parse_hours("ma-vr 09:00-17:00, za 10:00-14:00, fri 22:00-02:00")
    assert hours is not None
    assert hours.describe("en") == "Mon-Fri 09:00-17:00, Sat 10:00-14:00, Fri 22:00-02:00"
    assert hours.describe("nl") == "ma-vr 09:00-17:00, za 10:00-14:00, vr 22:00-02:00"
    all_day = parse_hours("mon-sun 00:00-24:00")
    assert all_day is not None
    assert all_day.describe("nl") == "ma-zo 00:00-24:00"
    with pytest.raises(ValueError, match="unknown language"):
        hours.describe("de")
