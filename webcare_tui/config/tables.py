"""The shape of the config file, as msgspec structs: which keys each table takes, their types
and defaults. Values that need parsing (durations, hours, time zones) stay text here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import msgspec

from webcare_tui.config.locate import shown
from webcare_tui.config.model import OVERRIDE_MODES, Config
from webcare_tui.config.values import check_names, check_template
from webcare_tui.connectors.base import NonBlank
from webcare_tui.services.registry import KNOWN_TYPES

_Value = TypeVar("_Value")
DEFAULT = Config(path=None)
"""A config with nothing set: the one place the defaults are declared."""


def checked(key: str, check: Callable[[_Value], _Value], value: _Value) -> _Value:
    """`check(value)`, its ValueError named by `key` (how a `__post_init__` complaint reads)."""
    try:
        return check(value)
    except ValueError as error:
        raise ValueError(f"{key}: {error}") from None


class Table(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A table of the file; an unknown key is an error."""


class TeamTable(Table):
    name: NonBlank = DEFAULT.team_name
    timezone: NonBlank | None = None  # required, but with our own message
    holidays: list[Any] = []  # dates and country codes, told apart when read
    holiday_country: NonBlank | None = None
    contacts: list[NonBlank] = []


class AgentTable(Table):
    initials: str = ""
    name: NonBlank | None = None
    signature: NonBlank = DEFAULT.signature


class WindowTable(Table):
    channel: NonBlank = "*"
    first_response: NonBlank | None = None
    next_response: NonBlank | None = None
    follow_up: NonBlank | None = None
    hours: NonBlank | None = None


class UiTable(Table):
    theme: NonBlank = DEFAULT.theme
    bell: bool = DEFAULT.bell


class ClockTable(Table):
    warn_share: float = DEFAULT.warn_share
    warn_before: NonBlank | None = None

    def __post_init__(self) -> None:
        if not 0 < self.warn_share < 1:
            raise ValueError("warn_share: expected a share between 0 and 1, like 0.25")


class RepliesTable(Table):
    undo_seconds: float = DEFAULT.undo_seconds
    canned: list[NonBlank] = []
    override: NonBlank = DEFAULT.override_mode

    def __post_init__(self) -> None:
        if not 0 <= self.undo_seconds <= 300:
            raise ValueError("undo_seconds: expected seconds from 0 to 300")
        if self.override not in OVERRIDE_MODES:
            expected = f"expected reason or second-agent, got {shown(self.override)}"
            raise ValueError(f"override: {expected}")


class EscalationTable(Table):
    teams: list[NonBlank] = msgspec.field(default_factory=lambda: [*DEFAULT.escalation_teams])
    dm_template: NonBlank = DEFAULT.dm_template
    public_template: NonBlank = DEFAULT.public_template

    def __post_init__(self) -> None:
        self.teams = checked("teams", _names("team names", "backoffice"), self.teams)
        checked("dm_template", check_template, self.dm_template)
        checked("public_template", check_template, self.public_template)


class TagsTable(Table):
    names: list[NonBlank] = []

    def __post_init__(self) -> None:
        self.names = checked("names", _names("tag names", "product-defect"), self.names)


def _names(what: str, example: str) -> Callable[[list[str]], list[str]]:
    return lambda names: check_names(names, what, example)


class ConnectorTable(msgspec.Struct, kw_only=True):
    """The keys every connector takes; the rest belong to its type's `Options`."""

    name: NonBlank
    type: str
    channel: NonBlank | None = None
    poll_every: NonBlank | None = None
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.type not in KNOWN_TYPES:
            raise ValueError(
                f"type: expected one of {', '.join(KNOWN_TYPES)}, got {shown(self.type)}"
            )


COMMON_CONNECTOR_KEYS = frozenset(ConnectorTable.__struct_fields__)


class ConfigFile(Table):
    team: TeamTable = msgspec.field(default_factory=TeamTable)
    agent: AgentTable = msgspec.field(default_factory=AgentTable)
    windows: list[WindowTable] = []
    connectors: list[dict[str, Any]] = []
    ui: UiTable = msgspec.field(default_factory=UiTable)
    keys: dict[str, Any] = {}
    clock: ClockTable = msgspec.field(default_factory=ClockTable)
    replies: RepliesTable = msgspec.field(default_factory=RepliesTable)
    escalation: EscalationTable = msgspec.field(default_factory=EscalationTable)
    tags: TagsTable = msgspec.field(default_factory=TagsTable)


TABLES: dict[str, type[msgspec.Struct]] = {
    "team": TeamTable,
    "agent": AgentTable,
    "windows": WindowTable,
    "connectors": ConnectorTable,
    "ui": UiTable,
    "clock": ClockTable,
    "replies": RepliesTable,
    "escalation": EscalationTable,
    "tags": TagsTable,
}
"""Each table's struct, to list the keys it takes when a key is unknown."""
ARRAYS_OF_TABLES = frozenset({"windows", "connectors"})
