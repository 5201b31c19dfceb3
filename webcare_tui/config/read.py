"""Reading the config file: TOML, then its shape (msgspec), then the values that need parsing.

Every failure is one `ConfigError` naming the file, the line and the key, in our words.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar, cast

import msgspec

from webcare_tui.config.locate import Locator, expected_type, path_of, shown, value_at
from webcare_tui.config.model import Config, ConfigError, OverrideMode
from webcare_tui.config.tables import (
    ARRAYS_OF_TABLES,
    COMMON_CONNECTOR_KEYS,
    TABLES,
    ConfigFile,
    ConnectorTable,
    TeamTable,
    WindowTable,
)
from webcare_tui.config.values import (
    TIMEZONE_EXPECTED,
    agent_identity,
    check_timezone,
    parse_interval,
)
from webcare_tui.connectors.base import ConnectorOptions, ConnectorSettings
from webcare_tui.core.clock import ResponseClock, ResponseWindow, parse_duration, parse_hours
from webcare_tui.services.registry import connector_class

_COUNTRY = re.compile(r"^[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?$")
_Shape = TypeVar("_Shape", bound=msgspec.Struct)
_In = TypeVar("_In")
_Out = TypeVar("_Out")
_TOO_DEEP = "nested too deeply to be a config"
_HOLIDAYS = "expected dates like 2026-12-25 or country codes like NL"


def load_config(path: Path) -> Config:
    """Read and validate `path`. Raises ConfigError naming the file, line and key."""
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, None, "file", "no such file") from None
    except IsADirectoryError:
        raise ConfigError(path, None, "file", "is a folder, expected a TOML file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, None, "file", f"cannot be read: {error}") from None
    return parse_config(source, path)


def parse_config(source: str, path: Path | None = None) -> Config:
    """Validate the text of a config file; `path` is named in errors and anchors `canned`."""
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(found.group(1)) if found else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ConfigError(path, line, "syntax", f"not valid TOML: {message}") from None
    except RecursionError:
        raise ConfigError(path, None, "syntax", _TOO_DEEP) from None
    return Reader(raw, path, Locator(source, path)).config(source)


class Reader:
    """One parsed TOML document on its way to a `Config`."""

    def __init__(self, raw: dict[str, Any], path: Path | None, locator: Locator) -> None:
        self.raw, self.path, self.fail = raw, path, locator.error

    def rewrite(
        self,
        error: msgspec.ValidationError,
        at: tuple[str | int, ...],
        *,
        owner: str | None = None,
        allowed: Sequence[str] = (),
    ) -> ConfigError:
        """msgspec's complaint about the part of the file at `at`, as our error at its line.
        `owner` ("a rss connector") and `allowed` word a missing or unknown key."""
        steps, message = path_of(str(error), at)
        table = steps[0] if steps and isinstance(steps[0], str) else None
        index = steps[1] if table in ARRAYS_OF_TABLES and len(steps) > 1 else None
        index = index if isinstance(index, int) else None
        rest = steps[1 if index is None else 2 :] if table else steps
        value = value_at(self.raw, steps)
        named = re.match(r"Object (missing required|contains unknown) field `(.+)`$", message)
        ours = re.match(r"(\w+): (.+)$", message)  # from a __post_init__
        if named:
            key: str | None = named.group(2)
        elif ours:
            key, message = ours.groups()
        else:
            key = next((step for step in rest if isinstance(step, str)), None)
        if key is None and table is not None:  # the table itself has the wrong shape
            shape = (
                f"[[{table}]] tables" if table in ARRAYS_OF_TABLES else f"a table like [{table}]"
            )
            return self.fail(None, None, table, f"expected {shape}, got {shown(value)}")
        key = key or "file"
        if named and named.group(1) == "contains unknown":
            fields = TABLES[table].__struct_fields__ if table else ConfigFile.__struct_fields__
            known = allowed or sorted(fields)
            owner_words = f" for {owner}" if owner else ""
            return self.fail(
                table, index, key, f"unknown key{owner_words}; expected one of {', '.join(known)}"
            )
        if named:
            return self.fail(table, index, key, f"{owner or 'this table'} needs {key}")
        if not ours and (" matching regex " in message or " of length " in message):
            return self.fail(table, index, key, "expected a non-empty string")
        if not ours and (wanted := expected_type(message)):
            return self.fail(
                table, index, key, f"expected {wanted}, got {shown(value)}", value=value
            )
        return self.fail(table, index, key, message)

    def shape(
        self, raw: Any, cls: type[_Shape], at: tuple[str | int, ...] = (), **words: Any
    ) -> _Shape:
        try:
            return msgspec.convert(raw, cls)
        except msgspec.ValidationError as error:
            raise self.rewrite(error, at, **words) from None
        except RecursionError:
            raise ConfigError(self.path, None, "file", _TOO_DEEP) from None

    def config(self, source: str) -> Config:
        shape = self.shape(self.raw, ConfigFile)
        if not shape.team.timezone:
            raise self.fail("team", None, "timezone", TIMEZONE_EXPECTED)
        timezone = self.value("team", None, "timezone", shape.team.timezone, check_timezone)
        holidays, countries = self.holidays(shape.team)
        replies, clock, escalation = shape.replies, shape.clock, shape.escalation
        warn_before = None
        if clock.warn_before is not None:
            warn_before = self.value(
                "clock", None, "warn_before", clock.warn_before, parse_duration
            )
        config = Config(
            path=self.path,
            team_name=shape.team.name,
            timezone=timezone,
            holidays=holidays,
            holiday_countries=countries,
            contacts=tuple(shape.team.contacts),
            agent=agent_identity(shape.agent.initials),
            agent_name=shape.agent.name,
            signature=shape.agent.signature,
            windows=self.windows(shape.windows),
            connectors=self.connectors(shape.connectors),
            theme=shape.ui.theme,
            bell=shape.ui.bell,
            keys=self.keys(shape.keys),
            warn_share=clock.warn_share,
            warn_before=warn_before,
            undo_seconds=replies.undo_seconds,
            canned=self.canned(replies.canned),
            override_mode=cast(OverrideMode, replies.override),
            escalation_teams=tuple(escalation.teams),
            dm_template=escalation.dm_template,
            public_template=escalation.public_template,
            tags=tuple(shape.tags.names),
            source=source,
        )
        try:
            config.clock()
        except ValueError as error:
            raise self.fail("team", None, "timezone", str(error)) from None
        return config

    def value(
        self, table: str, index: int | None, key: str, value: _In, read: Callable[[_In], _Out]
    ) -> _Out:
        """`read(value)`, its ValueError (or an overflow) as our error at table/key."""
        try:
            return read(value)
        except (ValueError, OverflowError) as error:
            message = str(error) if isinstance(error, ValueError) else f"too large: {shown(value)}"
            raise self.fail(table, index, key, message, value=value) from None

    def holidays(self, team: TeamTable) -> tuple[tuple[date, ...], tuple[str, ...]]:
        dates: list[date] = []
        countries: list[tuple[str, str]] = []  # (code, the key that named it)
        if team.holiday_country is not None:
            countries.append((team.holiday_country.strip().upper(), "holiday_country"))
        for item in team.holidays:
            if isinstance(item, datetime | time):
                moment = item.isoformat()
                expected = f"expected dates like 2026-12-25, got the time {moment}"
                raise self.fail("team", None, "holidays", expected, value=moment[:10])
            if isinstance(item, date):
                dates.append(item)
            elif isinstance(item, str) and _COUNTRY.match(item.strip()):
                countries.append((item.strip().upper(), "holidays"))
            elif isinstance(item, str):
                dates.append(self.value("team", None, "holidays", item, _holiday_date))
            else:
                raise self.fail("team", None, "holidays", f"{_HOLIDAYS}, got {shown(item)}")
        for code, key in countries:
            self.value("team", None, key, code, lambda c: ResponseClock(holiday_country=c))
        return tuple(sorted(set(dates))), tuple(dict.fromkeys(code for code, _ in countries))

    def windows(self, tables: list[WindowTable]) -> tuple[ResponseWindow, ...]:
        windows: list[ResponseWindow] = []
        seen: set[str] = set()
        for index, item in enumerate(tables):
            if item.channel in seen:
                raise self.fail(
                    "windows", index, "channel", f"{item.channel!r} has a window already"
                )
            seen.add(item.channel)
            lengths = {  # a length left out keeps ResponseWindow's default
                key: self.value("windows", index, key, text, parse_duration)
                for key in ("first_response", "next_response", "follow_up")
                if (text := getattr(item, key))
            }
            hours = self.value("windows", index, "hours", item.hours, parse_hours)
            windows.append(ResponseWindow(channel=item.channel, hours=hours, **lengths))
        if "*" not in seen:
            windows.append(ResponseWindow())
        return tuple(windows)

    def connectors(self, tables: list[dict[str, Any]]) -> tuple[ConnectorSettings, ...]:
        result: list[ConnectorSettings] = []
        names: set[str] = set()
        for index, item in enumerate(tables):
            at = ("connectors", index)
            common = self.shape(item, ConnectorTable, at, owner="every connector")
            if common.name in names:
                raise self.fail("connectors", index, "name", f"{common.name!r} is used twice")
            names.add(common.name)
            kind = common.type
            options = self.options(index, kind, item)
            poll_every = timedelta(seconds=60)
            if common.poll_every is not None:
                poll_every = self.value(
                    "connectors", index, "poll_every", common.poll_every, parse_interval
                )
            channel = common.channel or kind
            result.append(
                ConnectorSettings(common.name, kind, channel, poll_every, common.enabled, options)
            )
        return tuple(result)

    def options(self, index: int, kind: str, item: dict[str, Any]) -> ConnectorOptions:
        """The type's own keys, validated against the `Options` its class declares."""
        cls = connector_class(kind).Options
        raw = {k: v for k, v in item.items() if k not in COMMON_CONNECTOR_KEYS}
        allowed = sorted(set(cls.__struct_fields__) | COMMON_CONNECTOR_KEYS)
        return self.shape(
            raw, cls, ("connectors", index), owner=f"a {kind} connector", allowed=allowed
        )

    def keys(self, keys: dict[str, Any]) -> dict[str, str]:
        for binding, key in keys.items():
            if not isinstance(key, str) or not key.strip():
                hint = (
                    f' (quote the binding id: "{binding}.{next(iter(key))}" = ...)'
                    if isinstance(key, dict) and key
                    else ""
                )
                raise self.fail(
                    "keys", None, binding, f'expected a key like "ctrl+r", got {shown(key)}{hint}'
                )
        return dict(keys)

    def canned(self, files: list[str]) -> tuple[Path, ...]:
        base = self.path.parent if self.path else Path.cwd()
        return tuple(
            self.value("replies", None, "canned", name, lambda n: base / _expand(n))
            for name in files
        )


def _holiday_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{_HOLIDAYS}, got {text!r}") from None


def _expand(name: str) -> Path:
    try:
        return Path(name).expanduser()
    except RuntimeError:  # "~someone" who has no home here
        raise ValueError(f"expected a file path, got {name!r}: no such home folder") from None
