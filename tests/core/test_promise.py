"""Promises agents type: today's closing, a weekday, a time of day, ISO 8601."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.clock import ResponseClock, ResponseWindow, parse_hours
from webcare_tui.core.promise import parse_promise

OFFICE = ResponseClock(
    "Europe/Amsterdam", [ResponseWindow(hours=parse_hours("mon-fri 09:00-17:00"))]
)  # fmt: skip
MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam


def promise(text: str, now: datetime = MONDAY_10) -> datetime:
    return parse_promise(text, now=now, clock=OFFICE)


def test_vandaag_nog_is_todays_closing_and_vrijdag_is_fridays() -> None:
    assert promise("vandaag nog") == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert promise("Vrijdag") == datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    assert promise("morgen") == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    # Monday's closing has not passed at 10:00: "maandag" is today.
    assert promise("maandag") == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    evening = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
    assert promise("maandag", evening) == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)


def test_a_time_of_day_is_the_next_such_moment_in_the_team_zone() -> None:
    assert promise("14:30") == datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
    assert promise("09:15") == datetime(2026, 11, 24, 8, 15, tzinfo=UTC)


def test_iso_times_with_and_without_offset() -> None:
    assert promise("2026-11-24T12:00:00+00:00") == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert promise("2026-11-24T12:00") == datetime(2026, 11, 24, 11, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "soon", "25:00", "2020-01-01T10:00Z", "12:5"])
def test_bad_or_past_times_are_refused_in_one_line(text: str) -> None:
    with pytest.raises(ValueError) as refused:
        promise(text)
    assert "\n" not in str(refused.value)


def test_today_after_closing_is_refused() -> None:
    with pytest.raises(ValueError, match="passed"):
        promise("vandaag nog", datetime(2026, 11, 23, 17, 0, tzinfo=UTC))


@given(st.text(max_size=40))
def test_anything_typed_gives_a_future_time_or_a_value_error(text: str) -> None:
    try:
        moment = promise(text)
    except ValueError:
        return
    assert moment > MONDAY_10
