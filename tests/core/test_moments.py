"""Times an agent types for `snooze --until` and `--since`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.moments import parse_moment, parse_until

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam


def test_hh_mm_is_the_next_such_moment_in_the_team_zone() -> None:
    assert parse_until("14:30", NOW, AMS) == datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
    assert parse_until("9:15", NOW, AMS) == datetime(2026, 11, 24, 8, 15, tzinfo=UTC)


def test_a_duration_counts_from_now_and_iso_is_read_in_the_team_zone() -> None:
    assert parse_until("2h", NOW, AMS) == NOW + timedelta(hours=2)
    assert parse_until("2026-11-24T09:00", NOW, AMS) == datetime(2026, 11, 24, 8, tzinfo=UTC)
    assert parse_moment("2026-11-01", AMS) == datetime(2026, 10, 31, 23, tzinfo=UTC)


@given(st.text(max_size=30))
def test_anything_else_is_a_value_error_that_says_what_was_expected(text: str) -> None:
    try:
        moment = parse_until(text, NOW, AMS)
    except ValueError as error:
        assert "expected" in str(error)
    else:
        assert moment.tzinfo is not None


def test_nonsense_is_refused() -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        parse_until("25:99", NOW, AMS)
