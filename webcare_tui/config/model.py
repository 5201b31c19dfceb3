"""What the application understood from the config file, and the error for a file it cannot use."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from webcare_tui.connectors.base import ConnectorSettings
from webcare_tui.core.clock import ResponseClock, ResponseWindow
from webcare_tui.core.hours import WindowLength

OverrideMode = Literal["reason", "second-agent"]
OVERRIDE_MODES: tuple[OverrideMode, ...] = ("reason", "second-agent")

DM_TEMPLATE = "Hoi {name}, stuur je ons je ordernummer en telefoonnummer? Dan bellen we je."
PUBLIC_TEMPLATE = "We hebben je een DM gestuurd, {name}."


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
    """Everything the application understood from the config file.

    `holiday_countries` are the countries whose public holidays close the team (`[team]
    holidays` entries like "NL"); `contacts` the team's own published phone numbers and
    addresses, which a public reply may contain; `escalation_teams` the names `escalate --to
    team:NAME` accepts; `tags` the names `tag` accepts; `override_mode` how a blocked reply is
    sent anyway ("reason": the agent gives one, "second-agent": a colleague approves).
    """

    path: Path | None
    team_name: str = "Webcare"
    timezone: str = "UTC"
    holidays: tuple[date, ...] = ()
    holiday_countries: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    agent: str = "me"
    agent_name: str | None = None
    signature: str = "^{initials}"
    windows: tuple[ResponseWindow, ...] = (ResponseWindow(),)
    connectors: tuple[ConnectorSettings, ...] = ()
    theme: str = "webcare-dark"
    bell: bool = False
    keys: Mapping[str, str] = field(default_factory=dict)
    warn_share: float = 0.25
    warn_before: timedelta | WindowLength | None = None
    undo_seconds: float = 10.0
    canned: tuple[Path, ...] = ()
    override_mode: OverrideMode = "reason"
    escalation_teams: tuple[str, ...] = ("backoffice",)
    dm_template: str = DM_TEMPLATE
    public_template: str = PUBLIC_TEMPLATE
    tags: tuple[str, ...] = ()
    is_demo: bool = False
    source: str = field(default="", repr=False, compare=False)
    """The file's text, so that checks made later (key bindings, themes) can name the line."""

    @property
    def holiday_country(self) -> str | None:
        """The holiday countries as one comma-separated value (None without any)."""
        return ",".join(self.holiday_countries) or None

    @property
    def signature_text(self) -> str:
        return self.signature.replace("{initials}", self.agent)

    def clock(self) -> ResponseClock:
        """The response clock of this config (built once: country holidays are slow to load)."""
        key = (self.clock_fingerprint(), self.warn_share, self.warn_before)
        cached = _CLOCKS.get(key)
        if cached is None:
            cached = _CLOCKS[key] = ResponseClock(
                timezone=self.timezone,
                windows=self.windows,
                holidays=self.holidays,
                holiday_country=self.holiday_country,
                warn_share=self.warn_share,
                warn_before=self.warn_before,
            )
        return cached

    def clock_fingerprint(self) -> str:
        """Changes when anything that moves a due time changes."""
        text = repr((self.timezone, self.holidays, self.holiday_country, self.windows))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def connector(self, name: str) -> ConnectorSettings | None:
        return next((c for c in self.connectors if c.name == name), None)


_CLOCKS: dict[tuple[object, ...], ResponseClock] = {}
