"""Connector health: how each connector's last poll went, as a typed value and in a few words.

The poller records a `HealthStatus` per connector in the store; `connector_healths` reads them
back for the configured connectors only (one removed from the config is no longer shown), and
the TUI's header and `webcare status` put them into words here. Pure apart from that read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING

from webcare_tui.core.timeutil import from_db

if TYPE_CHECKING:
    from webcare_tui.store import Store

__all__ = [
    "ConnectorHealth",
    "HealthStatus",
    "connector_health",
    "connector_healths",
    "connectors_line",
    "health_summary",
]

SEPARATOR = " · "


class HealthStatus(StrEnum):
    """How a connector's last poll went, as the store records it."""

    NEW = "new"  # configured, never polled
    OK = "ok"
    WARNING = "warning"  # polled, with something to look at (a page skipped, ...)
    BACKING_OFF = "backing off"
    RATE_LIMITED = "rate limited"
    AUTH_FAILED = "auth failed"
    UNKNOWN = "unknown"  # a word this version does not know (a newer webcare wrote it)

    @property
    def is_fine(self) -> bool:
        return self in (HealthStatus.OK, HealthStatus.WARNING)


@dataclass(frozen=True, slots=True)
class ConnectorHealth:
    """One connector's health. `recorded` is the stored word, kept for UNKNOWN."""

    name: str
    status: HealthStatus
    recorded: str = ""
    backoff_until: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> ConnectorHealth:
        """From a `Store.health()` row; a missing or unreadable field reads as absent."""
        recorded = str(row.get("status") or HealthStatus.NEW.value)
        try:
            status = HealthStatus(recorded)
        except ValueError:
            status = HealthStatus.UNKNOWN
        error = row.get("last_error")
        return cls(
            name=str(row.get("name")),
            status=status,
            recorded=recorded,
            backoff_until=_time(row.get("backoff_until")),
            last_success_at=_time(row.get("last_success_at")),
            last_error=error if isinstance(error, str) and error else None,
        )

    @property
    def is_troubled(self) -> bool:
        """Worth naming in the header: neither fine nor waiting for its first poll."""
        return not self.status.is_fine and self.status is not HealthStatus.NEW


def _time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return from_db(value)
    except ValueError:
        return None


def connector_healths(store: Store, configured: Sequence[str]) -> list[ConnectorHealth]:
    """The health of each configured connector, in the config's order; NEW if never polled."""
    recorded = {str(row.get("name")): row for row in store.health()}
    return [
        ConnectorHealth.from_row(recorded[name])
        if name in recorded
        else ConnectorHealth(name, HealthStatus.NEW, HealthStatus.NEW.value)
        for name in configured
    ]


def _when(moment: datetime, now: datetime, tz: tzinfo) -> str:
    local, today = moment.astimezone(tz), now.astimezone(tz)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if abs((local.date() - today.date()).days) < 7:
        return local.strftime("%a %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def connector_health(health: ConnectorHealth, now: datetime, tz: tzinfo | None = None) -> str:
    """One connector's state in a few words: `ok`, `backing off until 14:05`, `auth failed`.

    A back-off whose time has passed reads `retrying`: the poller is about to try again.
    """
    tz = tz or now.tzinfo or UTC
    status, until = health.status, health.backoff_until
    if status in (HealthStatus.BACKING_OFF, HealthStatus.RATE_LIMITED):
        if until is None or until <= now:
            return "retrying"
        return f"{status.value} until {_when(until, now, tz)}"
    return {
        HealthStatus.OK: "ok",
        HealthStatus.WARNING: "ok with warnings",
        HealthStatus.AUTH_FAILED: "auth failed",
        HealthStatus.NEW: "not polled yet",
    }.get(status, health.recorded)


def health_summary(
    healths: Iterable[ConnectorHealth], now: datetime, tz: tzinfo | None = None
) -> str:
    """Every connector's health on one line, in the order given:
    `mastodon ok · bluesky backing off until 14:05 · rss auth failed`.

    Times are shown in `tz`, else in the zone `now` carries (pass the team's clock time to get
    the team's local times). None given: an empty string.
    """
    return SEPARATOR.join(f"{h.name} {connector_health(h, now, tz)}" for h in healths)


def connectors_line(healths: Sequence[ConnectorHealth], now: datetime, tz: tzinfo) -> str:
    """The inbox header's connector part: the ones in trouble by name, or how many are fine."""
    troubled = [h for h in healths if h.is_troubled]
    if troubled:
        return health_summary(troubled, now, tz)
    fine = sum(1 for h in healths if h.status.is_fine)
    return f"{fine} connectors ok" if fine else ""
