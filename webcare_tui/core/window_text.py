"""The advertised response window as a sentence for a profile bio (`webcare window-text`).

Written from the same config the clock runs on, so what the team promises in public and what
the inbox counts down are one and the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from webcare_tui.core.hours import WindowLength

if TYPE_CHECKING:
    from webcare_tui.core.clock import ResponseClock

LANGUAGES = ("en", "nl")

# (singular, plural) per unit and language; "uur" has no plural after a number in Dutch.
_UNITS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "day": ("day", "days"),
        "working day": ("working day", "working days"),
        "hour": ("hour", "hours"),
        "minute": ("minute", "minutes"),
        "second": ("second", "seconds"),
    },
    "nl": {
        "day": ("dag", "dagen"),
        "working day": ("werkdag", "werkdagen"),
        "hour": ("uur", "uur"),
        "minute": ("minuut", "minuten"),
        "second": ("seconde", "seconden"),
    },
}

_SENTENCES = {
    "en": {
        "round": "We answer within {length}, day and night.",
        "hours": (
            "We answer within {length}, {hours}. Outside office hours we read along,"
            " but we cannot promise how fast we answer."
        ),
    },
    "nl": {
        "round": "We reageren binnen {length}, dag en nacht.",
        "hours": (
            "We reageren binnen {length}, {hours}. Buiten kantoortijd lezen we mee,"
            " maar kunnen we de reactiesnelheid niet garanderen."
        ),
    },
}


def _check_lang(lang: str) -> str:
    code = lang.lower() if isinstance(lang, str) else lang
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    return code


def duration_words(length: WindowLength, lang: str = "en", *, office_hours: bool = False) -> str:
    """A window length in words: `60 minutes`, `2 hours`, `1 hour 30 minutes`, `1 working day`.

    Exactly one hour is said as 60 minutes, the way such promises are usually made. Days are
    working days when the window has office hours (a day of open time), plain days otherwise.
    """
    code = _check_lang(lang)
    units = _UNITS[code]

    def count(value: int, unit: str) -> str:
        singular, plural = units[unit]
        return f"{value} {singular if value == 1 else plural}"

    seconds = int(length.rest.total_seconds())
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    if hours == 1 and not minutes and not seconds:
        hours, minutes = 0, 60
    parts = [
        count(value, unit)
        for value, unit in ((hours, "hour"), (minutes, "minute"), (seconds, "second"))
        if value
    ]
    # English says "1 hour 30 minutes"; Dutch says "1 uur en 30 minuten".
    time = " ".join(parts) if code == "en" else _join_nl(parts)
    if not length.days:
        return time
    days = count(length.days, "working day" if office_hours else "day")
    if not time:
        return days
    return f"{days} and {time}" if code == "en" else _join_nl([days, *parts])


def _join_nl(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " en " + parts[-1]


def window_text(clock: ResponseClock, lang: str = "en", channel: str = "*") -> str:
    """The channel's first-response promise as one or two sentences in `lang` (`en` or `nl`).

    `We answer within 60 minutes, Mon-Fri 09:00-17:00. Outside office hours ...` or, without
    hours, `We answer within 60 minutes, day and night.` Unknown languages raise ValueError.
    """
    code = _check_lang(lang)
    window = clock.window_for(channel)
    hours = window.hours
    length = duration_words(window.first_response, code, office_hours=hours is not None)
    if hours is None:
        return _SENTENCES[code]["round"].format(length=length)
    return _SENTENCES[code]["hours"].format(length=length, hours=hours.describe(code))
