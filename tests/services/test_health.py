"""The status bar's health line, from what the store records for each connector."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from webcare_tui.core.timeutil import to_db
from webcare_tui.services.health import (
    ConnectorHealth,
    HealthStatus,
    connector_health,
    connector_healths,
    connectors_line,
    health_summary,
)
from webcare_tui.store import Store

NOW = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 14:00 in Amsterdam
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def row(name: str, status: str, until: datetime | None = None) -> ConnectorHealth:
    return ConnectorHealth.from_row(
        {
            "name": name,
            "status": status,
            "backoff_until": to_db(until) if until else None,
            "last_error": "something" if status != "ok" else None,
        }
    )


def test_the_line_names_every_connector_and_its_state() -> None:
    rows = [
        row("mastodon", "ok"),
        row("bluesky", "backing off", NOW + timedelta(minutes=5)),
        row("rss", "auth failed", NOW + timedelta(hours=1)),
    ]
    assert health_summary(rows, NOW.astimezone(AMSTERDAM)) == (
        "mastodon ok · bluesky backing off until 14:05 · rss auth failed"
    )


def test_times_are_shown_in_the_zone_asked_for() -> None:
    rows = [row("bluesky", "rate limited", NOW + timedelta(minutes=5))]
    assert health_summary(rows, NOW) == "bluesky rate limited until 13:05"
    assert health_summary(rows, NOW, AMSTERDAM) == "bluesky rate limited until 14:05"


def test_a_back_off_on_another_day_says_which_day() -> None:
    tomorrow = row("x", "backing off", NOW + timedelta(hours=12))
    later = row("x", "backing off", NOW + timedelta(days=30))
    assert connector_health(tomorrow, NOW, AMSTERDAM) == "backing off until Tue 02:00"
    assert connector_health(later, NOW, AMSTERDAM) == "backing off until 2026-12-23 14:00"


def test_a_back_off_that_has_ended_reads_retrying() -> None:
    assert connector_health(row("x", "backing off", NOW - timedelta(seconds=1)), NOW) == "retrying"
    assert connector_health(row("x", "backing off", NOW), NOW) == "retrying"


def test_other_states() -> None:
    assert connector_health(row("x", "warning"), NOW) == "ok with warnings"
    assert connector_health(row("x", "new"), NOW) == "not polled yet"
    assert row("x", "paused").status is HealthStatus.UNKNOWN
    assert connector_health(row("x", "paused"), NOW) == "paused"  # a newer webcare's word
    assert health_summary([], NOW) == ""


def test_it_reads_what_the_store_records(store: Store) -> None:
    store.record_health("mastodon", status="ok", now=NOW)
    store.record_health(
        "bluesky",
        status="backing off",
        now=NOW,
        error="bluesky: answered 503",
        backoff_until=NOW + timedelta(minutes=2),
    )
    healths = connector_healths(store, ["mastodon", "bluesky"])
    assert health_summary(healths, NOW) == "mastodon ok · bluesky backing off until 13:02"
    assert healths[1].last_error == "bluesky: answered 503"


def test_only_configured_connectors_are_listed_and_new_ones_are_not_polled_yet(
    store: Store,
) -> None:
    store.record_health("removed", status="auth failed", now=NOW, error="401")
    store.record_health("mastodon", status="ok", now=NOW)
    healths = connector_healths(store, ["mastodon", "rss"])
    assert [(h.name, h.status) for h in healths] == [
        ("mastodon", HealthStatus.OK),
        ("rss", HealthStatus.NEW),
    ]
    assert connectors_line(healths, NOW, UTC) == "1 connectors ok"
