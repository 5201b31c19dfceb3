"""Config values that are text to be read: intervals, time zones, templates, who I am.

Each reader raises ValueError with what was expected; the config reader adds file, line and key.
"""

from __future__ import annotations

import getpass
import os
import re
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from webcare_tui.core.canned import PLACEHOLDERS

_INTERVAL = re.compile(
    r"^\s*(?:(\d{1,5})\s*h)?\s*(?:(\d{1,7})\s*m)?\s*(?:(\d{1,9})\s*s)?\s*$", re.IGNORECASE
)
_DAYS = re.compile(r"\d\s*d", re.IGNORECASE)
SHORTEST_POLL = timedelta(seconds=5)
LONGEST_POLL = timedelta(hours=24)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"^[^\s,:]+$")
TIMEZONE_EXPECTED = "expected an IANA time zone like Europe/Amsterdam"


def parse_interval(text: str) -> timedelta:
    """A wall-clock interval such as `30s`, `5m` or `1h30m`, from 5 s to 24 h.

    Not a response window: `d` there counts days of open time, which means nothing for how
    often to poll, so it is refused here rather than read as something else.
    """
    if _DAYS.search(text):
        raise ValueError(
            f"expected a wall-clock interval like 30s, 5m or 1h, got {text!r} "
            "(days are open time; write 24h)"
        )
    match = _INTERVAL.match(text)
    if not match or not any(match.groups()):
        raise ValueError(f"expected an interval like 30s, 5m or 1h, got {text!r}")
    hours, minutes, seconds = (int(group) if group else 0 for group in match.groups())
    interval = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    if not SHORTEST_POLL <= interval <= LONGEST_POLL:
        raise ValueError(f"expected 5s to 24h, like 30s, got {text!r}")
    return interval


def check_timezone(name: str) -> str:
    """`name` if it is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"{TIMEZONE_EXPECTED}, got {name!r}") from None
    return name


def check_template(text: str) -> str:
    """`text` if every `{placeholder}` in it is one a reply can fill."""
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) not in PLACEHOLDERS:
            known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
            raise ValueError(f"unknown placeholder {match.group()}; expected one of {known}")
    return text


def check_names(names: list[str], what: str, example: str) -> list[str]:
    """Names (teams, tags) without spaces, commas or colons, each once, in the given order."""
    for name in names:
        if not _NAME.match(name):
            raise ValueError(f"expected {what} without spaces, commas or colons, like {example}")
    return list(dict.fromkeys(names))


def agent_identity(initials: str) -> str:
    """Who am I: `WEBCARE_AGENT`, else `[agent] initials`, else the OS user name."""
    env = os.environ.get("WEBCARE_AGENT", "").strip()
    if env:
        return env
    if initials.strip():
        return initials.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "agent"
