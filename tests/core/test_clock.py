"""The response clock on named cases: DST Sundays, holidays, nights, weekends, own hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from webcare_tui.core.clock import (
    ClockKind,
    ResponseClock,
    ResponseWindow,
    WindowLength,
    parse_duration,
    parse_hours,
)

AMS = ZoneInfo("Europe/Amsterdam")
OFFICE = "mon-fri 09:00-17:00"
FIRST, NEXT, FOLLOW_UP = ClockKind.FIRST, ClockKind.NEXT, ClockKind.FOLLOW_UP


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A local Amsterdam wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def office_clock(hours: str | None = OFFICE, **kwargs: object) -> ResponseClock:
    window = ResponseWindow(hours=parse_hours(hours))
    return ResponseClock("Europe/Amsterdam", [window], **kwargs)  # type: ignore[arg-type]


def local(moment: datetime) -> datetime:
    return moment.astimezone(AMS)


# -- the interface the rest of the program relies on ----------------------------------------


def test_due_at_returns_utc() -> None:
    due = office_clock().due_at("*", FIRST, at(2026, 3, 2, 10))
    assert due.utcoffset() == timedelta(0)
    assert due == at(2026, 3, 2, 11)


def test_defaults_are_60m_4h_1d_round_the_clock() -> None:
    window = ResponseWindow()
    assert window.first_response == parse_duration("60m")
    assert window.next_response == parse_duration("4h")
    assert window.follow_up == parse_duration("1d")
    assert window.hours is None
    clock = ResponseClock()
    start = datetime(2026, 3, 7, 23, 0, tzinfo=UTC)
    assert clock.due_at("any", FIRST, start) == start + timedelta(hours=1)
    assert clock.due_at("any", FOLLOW_UP, start) == start + timedelta(days=1)


def test_window_accepts_timedelta_and_config_text() -> None:
    window = ResponseWindow(first_response=timedelta(minutes=30), hours=OFFICE)  # type: ignore[arg-type]
    assert window.first_response == WindowLength(0, timedelta(minutes=30))
    assert window.hours == parse_hours(OFFICE)
    assert window.length(FIRST) == WindowLength(0, timedelta(minutes=30))
    assert window.length(ClockKind("follow_up")) == WindowLength(1)


def test_kind_may_be_given_as_its_text() -> None:
    clock = office_clock()
    start = at(2026, 3, 2, 10)
    assert clock.due_at("*", "next_response", start) == at(2026, 3, 2, 14)  # type: ignore[arg-type]


# -- round the clock --------------------------------------------------------------------------


def test_round_the_clock_on_the_spring_dst_sunday_counts_real_time() -> None:
    clock = office_clock(None)
    start = at(2026, 3, 29, 1, 30)  # 01:30 CET; at 02:00 the clocks jump to 03:00
    due = clock.due_at("*", FIRST, start)
    assert due - start == timedelta(hours=1)
    assert local(due).hour == 3 and local(due).minute == 30
    assert clock.open_seconds_between("*", at(2026, 3, 29), at(2026, 3, 30)) == 23 * 3600


def test_round_the_clock_on_the_autumn_dst_sunday_counts_real_time() -> None:
    clock = office_clock(None)
    start = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, the first 02:30
    due = clock.due_at("*", FIRST, start)
    assert due - start == timedelta(hours=1)
    assert local(due).strftime("%H:%M %Z") == "02:30 CET"  # the second 02:30
    assert clock.open_seconds_between("*", at(2026, 10, 25), at(2026, 10, 26)) == 25 * 3600


def test_round_the_clock_ignores_holidays() -> None:
    clock = office_clock(None, holidays=[date(2026, 12, 25)])
    start = at(2026, 12, 25, 12)
    assert clock.due_at("*", FIRST, start) == start + timedelta(hours=1)
    assert clock.is_open("*", start)
    assert clock.next_change("*", start) is None


# -- office hours -----------------------------------------------------------------------------


def test_inside_open_hours_it_is_plain_addition() -> None:
    assert office_clock().due_at("*", FIRST, at(2026, 3, 2, 10, 17)) == at(2026, 3, 2, 11, 17)


def test_a_window_that_ends_at_closing_is_due_at_closing() -> None:
    assert office_clock().due_at("*", FIRST, at(2026, 3, 2, 16)) == at(2026, 3, 2, 17)


def test_a_window_longer_than_a_days_open_hours_runs_on_the_next_day() -> None:
    clock = ResponseClock(
        "Europe/Amsterdam",
        [ResponseWindow(next_response=parse_duration("10h"), hours=parse_hours(OFFICE))],
    )
    assert clock.due_at("*", NEXT, at(2026, 3, 2, 9)) == at(2026, 3, 3, 11)
    assert clock.due_at("*", NEXT, at(2026, 3, 2, 12)) == at(2026, 3, 3, 14)


def test_a_message_on_saturday_night_starts_its_clock_on_monday_morning() -> None:
    clock = office_clock()
    assert clock.due_at("*", FIRST, at(2026, 3, 7, 23, 10)) == at(2026, 3, 9, 10)


def test_a_message_before_opening_starts_at_opening() -> None:
    assert office_clock().due_at("*", FIRST, at(2026, 3, 3, 6, 45)) == at(2026, 3, 3, 10)


def test_friday_afternoon_carries_over_the_weekend() -> None:
    assert office_clock().due_at("*", NEXT, at(2026, 3, 6, 15)) == at(2026, 3, 9, 11)


def test_office_hours_on_the_spring_dst_sunday() -> None:
    clock = office_clock("mon-sun 09:00-17:00")
    due = clock.due_at("*", FIRST, at(2026, 3, 28, 16, 30))
    assert due == at(2026, 3, 29, 9, 30)
    assert due == datetime(2026, 3, 29, 7, 30, tzinfo=UTC)
    # The open day is still 8 real hours, though the calendar day is 23.
    assert clock.open_seconds_between("*", at(2026, 3, 29), at(2026, 3, 30)) == 8 * 3600


def test_office_hours_on_the_autumn_dst_sunday() -> None:
    clock = office_clock("mon-sun 09:00-17:00")
    assert clock.due_at("*", FIRST, at(2026, 10, 24, 16, 30)) == at(2026, 10, 25, 9, 30)
    assert clock.open_seconds_between("*", at(2026, 10, 25), at(2026, 10, 26)) == 8 * 3600


def test_a_dst_weekend_moves_no_office_deadline_by_an_hour() -> None:
    clock = office_clock()
    assert clock.due_at("*", NEXT, at(2026, 3, 27, 15)) == at(2026, 3, 30, 11)
    assert clock.due_at("*", NEXT, at(2026, 10, 23, 15)) == at(2026, 10, 26, 11)


def test_all_day_hours_count_the_real_length_of_a_dst_sunday() -> None:
    clock = office_clock("mon-sun 00:00-24:00")
    assert clock.open_seconds_between("*", at(2026, 3, 29), at(2026, 3, 30)) == 23 * 3600
    assert clock.open_seconds_between("*", at(2026, 10, 25), at(2026, 10, 26)) == 25 * 3600


def test_an_opening_in_the_skipped_dst_hour_opens_when_the_clocks_jump() -> None:
    clock = office_clock("sun 02:30-05:00")
    sunday = at(2026, 3, 29)
    assert local(clock.next_change("*", sunday) or sunday) == at(2026, 3, 29, 3)
    assert clock.open_seconds_between("*", sunday, at(2026, 3, 30)) == 2 * 3600


def test_a_holiday_on_a_weekday_is_closed_all_day() -> None:
    clock = office_clock(holidays=[date(2026, 12, 31)])
    assert clock.due_at("*", NEXT, at(2026, 12, 30, 16)) == at(2027, 1, 1, 12)
    assert not clock.is_open("*", at(2026, 12, 31, 12))
    assert clock.open_seconds_between("*", at(2026, 12, 31), at(2027, 1, 1)) == 0


def test_country_holidays_close_koningsdag() -> None:
    friday = at(2026, 4, 24, 16)
    assert office_clock().due_at("*", NEXT, friday) == at(2026, 4, 27, 12)
    dutch = office_clock(holiday_country="NL")
    assert dutch.due_at("*", NEXT, friday) == at(2026, 4, 28, 12)
    assert dutch.is_holiday(date(2026, 4, 27))
    assert dutch.holiday_name(date(2026, 4, 27)) == "King's Day"


def test_country_and_listed_holidays_add_up() -> None:
    clock = office_clock(holidays=[date(2026, 12, 31)], holiday_country="nl")
    # Thursday and Friday (New Year's Day) closed: the clock runs on on Monday.
    assert clock.due_at("*", NEXT, at(2026, 12, 30, 16)) == at(2027, 1, 4, 12)


def test_a_holiday_cuts_an_overnight_range_at_midnight() -> None:
    clock = office_clock("thu 22:00-02:00", holidays=[date(2026, 3, 6)])
    assert clock.open_seconds_between("*", at(2026, 3, 5), at(2026, 3, 7)) == 2 * 3600
    assert not clock.is_open("*", at(2026, 3, 6, 1))


def test_a_range_past_midnight() -> None:
    clock = office_clock("fri 22:00-02:00")
    assert clock.due_at("*", FIRST, at(2026, 3, 6, 23)) == at(2026, 3, 7, 0)
    assert clock.due_at("*", NEXT, at(2026, 3, 6, 23, 30)) == at(2026, 3, 13, 23, 30)
    assert clock.is_open("*", at(2026, 3, 7, 1))
    assert not clock.is_open("*", at(2026, 3, 7, 3))
    assert clock.next_change("*", at(2026, 3, 6, 23)) == at(2026, 3, 7, 2)


def test_dutch_day_names_run_the_same_clock() -> None:
    dutch, english = office_clock("ma-vr 09:00-17:00"), office_clock(OFFICE)
    for start in (at(2026, 3, 7, 23, 10), at(2026, 3, 6, 16, 30), at(2026, 3, 4, 12)):
        assert dutch.due_at("*", NEXT, start) == english.due_at("*", NEXT, start)


def test_a_channel_with_its_own_hours_beside_the_default() -> None:
    clock = ResponseClock(
        "Europe/Amsterdam",
        [
            ResponseWindow(hours=parse_hours(OFFICE)),
            ResponseWindow(channel="bluesky", hours=parse_hours("sat-sun 10:00-16:00")),
            ResponseWindow(channel="rss", first_response=parse_duration("2h")),
        ],
    )
    saturday = at(2026, 3, 7, 11)
    assert clock.due_at("bluesky", FIRST, saturday) == at(2026, 3, 7, 12)
    assert clock.due_at("mastodon", FIRST, saturday) == at(2026, 3, 9, 10)
    assert clock.due_at("rss", FIRST, saturday) == at(2026, 3, 7, 13)
    assert clock.window_for("mastodon").channel == "*"
    assert clock.window_for("bluesky").channel == "bluesky"
    assert clock.is_open("bluesky", saturday) and not clock.is_open("*", saturday)


def test_one_day_is_a_day_of_open_time() -> None:
    clock = office_clock()
    assert clock.day_seconds("*") == 8 * 3600
    assert clock.window_seconds("*", FOLLOW_UP) == 8 * 3600
    assert clock.due_at("*", FOLLOW_UP, at(2026, 3, 2, 10)) == at(2026, 3, 3, 10)
    assert clock.due_at("*", FOLLOW_UP, at(2026, 3, 6, 10)) == at(2026, 3, 9, 10)
    assert office_clock(None).day_seconds("*") == 24 * 3600


def test_add_open_time_counts_only_open_time() -> None:
    clock = office_clock()
    assert clock.add_open_time("*", at(2026, 3, 6, 16), timedelta(hours=3)) == at(2026, 3, 9, 11)
    with pytest.raises(ValueError, match="negative"):
        clock.add_open_time("*", at(2026, 3, 6, 16), timedelta(hours=-1))


# -- measuring open time ------------------------------------------------------------------------


def test_open_seconds_between_skips_closed_time() -> None:
    clock = office_clock()
    assert clock.open_seconds_between("*", at(2026, 3, 6, 16), at(2026, 3, 9, 10)) == 2 * 3600
    assert clock.open_seconds_between("*", at(2026, 3, 7, 10), at(2026, 3, 8, 10)) == 0


def test_open_seconds_between_is_negative_when_the_end_comes_first() -> None:
    clock = office_clock()
    assert clock.open_seconds_between("*", at(2026, 3, 9, 10), at(2026, 3, 6, 16)) == -2 * 3600


def test_open_seconds_keep_microseconds() -> None:
    clock = office_clock()
    start = at(2026, 3, 2, 10)
    assert clock.open_seconds_between("*", start, start + timedelta(microseconds=1500)) == 0.0015


def test_is_open_counts_the_opening_but_not_the_closing() -> None:
    clock = office_clock()
    assert clock.is_open("*", at(2026, 3, 2, 9))
    assert clock.is_open("*", at(2026, 3, 2, 16, 59))
    assert not clock.is_open("*", at(2026, 3, 2, 17))
    assert not clock.is_open("*", at(2026, 3, 7, 12))


def test_next_change_is_the_next_opening_or_closing() -> None:
    clock = office_clock()
    assert clock.next_change("*", at(2026, 3, 2, 10)) == at(2026, 3, 2, 17)
    assert clock.next_change("*", at(2026, 3, 2, 17)) == at(2026, 3, 3, 9)
    assert clock.next_change("*", at(2026, 3, 6, 18)) == at(2026, 3, 9, 9)


def test_next_change_follows_open_time_across_midnight() -> None:
    clock = office_clock("mon-sun 20:00-24:00, mon-sun 00:00-06:00")
    assert clock.next_change("*", at(2026, 3, 2, 23)) == at(2026, 3, 3, 6)


def test_hours_open_all_week_never_change_without_holidays() -> None:
    clock = office_clock("mon-sun 00:00-24:00")
    assert clock.next_change("*", at(2026, 3, 2, 10)) is None
    with_holiday = office_clock("mon-sun 00:00-24:00", holidays=[date(2026, 3, 4)])
    assert with_holiday.next_change("*", at(2026, 3, 2, 10)) == at(2026, 3, 4)
    assert with_holiday.next_change("*", at(2026, 3, 4, 10)) == at(2026, 3, 5)


def test_times_years_apart_are_answered_alike() -> None:
    clock = office_clock()
    for year in (2026, 1999, 2030, 2026, 2101, 2026):
        monday = datetime(year, 3, 1, 10, tzinfo=AMS)
        monday += timedelta(days=(7 - monday.weekday()) % 7)
        assert clock.due_at("*", FIRST, monday) == monday + timedelta(hours=1)


def test_naive_times_are_taken_as_utc() -> None:
    clock = office_clock()
    naive = datetime(2026, 3, 2, 9, 0)
    assert clock.due_at("*", FIRST, naive) == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


# -- the countdown ------------------------------------------------------------------------------


def test_countdown_is_calm_then_warning_then_overdue() -> None:
    clock = office_clock()
    start = at(2026, 3, 2, 10)
    due = clock.due_at("*", FIRST, start)
    calm = clock.countdown("*", FIRST, at(2026, 3, 2, 10, 30), due)
    assert (calm.seconds_left, calm.level, calm.paused, calm.opens_at) == (
        1800,
        "calm",
        False,
        None,
    )
    assert clock.countdown("*", FIRST, at(2026, 3, 2, 10, 45), due).level == "calm"
    assert clock.countdown("*", FIRST, at(2026, 3, 2, 10, 46), due).level == "warning"
    assert clock.countdown("*", FIRST, at(2026, 3, 2, 11), due).level == "overdue"
    late = clock.countdown("*", FIRST, at(2026, 3, 2, 11, 12), due)
    assert (late.seconds_left, late.level) == (-720, "overdue")


def test_countdown_pauses_while_closed() -> None:
    clock = office_clock()
    due = clock.due_at("*", FIRST, at(2026, 3, 6, 16, 50))
    assert due == at(2026, 3, 9, 9, 50)
    paused = clock.countdown("*", FIRST, at(2026, 3, 7, 12), due)
    assert paused.paused
    assert paused.seconds_left == 50 * 60
    assert paused.opens_at == at(2026, 3, 9, 9)
    assert paused.level == "calm"
    nearly = clock.countdown("*", FIRST, at(2026, 3, 7, 12), at(2026, 3, 9, 9, 10))
    assert (nearly.seconds_left, nearly.level) == (600, "warning")


def test_overdue_time_counts_only_open_time() -> None:
    clock = office_clock()
    due = at(2026, 3, 6, 16, 50)
    late = clock.countdown("*", FIRST, at(2026, 3, 9, 9, 5), due)
    assert late.seconds_left == -15 * 60


def test_warn_before_warns_earlier_than_the_share() -> None:
    clock = office_clock(warn_before=timedelta(minutes=30))
    due = clock.due_at("*", FIRST, at(2026, 3, 2, 10))
    assert clock.countdown("*", FIRST, at(2026, 3, 2, 10, 29), due).level == "calm"
    assert clock.countdown("*", FIRST, at(2026, 3, 2, 10, 31), due).level == "warning"
    config_text = office_clock(warn_before=parse_duration("30m"))
    assert config_text.countdown("*", FIRST, at(2026, 3, 2, 10, 31), due).level == "warning"


def test_warn_share_is_a_share_of_the_kinds_window() -> None:
    clock = office_clock(warn_share=0.5)
    due = clock.due_at("*", NEXT, at(2026, 3, 2, 10))
    assert clock.countdown("*", NEXT, at(2026, 3, 2, 11, 59), due).level == "calm"
    assert clock.countdown("*", NEXT, at(2026, 3, 2, 12, 1), due).level == "warning"


# -- bad configuration --------------------------------------------------------------------------


def test_an_unknown_time_zone_is_refused() -> None:
    with pytest.raises(ValueError, match=r"unknown time zone 'Mars/Olympus'.*IANA"):
        ResponseClock("Mars/Olympus")
    with pytest.raises(ValueError, match="unknown time zone"):
        ResponseClock("")


def test_an_unknown_holiday_country_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown holiday country 'XX'"):
        ResponseClock("Europe/Amsterdam", holiday_country="XX")


def test_a_warn_share_outside_zero_to_one_is_refused() -> None:
    with pytest.raises(ValueError, match="warn_share"):
        ResponseClock(warn_share=1.5)


def test_a_negative_warn_before_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        ResponseClock(warn_before=timedelta(minutes=-5))


def test_a_calendar_with_no_open_time_raises_instead_of_looping() -> None:
    every_day = [date(2026, 1, 1) + timedelta(days=n) for n in range(800)]
    clock = office_clock(holidays=every_day)
    with pytest.raises(ValueError, match="no open time"):
        clock.due_at("*", FIRST, at(2026, 1, 5, 10))
    with pytest.raises(ValueError, match="no open time"):
        clock.next_change("*", at(2026, 1, 5, 10))


def test_a_long_closure_within_the_bound_still_answers() -> None:
    closed = [date(2026, 1, 1) + timedelta(days=n) for n in range(300)]
    clock = office_clock(holidays=closed)
    # Closed up to and including Tuesday 2026-10-27, so the clock runs on Wednesday.
    assert clock.due_at("*", FIRST, at(2026, 1, 5, 10)) == at(2026, 10, 28, 10)


def test_a_stray_far_future_date_raises_instead_of_laying_out_centuries() -> None:
    clock = office_clock()
    with pytest.raises(ValueError, match="more than 20 years ahead"):
        clock.open_seconds_between("*", at(2026, 3, 2), datetime(9000, 1, 1, tzinfo=UTC))
    # The clock still answers ordinary questions afterwards.
    assert clock.due_at("*", FIRST, at(2026, 3, 2, 10)) == at(2026, 3, 2, 11)
