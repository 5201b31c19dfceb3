"""The clock in words: countdown badges, the team's status line and explanations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from webcare_tui.core.clock import (
    ClockKind,
    Countdown,
    ResponseClock,
    ResponseWindow,
    format_countdown,
    format_team_status,
    parse_duration,
    parse_hours,
)
from webcare_tui.core.clock_text import countdown_cell, local_stamp, short_duration
from webcare_tui.core.model import RunningClock, Thread, ThreadState

AMS = ZoneInfo("Europe/Amsterdam")
FIRST, NEXT, FOLLOW_UP = ClockKind.FIRST, ClockKind.NEXT, ClockKind.FOLLOW_UP


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def office(**kwargs: object) -> ResponseClock:
    window = ResponseWindow(hours=parse_hours("mon-fri 09:00-17:00"))
    return ResponseClock("Europe/Amsterdam", [window], **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (45, "45s"),
        (59.9, "59s"),
        (60, "1m"),
        (42 * 60 + 59, "42m"),
        (3600, "1h"),
        (3 * 3600 + 10 * 60, "3h10m"),
        (51 * 3600 + 5 * 60, "51h5m"),
        (-12 * 60, "12m"),
    ],
)
def test_short_duration(seconds: float, text: str) -> None:
    assert short_duration(seconds) == text


def test_local_stamp_adds_the_date_when_it_is_far_off() -> None:
    assert local_stamp(at(2026, 12, 28, 9, 42)) == "Mon 09:42"
    assert local_stamp(at(2026, 12, 28, 9, 42), at(2026, 12, 24)) == "Mon 09:42"
    assert local_stamp(at(2027, 1, 4, 9, 0), at(2026, 12, 24)) == "Mon 4 Jan 2027 09:00"
    assert local_stamp(at(2026, 3, 9, 9, 0), at(2026, 2, 24)) == "Mon 9 Mar 09:00"


# -- countdown badges -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("countdown", "text"),
    [
        (Countdown(42 * 60, False, None, "calm"), "42m"),
        (Countdown(3 * 3600 + 600, False, None, "calm"), "3h10m"),
        (Countdown(45, False, None, "warning"), "45s"),
        (Countdown(-12 * 60, False, None, "overdue"), "overdue 12m"),
        (Countdown(-(3 * 3600 + 600), True, None, "overdue"), "overdue 3h10m"),
        (Countdown(0, False, None, "overdue"), "overdue 0s"),
    ],
)
def test_format_countdown(countdown: Countdown, text: str) -> None:
    assert format_countdown(countdown, AMS) == text


def test_a_paused_countdown_says_when_the_team_opens_in_team_time() -> None:
    paused = Countdown(40 * 60, True, datetime(2026, 3, 9, 8, 0, tzinfo=UTC), "calm")
    assert format_countdown(paused, AMS) == "paused · 40m left, opens Mon 09:00"
    assert format_countdown(paused, "Europe/London") == "paused · 40m left, opens Mon 08:00"
    assert format_countdown(Countdown(600, True, None, "warning"), AMS) == "paused · 10m left"


def test_badges_for_a_live_clock() -> None:
    clock = office()
    due = clock.due_at("*", FIRST, at(2026, 3, 6, 16, 20))
    friday = clock.countdown("*", FIRST, at(2026, 3, 6, 16, 30), due)
    assert format_countdown(friday, clock.timezone) == "50m"
    saturday = clock.countdown("*", FIRST, at(2026, 3, 7, 12), due)
    assert format_countdown(saturday, clock.timezone) == "paused · 20m left, opens Mon 09:00"
    monday = clock.countdown("*", FIRST, at(2026, 3, 9, 9, 32), due)
    assert format_countdown(monday, clock.timezone) == "overdue 12m"


# -- the team's status ----------------------------------------------------------------------


def test_team_status() -> None:
    clock = office()
    assert format_team_status(clock, "*", at(2026, 3, 2, 10)) == "Open · closes 17:00"
    assert format_team_status(clock, "*", at(2026, 3, 7, 10)) == "Closed · opens Mon 09:00"
    assert format_team_status(clock, "*", at(2026, 3, 3, 7)) == "Closed · opens 09:00"
    assert format_team_status(clock, "*", at(2026, 3, 3, 18)) == "Closed · opens Wed 09:00"
    assert format_team_status(ResponseClock(), now=at(2026, 3, 7)) == "Open round the clock"


def test_team_status_past_midnight_names_the_day() -> None:
    clock = ResponseClock(
        "Europe/Amsterdam", [ResponseWindow(hours=parse_hours("fri 22:00-02:00"))]
    )
    assert format_team_status(clock, "*", at(2026, 3, 6, 23)) == "Open · closes Sat 02:00"


def test_team_status_for_a_channel_with_its_own_hours() -> None:
    clock = ResponseClock(
        "Europe/Amsterdam",
        [
            ResponseWindow(hours=parse_hours("mon-fri 09:00-17:00")),
            ResponseWindow(channel="bluesky"),
        ],
    )
    saturday = at(2026, 3, 7, 12)
    assert format_team_status(clock, "bluesky", saturday) == "Open round the clock"
    assert format_team_status(clock, "mastodon", saturday) == "Closed · opens Mon 09:00"


# -- explanations ---------------------------------------------------------------------------


def test_explain_names_the_weekend_and_the_holiday() -> None:
    clock = office(holiday_country="NL")
    start = at(2026, 12, 24, 16, 30)
    due = clock.due_at("*", FIRST, start)
    assert due == at(2026, 12, 28, 9, 30)
    explanation = clock.explain("*", FIRST, start, at(2026, 12, 24, 16, 42), due)
    assert explanation.seconds_left == 48 * 60
    assert explanation.due_at == due and explanation.due_at.tzinfo == AMS
    assert explanation.lines[0] == (
        "48m of open time left, due Mon 09:30: paused for the weekend and for a holiday"
        " (Christmas Day)"
    )
    [span] = explanation.skipped
    assert (span.start, span.end) == (at(2026, 12, 24, 17), at(2026, 12, 28, 9))
    assert span.reasons == ("weekend", "holiday")
    assert span.holidays == ("Christmas Day",)  # Boxing Day fell on a Saturday anyway
    assert "closed Thu 17:00 to Mon 09:00: the weekend and a holiday (Christmas Day)" in (
        explanation.lines
    )


def test_explain_a_message_that_came_in_while_closed() -> None:
    clock = office()
    start = at(2026, 3, 7, 23, 10)
    due = clock.due_at("*", FOLLOW_UP, start)
    explanation = clock.explain("*", FOLLOW_UP, start, at(2026, 3, 9, 10), due)
    assert explanation.clock_started_at == at(2026, 3, 9, 9)
    assert explanation.started_at == start
    assert explanation.window == parse_duration("1d")
    assert explanation.window_seconds == 8 * 3600
    assert explanation.lines[0] == "7h of open time left, due Mon 17:00: paused for the weekend"
    assert explanation.lines[1] == (
        "follow-up within 1d of open time (1d is 8h of open time here), counted from Mon 09:00,"
        " the next opening after the message came in at Sat 23:10"
    )


def test_explain_nights_and_breaks() -> None:
    clock = ResponseClock(
        "Europe/Amsterdam",
        [ResponseWindow(hours=parse_hours("mon-fri 09:00-12:00, mon-fri 13:00-17:00"))],
    )
    start = at(2026, 3, 2, 11)
    due = clock.due_at("*", NEXT, start)  # 1h before lunch, 3h after it
    assert due == at(2026, 3, 2, 16)
    assert clock.explain("*", NEXT, start, start, due).skipped[0].reasons == ("break",)
    late = at(2026, 3, 2, 16)
    due = clock.due_at("*", NEXT, late)
    explanation = clock.explain("*", NEXT, late, late, due)
    assert explanation.lines[0] == "4h of open time left, due Tue 12:00: paused for the night"
    both = clock.explain("*", NEXT, at(2026, 3, 2, 11, 30), late, at(2026, 3, 3, 10))
    assert both.lines[0].endswith("paused for the night and for a break")


def test_explain_an_overdue_clock() -> None:
    clock = office()
    start = at(2026, 3, 2, 10)
    due = clock.due_at("*", FIRST, start)
    explanation = clock.explain("*", FIRST, start, at(2026, 3, 2, 11, 12), due)
    assert explanation.seconds_left == -12 * 60
    assert explanation.lines[0] == "overdue by 12m of open time, was due Mon 11:00"
    assert explanation.skipped == ()


def test_explain_round_the_clock() -> None:
    clock = ResponseClock("Europe/Amsterdam")
    start = at(2026, 3, 7, 23)
    due = clock.due_at("*", FIRST, start)
    explanation = clock.explain("*", FIRST, start, at(2026, 3, 7, 23, 30), due)
    assert explanation.lines == (
        "30m left, due Sun 00:00",
        "first response within 1h, counted from Sat 23:00",
    )


def test_explain_an_unnamed_listed_holiday_by_its_date() -> None:
    clock = office(holidays=[date(2026, 3, 4)])
    start = at(2026, 3, 3, 16, 30)
    due = clock.due_at("*", FIRST, start)
    assert due == at(2026, 3, 5, 9, 30)
    explanation = clock.explain("*", FIRST, start, start + timedelta(minutes=5), due)
    assert explanation.skipped[0].holidays == ("Wed 4 Mar",)
    assert explanation.lines[0].endswith("paused for a holiday (Wed 4 Mar)")
    assert "\n" in explanation.text and explanation.text.startswith(explanation.lines[0])


def _thread(due_at: datetime | None, kind: ClockKind | None = FIRST) -> Thread:
    monday = at(2026, 11, 23, 8)
    return Thread(
        id=1, connector="c", channel="mastodon", author="anna", author_name=None,
        state=ThreadState.OPEN, assignee=None, created_at=monday, updated_at=monday,
        clock=RunningClock(kind, monday, due_at) if kind and due_at else None, last_text="",
        message_count=1,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("due_at", "now", "cell"),
    [
        (at(2026, 11, 23, 10, 42), at(2026, 11, 23, 10), ("42m", "calm")),
        (at(2026, 11, 23, 10, 10), at(2026, 11, 23, 10), ("10m", "warning")),
        (at(2026, 11, 23, 9, 48), at(2026, 11, 23, 10), ("overdue 12m", "overdue")),
        # Closed now: the open time left, paused; overdue stays overdue.
        (at(2026, 11, 24, 9, 40), at(2026, 11, 23, 20), ("⏸ 40m", "paused")),
        (at(2026, 11, 23, 16, 30), at(2026, 11, 23, 20), ("overdue 30m", "overdue")),
        (None, at(2026, 11, 23, 10), ("", "none")),
    ],
)
def test_the_countdown_cell_of_feed_and_cli(
    due_at: datetime | None, now: datetime, cell: tuple[str, str]
) -> None:
    assert countdown_cell(_thread(due_at), office(), now) == cell
