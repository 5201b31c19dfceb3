"""Config values that used to be misread or let through, each refused or read as meant now."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.cli.config_errors import TEAM, error_for
from webcare_tui.config import parse_config

MASTODON = """
[[connectors]]
name = "social"
type = "mastodon"
base_url = "https://social.example"
token_env = "ACME_TOKEN"
"""


@pytest.mark.parametrize(
    ("every", "seconds"), [("30s", 30), ("5m", 300), ("1h30m", 5400), ("24h", 86400)]
)
def test_poll_every_is_wall_clock_time(every: str, seconds: int) -> None:
    [social] = parse_config(TEAM + MASTODON + f'poll_every = "{every}"\n').connectors
    assert social.poll_every == timedelta(seconds=seconds)


@pytest.mark.parametrize("every", ["1d30s", "1d", "2s", "25h", "soon", "0s"])
def test_poll_every_refuses_days_and_nonsense_instead_of_dropping_them(every: str) -> None:
    error = error_for(TEAM + MASTODON + f'poll_every = "{every}"\n')
    assert error.key == "[[connectors]] #1 poll_every" and error.line == 10
    if "d" in every:
        assert "days are open time" in error.expected


def test_a_bad_holiday_country_names_the_holidays_key_and_its_line() -> None:
    text = TEAM + 'holidays = [\n  "2026-12-25",\n  "XX",\n]\n'
    error = error_for(text)
    assert error.key == "[team] holidays"
    assert error.line == 6
    assert "XX" in error.expected and "country code" in error.expected


def test_a_bad_holiday_country_key_names_itself() -> None:
    error = error_for(TEAM + 'holiday_country = "QQ"\n')
    assert error.key == "[team] holiday_country" and error.line == 4


@pytest.mark.parametrize("team", ["", '[team]\nname = "Acme"\n'])
def test_a_missing_timezone_is_an_error_not_utc(team: str) -> None:
    error = error_for(team + MASTODON)
    assert error.key == "[team] timezone"
    assert error.expected == "expected an IANA time zone like Europe/Amsterdam"
    assert error.line == (1 if team else None)


def test_a_wrong_timezone_names_its_line() -> None:
    error = error_for(TEAM.replace("Europe/Amsterdam", "Mars/Olympus"))
    assert error.key == "[team] timezone" and error.line == 3
    assert "Mars/Olympus" in error.expected


def test_several_holiday_countries_all_count() -> None:
    config = parse_config(TEAM + 'holidays = ["NL", "BE", "2026-12-24"]\n')
    assert config.holiday_countries == ("NL", "BE")
    assert config.holidays == (date(2026, 12, 24),)
    clock = config.clock()
    assert clock.is_holiday(date(2026, 4, 27))  # King's Day: NL
    assert clock.is_holiday(date(2026, 7, 21))  # National Day: BE
    assert not clock.is_holiday(date(2026, 7, 22))


def test_a_date_time_among_the_holidays_is_refused() -> None:
    error = error_for(TEAM + "holidays = [2026-12-25T10:00:00]\n")
    assert error.key == "[team] holidays" and error.line == 4
    assert "expected dates like 2026-12-25" in error.expected
