"""The advertised response window, as text for a profile bio."""

from __future__ import annotations

import pytest

from webcare_tui.core.clock import ResponseClock, ResponseWindow, parse_duration, parse_hours
from webcare_tui.core.window_text import duration_words, window_text


def clock(first: str = "60m", hours: str | None = None, channel: str = "*") -> ResponseClock:
    window = ResponseWindow(
        channel=channel, first_response=parse_duration(first), hours=parse_hours(hours)
    )
    return ResponseClock("Europe/Amsterdam", [window])


def test_dutch_with_office_hours() -> None:
    assert window_text(clock(hours="mon-fri 09:00-17:00"), "nl") == (
        "We reageren binnen 60 minuten, ma-vr 09:00-17:00. Buiten kantoortijd lezen we mee,"
        " maar kunnen we de reactiesnelheid niet garanderen."
    )


def test_english_with_office_hours() -> None:
    assert window_text(clock(hours="ma-vr 09:00-17:00"), "en") == (
        "We answer within 60 minutes, Mon-Fri 09:00-17:00. Outside office hours we read along,"
        " but we cannot promise how fast we answer."
    )


def test_round_the_clock() -> None:
    assert window_text(clock(), "en") == "We answer within 60 minutes, day and night."
    assert window_text(clock(), "nl") == "We reageren binnen 60 minuten, dag en nacht."


def test_english_is_the_default_language() -> None:
    assert window_text(clock()) == window_text(clock(), "en")
    assert window_text(clock(), "NL") == window_text(clock(), "nl")


def test_several_ranges_are_joined_with_commas() -> None:
    text = window_text(clock("2h", "mon-fri 09:00-17:00, sat 10:00-14:00"), "nl")
    assert text.startswith("We reageren binnen 2 uur, ma-vr 09:00-17:00, za 10:00-14:00. ")


def test_a_channel_has_its_own_text() -> None:
    both = ResponseClock(
        "Europe/Amsterdam",
        [
            ResponseWindow(hours=parse_hours("mon-fri 09:00-17:00")),
            ResponseWindow(channel="bluesky", first_response=parse_duration("30m")),
        ],
    )
    assert window_text(both, "en", "bluesky") == "We answer within 30 minutes, day and night."
    assert window_text(both, "en", "rss").startswith("We answer within 60 minutes, Mon-Fri")


@pytest.mark.parametrize(
    ("length", "office_hours", "nl", "en"),
    [
        ("60m", False, "60 minuten", "60 minutes"),
        ("1h", False, "60 minuten", "60 minutes"),
        ("45m", False, "45 minuten", "45 minutes"),
        ("1m", False, "1 minuut", "1 minute"),
        ("2h", False, "2 uur", "2 hours"),
        ("1h30m", False, "1 uur en 30 minuten", "1 hour 30 minutes"),
        ("90m", False, "1 uur en 30 minuten", "1 hour 30 minutes"),
        ("2h1m", False, "2 uur en 1 minuut", "2 hours 1 minute"),
        ("30s", False, "30 seconden", "30 seconds"),
        ("1d", True, "1 werkdag", "1 working day"),
        ("2d", True, "2 werkdagen", "2 working days"),
        ("1d", False, "1 dag", "1 day"),
        ("1d4h", True, "1 werkdag en 4 uur", "1 working day and 4 hours"),
        ("1d4h30m", True, "1 werkdag, 4 uur en 30 minuten", "1 working day and 4 hours 30 minutes"),
    ],
)
def test_duration_words(length: str, office_hours: bool, nl: str, en: str) -> None:
    window = parse_duration(length)
    assert duration_words(window, "nl", office_hours=office_hours) == nl
    assert duration_words(window, "en", office_hours=office_hours) == en


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language 'de': expected one of en, nl"):
        window_text(clock(), "de")
