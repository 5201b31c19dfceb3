"""Connector health as one short line, for the TUI's status bar.

Pure: it reads the rows `Store.health()` returns and a `now`, and touches nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo

from webcare_tui.core.timeutil import from_db
from webcare_tui.services.poller import AUTH_FAILED, BACKING_OFF, OK, RATE_LIMITED, WARNING

__all__ = ["connector_health", "connectors_line", "health_summary"]

SEPARATOR = " · "


def _when(moment: datetime, now: datetime, tz: tzinfo) -> str:
    local, today = moment.astimezone(tz), now.astimezone(tz)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if abs((local.date() - today.date()).days) < 7:
        return local.strftime("%a %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def _until(row: Mapping[str, object]) -> datetime | None:
    value = row.get("backoff_until")
    if not isinstance(value, str) or not value:
        return None
    try:
        return from_db(value)
    except ValueError:
        return None


def connector_health(row: Mapping[str, object], now: datetime, tz: tzinfo | None = None) -> str:
    """One connector's state in a few words: `ok`, `backing off until 14:05`, `auth failed`.

    A back-off whose time has passed reads `retrying`: the poller is about to try again.
    """
    tz = tz or now.tzinfo or UTC
    status = str(row.get("status") or "new")
    until = _until(row)
    if status in (BACKING_OFF, RATE_LIMITED):
        if until is None or until <= now:
            return "retrying"
        return f"{status} until {_when(until, now, tz)}"
    if status == OK:
        return "ok"
    if status == WARNING:
        return "ok with warnings"
    if status == AUTH_FAILED:
        return "auth failed"
    if status == "new":
        return "not polled yet"
    return status


def health_summary(
    rows: Sequence[Mapping[str, object]], now: datetime, tz: tzinfo | None = None
) -> str:
    """Every connector's health on one line, in the order given:
    `mastodon ok · bluesky backing off until 14:05 · rss auth failed`.

    Times are shown in `tz`, else in the zone `now` carries (pass the team's clock time to get
    the team's local times). No rows: an empty string.
    """
    return SEPARATOR.join(f"{row.get('name')} {connector_health(row, now, tz)}" for row in rows)


def connectors_line(rows: Sequence[Mapping[str, object]], now: datetime, tz: tzinfo) -> str:
    """The inbox header's connector part: the ones in trouble by name, or how many are fine."""
    troubled = [r for r in rows if r.get("status") not in (OK, WARNING, "new")]
    if troubled:
        return health_summary(troubled, now, tz)
    fine = sum(1 for r in rows if r.get("status") in (OK, WARNING))
    return f"{fine} connectors ok" if fine else ""
