"""The TOML config, validated. A bad file fails with its path, line, key and what was expected."""

from __future__ import annotations

import getpass
import hashlib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import msgspec

from webcare_tui.connectors.base import ConnectorOptions, ConnectorSettings
from webcare_tui.core.clock import ResponseClock, ResponseWindow, parse_duration, parse_hours
from webcare_tui.services.registry import KNOWN_TYPES, connector_class

COMMON_CONNECTOR_KEYS = {"name", "type", "poll_every", "channel", "enabled"}
WINDOW_KEYS = {"channel", "first_response", "next_response", "follow_up", "hours"}
TOP_KEYS = {"team", "agent", "windows", "connectors", "ui", "keys", "clock", "replies"}
_SECTION_KEYS = {
    "team": {"name", "timezone", "holidays", "holiday_country"},
    "agent": {"initials", "name", "signature"},
    "ui": {"theme", "bell"},
    "clock": {"warn_share", "warn_before"},
    "replies": {"undo_seconds", "canned"},
}
_TYPE_WORDS = {
    "str": "a string",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "array": "a list",
    "object": "a table",
    "null": "nothing",
}
_MSGSPEC_AT = re.compile(r"\s*- at `\$(?P<path>[^`]*)`$")


def explain(message: str, raw: Any, kind: str, allowed: list[str]) -> tuple[str, str]:
    """A msgspec validation message in our words: (the key, what was expected)."""
    at = _MSGSPEC_AT.search(message)
    path = at.group("path") if at else ""
    message = message[: at.start()] if at else message
    key = re.split(r"[.\[]", path.lstrip("."), maxsplit=1)[0]
    if found := re.match(r"Object missing required field `(.+)`$", message):
        return found.group(1), f"a {kind} connector needs {found.group(1)}"
    if found := re.match(r"Object contains unknown field `(.+)`$", message):
        return found.group(1), (
            f"unknown key for a {kind} connector; expected one of {', '.join(allowed)}"
        )
    if found := re.match(r"Expected `(\w+)`(?:, got `\w+`)?", message):
        wanted = _TYPE_WORDS.get(found.group(1), found.group(1))
        if " matching regex " in message or " of length " in message:
            return key, "expected a non-empty string"
        return key, f"expected {wanted}, got {_value_at(raw, path)!r}"
    if found := re.match(r"(\w+): (.+)$", message):  # our own, from an Options __post_init__
        return found.group(1), found.group(2)
    return key or "options", message


def _value_at(raw: Any, path: str) -> Any:
    for step in re.findall(r"\.(\w+)|\[(\d+)\]", path):
        name, number = step
        try:
            raw = raw[name] if name else raw[int(number)]
        except (KeyError, IndexError, TypeError):
            return None
    return raw


_COUNTRY = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


class ConfigError(Exception):
    """The config cannot be used. The message names the file, the line and the key."""

    title = "bad config"

    def __init__(self, path: Path | None, line: int | None, key: str, expected: str) -> None:
        where = str(path) if path else "<built-in config>"
        if line:
            where += f":{line}"
        super().__init__(f"{where}: {key}: {expected}")
        self.path, self.line, self.key, self.expected = path, line, key, expected


@dataclass(frozen=True, slots=True)
class Config:
    """Everything the application understood from the config file."""

    path: Path | None
    team_name: str = "Webcare"
    timezone: str = "UTC"
    holidays: tuple[date, ...] = ()
    holiday_country: str | None = None
    agent: str = "me"
    agent_name: str | None = None
    signature: str = "^{initials}"
    windows: tuple[ResponseWindow, ...] = (ResponseWindow(),)
    connectors: tuple[ConnectorSettings, ...] = ()
    theme: str = "webcare-dark"
    bell: bool = False
    keys: Mapping[str, str] = field(default_factory=dict)
    warn_share: float = 0.25
    warn_before: timedelta | None = None
    undo_seconds: float = 10.0
    canned: tuple[Path, ...] = ()
    is_demo: bool = False

    @property
    def signature_text(self) -> str:
        return self.signature.replace("{initials}", self.agent)

    def clock(self) -> ResponseClock:
        """The response clock of this config (built once: country holidays are slow to load)."""
        key = (self.clock_fingerprint(), self.warn_share, self.warn_before)
        cached = _CLOCKS.get(key)
        if cached is None:
            cached = _CLOCKS[key] = self._build_clock()
        return cached

    def _build_clock(self) -> ResponseClock:
        return ResponseClock(
            timezone=self.timezone,
            windows=self.windows,
            holidays=self.holidays,
            holiday_country=self.holiday_country,
            warn_share=self.warn_share,
            warn_before=self.warn_before,
        )

    def clock_fingerprint(self) -> str:
        """Changes when anything that moves a due time changes."""
        text = repr((self.timezone, self.holidays, self.holiday_country, self.windows))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def connector(self, name: str) -> ConnectorSettings | None:
        return next((c for c in self.connectors if c.name == name), None)


_CLOCKS: dict[tuple[object, ...], ResponseClock] = {}


class _Locator:
    """Finds the line of a key in the source, since tomllib reports no positions."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"]+)\s*\]\]?")

    def __init__(self, source: str) -> None:
        self.lines = source.splitlines()

    def line(self, table: str | None, index: int | None, key: str | None) -> int | None:
        current: str | None = None
        seen: dict[str, int] = {}
        header_line: int | None = None
        for number, text in enumerate(self.lines, start=1):
            header = self._HEADER.match(text)
            if header:
                current = header.group(2).strip('"')
                seen[current] = seen.get(current, -1) + 1
                if current == table and (index is None or seen[current] == index):
                    header_line = number
                continue
            in_place = current is not None and current == table
            in_place = in_place and (index is None or seen.get(current or "") == index)
            if in_place and key and re.match(rf"^\s*\"?{re.escape(key)}\"?\s*=", text):
                return number
        return header_line


def agent_identity(agent_table: Mapping[str, Any]) -> str:
    """Who am I: `WEBCARE_AGENT`, else `[agent] initials`, else the OS user name."""
    env = os.environ.get("WEBCARE_AGENT", "").strip()
    if env:
        return env
    initials = str(agent_table.get("initials", "")).strip()
    if initials:
        return initials
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "agent"


def load_config(path: Path) -> Config:
    """Read and validate `path`. Raises ConfigError naming the file, line and key."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, None, "file", "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, None, "file", f"cannot be read: {error}") from None
    return parse_config(source, path)


def parse_config(source: str, path: Path | None = None) -> Config:
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(found.group(1)) if found else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ConfigError(path, line, "syntax", f"not valid TOML: {message}") from None
    return _Validator(raw, path, _Locator(source)).config()


class _Validator:
    def __init__(self, raw: dict[str, Any], path: Path | None, locator: _Locator) -> None:
        self.raw, self.path, self.locator = raw, path, locator

    def fail(self, table: str | None, index: int | None, key: str, expected: str) -> ConfigError:
        line = self.locator.line(table, index, key)
        label = key
        if table:
            label = f"[[{table}]] #{index + 1} {key}" if index is not None else f"[{table}] {key}"
        return ConfigError(self.path, line, label, expected)

    def table(self, name: str) -> dict[str, Any]:
        value = self.raw.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(None, None, name, "expected a table like [" + name + "]")
        unknown = set(value) - _SECTION_KEYS.get(name, set(value))
        if unknown:
            key = sorted(unknown)[0]
            known = ", ".join(sorted(_SECTION_KEYS[name]))
            raise self.fail(name, None, key, f"unknown key; expected one of {known}")
        return value

    def string(
        self,
        table: str,
        index: int | None,
        values: Mapping[str, Any],
        key: str,
        default: str | None = None,
    ) -> str | None:
        value = values.get(key, default)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise self.fail(table, index, key, "expected a non-empty string")
        return value

    def config(self) -> Config:
        unknown = set(self.raw) - TOP_KEYS
        if unknown:
            key = sorted(unknown)[0]
            raise self.fail(
                None, None, key, f"unknown key; expected one of {', '.join(sorted(TOP_KEYS))}"
            )
        team = self.table("team")
        agent_table = self.table("agent")
        ui = self.table("ui")
        clock_table = self.table("clock")
        replies = self.table("replies")
        keys = self.raw.get("keys", {})
        if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
            raise self.fail(None, None, "keys", 'expected a table of binding = "key" strings')

        timezone = self.string("team", None, team, "timezone", "UTC") or "UTC"
        holidays, country = self.holidays(team)
        windows = self.windows()
        warn_share = clock_table.get("warn_share", 0.25)
        if not isinstance(warn_share, int | float) or not 0 < warn_share < 1:
            raise self.fail(
                "clock", None, "warn_share", "expected a share between 0 and 1, like 0.25"
            )
        warn_before = None
        if "warn_before" in clock_table:
            warn_before = self.duration("clock", None, clock_table, "warn_before")
        undo = replies.get("undo_seconds", 10)
        if not isinstance(undo, int | float) or not 0 <= undo <= 300:
            raise self.fail("replies", None, "undo_seconds", "expected seconds from 0 to 300")
        canned = replies.get("canned", [])
        if not isinstance(canned, list) or not all(isinstance(c, str) for c in canned):
            raise self.fail("replies", None, "canned", "expected a list of file paths")
        base = self.path.parent if self.path else Path.cwd()
        signature = self.string("agent", None, agent_table, "signature", "^{initials}")
        config = Config(
            path=self.path,
            team_name=self.string("team", None, team, "name", "Webcare") or "Webcare",
            timezone=timezone,
            holidays=holidays,
            holiday_country=country,
            agent=agent_identity(agent_table),
            agent_name=self.string("agent", None, agent_table, "name"),
            signature=signature or "^{initials}",
            windows=windows,
            connectors=self.connectors(),
            theme=self.string("ui", None, ui, "theme", "webcare-dark") or "webcare-dark",
            bell=bool(ui.get("bell", False)),
            keys=dict(keys),
            warn_share=float(warn_share),
            warn_before=warn_before,
            undo_seconds=float(undo),
            canned=tuple(base / Path(c).expanduser() for c in canned),
        )
        try:
            config.clock()
        except ValueError as error:
            key = "holiday_country" if "holiday_country" in team else "timezone"
            raise self.fail("team", None, key, str(error)) from None
        return config

    def holidays(self, team: Mapping[str, Any]) -> tuple[tuple[date, ...], str | None]:
        items = team.get("holidays", [])
        if not isinstance(items, list):
            raise self.fail("team", None, "holidays", 'expected a list like ["2026-12-25", "NL"]')
        country = self.string("team", None, team, "holiday_country")
        dates: list[date] = []
        for item in items:
            if isinstance(item, date):
                dates.append(item)
            elif isinstance(item, str) and _COUNTRY.match(item.strip()):
                country = item.strip()
            elif isinstance(item, str):
                try:
                    dates.append(date.fromisoformat(item.strip()))
                except ValueError:
                    raise self.fail(
                        "team",
                        None,
                        "holidays",
                        f"expected dates like 2026-12-25 or a country code like NL, got {item!r}",
                    ) from None
            else:
                raise self.fail("team", None, "holidays", f"expected a date, got {item!r}")
        return tuple(sorted(set(dates))), country

    def duration(self, table: str, index: int | None, values: Mapping[str, Any], key: str) -> Any:
        value = values[key]
        if not isinstance(value, str):
            raise self.fail(
                table, index, key, f"expected a duration like 45m, 2h or 1d, got {value!r}"
            )
        try:
            return parse_duration(value)
        except ValueError as error:
            raise self.fail(table, index, key, str(error)) from None

    def windows(self) -> tuple[ResponseWindow, ...]:
        items = self.raw.get("windows", [])
        if not isinstance(items, list):
            raise self.fail(None, None, "windows", "expected [[windows]] tables")
        windows: list[ResponseWindow] = []
        seen: set[str] = set()
        for index, item in enumerate(items):
            unknown = set(item) - WINDOW_KEYS
            if unknown:
                raise self.fail(
                    "windows",
                    index,
                    sorted(unknown)[0],
                    f"unknown key; expected one of {', '.join(sorted(WINDOW_KEYS))}",
                )
            channel = self.string("windows", index, item, "channel", "*") or "*"
            if channel in seen:
                raise self.fail("windows", index, "channel", f"{channel!r} has a window already")
            seen.add(channel)
            defaults = ResponseWindow()
            hours = item.get("hours")
            if hours is not None and not isinstance(hours, str):
                raise self.fail(
                    "windows", index, "hours", 'expected text like "mon-fri 09:00-17:00"'
                )
            try:
                parsed_hours = parse_hours(hours)
            except ValueError as error:
                raise self.fail("windows", index, "hours", str(error)) from None
            windows.append(
                ResponseWindow(
                    channel=channel,
                    first_response=self.duration("windows", index, item, "first_response")
                    if "first_response" in item
                    else defaults.first_response,
                    next_response=self.duration("windows", index, item, "next_response")
                    if "next_response" in item
                    else defaults.next_response,
                    follow_up=self.duration("windows", index, item, "follow_up")
                    if "follow_up" in item
                    else defaults.follow_up,
                    hours=parsed_hours,
                )
            )
        if "*" not in seen:
            windows.append(ResponseWindow())
        return tuple(windows)

    def connectors(self) -> tuple[ConnectorSettings, ...]:
        items = self.raw.get("connectors", [])
        if not isinstance(items, list):
            raise self.fail(None, None, "connectors", "expected [[connectors]] tables")
        result: list[ConnectorSettings] = []
        names: set[str] = set()
        for index, item in enumerate(items):
            name = self.string("connectors", index, item, "name")
            if not name:
                raise self.fail("connectors", index, "name", "every connector needs a name")
            if name in names:
                raise self.fail("connectors", index, "name", f"{name!r} is used twice")
            names.add(name)
            kind = item.get("type")
            if kind not in KNOWN_TYPES:
                raise self.fail(
                    "connectors",
                    index,
                    "type",
                    f"expected one of {', '.join(KNOWN_TYPES)}, got {kind!r}",
                )
            options = self.options(index, kind, item)
            poll_every = timedelta(seconds=60)
            if "poll_every" in item:
                poll_every = self.duration("connectors", index, item, "poll_every")
                poll_every = getattr(poll_every, "rest", poll_every)
                if not isinstance(poll_every, timedelta) or poll_every < timedelta(seconds=5):
                    raise self.fail(
                        "connectors", index, "poll_every", "expected 5s or more, like 30s"
                    )
            enabled = item.get("enabled", True)
            if not isinstance(enabled, bool):
                raise self.fail("connectors", index, "enabled", "expected true or false")
            channel = self.string("connectors", index, item, "channel", kind) or kind
            result.append(ConnectorSettings(name, kind, channel, poll_every, enabled, options))
        return tuple(result)

    def options(self, index: int, kind: str, item: Mapping[str, Any]) -> ConnectorOptions:
        """The type's own keys, validated against the `Options` its class declares."""
        cls = connector_class(kind).Options
        raw = {k: v for k, v in item.items() if k not in COMMON_CONNECTOR_KEYS}
        try:
            return msgspec.convert(raw, cls)
        except msgspec.ValidationError as error:
            allowed = sorted(set(cls.__struct_fields__) | COMMON_CONNECTOR_KEYS)
            key, expected = explain(str(error), raw, kind, allowed)
            raise self.fail("connectors", index, key, expected) from None


DEMO_CONFIG = """
[team]
name = "Kompas Media Webcare"
timezone = "Europe/Amsterdam"
holidays = ["2026-12-25", "2026-12-26", "2027-01-01"]

[[windows]]
channel = "*"
first_response = "60m"
next_response = "4h"
follow_up = "1d"

[[windows]]
channel = "forum"
first_response = "4h"
next_response = "8h"
follow_up = "2d"
hours = "mon-fri 09:00-17:00"

[[connectors]]
name = "demo-mastodon"
type = "demo"
channel = "mastodon"
poll_every = "5s"

[[connectors]]
name = "demo-bluesky"
type = "demo"
channel = "bluesky"
poll_every = "5s"

[[connectors]]
name = "demo-forum"
type = "demo"
channel = "forum"
poll_every = "5s"
"""


def demo_config() -> Config:
    """The built-in demo workspace: three replay connectors over `data/demo/`."""
    config = parse_config(DEMO_CONFIG, None)
    return replace(config, is_demo=True)
