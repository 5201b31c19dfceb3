"""The Store: owns the SQLite database. Every read and write of the application goes through it.

It is put together from parts, each in its own module: connections (base), feed reads,
agent actions and the outbox; ingest and the poller's bookkeeping live here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import (
    IncomingMessage,
)
from webcare_tui.core.sanitize import clean_line
from webcare_tui.core.threads import running_clock
from webcare_tui.core.timeutil import to_db
from webcare_tui.store.actions import AgentActions
from webcare_tui.store.base import (
    BUSY_TIMEOUT_MS,
    ClaimedByOther,
    FeedFilter,
    FeedKey,
    OutboxItemNotFound,
    OutboxTooLate,
    StoreBase,
    StoreError,
    ThreadNotFound,
    sort_key,
)
from webcare_tui.store.ingest import IngestResult, ingest_batch
from webcare_tui.store.insights import Insights
from webcare_tui.store.outbox_records import OutboxRecords
from webcare_tui.store.reads import FeedReads
from webcare_tui.store.rows import facts_from_row
from webcare_tui.store.search import Search, index_new

_RECOMPUTE_CHUNK = 2000

__all__ = [
    "BUSY_TIMEOUT_MS",
    "ClaimedByOther",
    "FeedFilter",
    "FeedKey",
    "IngestResult",
    "OutboxItemNotFound",
    "OutboxTooLate",
    "Store",
    "StoreBase",
    "StoreError",
    "ThreadNotFound",
]


class Store(FeedReads, AgentActions, OutboxRecords, Search, Insights):
    """The application's database. Safe to share between threads; many processes may open
    the same file."""

    # -- ingest ------------------------------------------------------------------------------

    def ingest(
        self,
        connector: str,
        channel: str,
        messages: Sequence[IncomingMessage],
        *,
        clock: ResponseClock,
        seen_at: datetime,
        cursor: str | None = None,
    ) -> IngestResult:
        """Store a batch, and the connector's cursor with it, in one transaction.

        The cursor can therefore never run ahead of what is stored; storing the same messages
        again adds nothing.
        """
        with self._write() as conn:
            result = ingest_batch(
                conn,
                connector=connector,
                channel=channel,
                messages=messages,
                clock=clock,
                seen_at=seen_at,
            )
            index_new(conn)
            if cursor is not None:
                conn.execute(
                    "INSERT INTO connector_state (name, cursor, cursor_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, "
                    "cursor_at = excluded.cursor_at",
                    (connector, cursor, to_db(seen_at)),
                )
        return result

    def cursor(self, connector: str) -> str | None:
        row = self.conn.execute(
            "SELECT cursor FROM connector_state WHERE name = ?", (connector,)
        ).fetchone()
        return row["cursor"] if row else None

    def recompute_clocks(self, clock: ResponseClock, fingerprint: str) -> int:
        """Recompute every running clock when the windows changed since the last run.

        Read and written a chunk at a time, so 100k threads never sit in memory at once.
        """
        if self.meta("clock_fingerprint") == fingerprint:
            return 0
        count, last_id = 0, 0
        with self._write() as conn:
            while chunk := conn.execute(
                "SELECT id, channel, state, pending_since, first_reply_at, last_out_at, "
                "escalated_at, updated_at FROM threads WHERE state IN ('open', 'escalated') "
                "AND id > ? ORDER BY id LIMIT ?",
                (last_id, _RECOMPUTE_CHUNK),
            ).fetchall():
                last_id = chunk[-1]["id"]
                updates = []
                for row in chunk:
                    running = running_clock(facts_from_row(row), clock)
                    due = to_db(running.due_at) if running else None
                    updates.append(
                        (
                            running.kind.value if running else None,
                            to_db(running.start) if running else None,
                            due,
                            sort_key(due, row["updated_at"]),
                            row["id"],
                        )
                    )
                conn.executemany(
                    "UPDATE threads SET clock_kind = ?, clock_start = ?, due_at = ?, "
                    "sort_key = ? WHERE id = ?",
                    updates,
                )
                count += len(updates)
            self._set_meta(conn, "clock_fingerprint", fingerprint)
        return count

    # -- connectors and the poller lease -----------------------------------------------------

    def record_health(
        self,
        connector: str,
        *,
        status: str,
        now: datetime,
        error: str | None = None,
        backoff_until: datetime | None = None,
    ) -> None:
        """Remember how a connector's last poll went, for the status bar and `webcare status`."""
        ok = status in ("ok", "warning")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO connector_state (name, status, last_error, last_success_at, "
                "backoff_until, failures) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET status = excluded.status, "
                "last_error = COALESCE(excluded.last_error, last_error), "
                "last_success_at = COALESCE(excluded.last_success_at, last_success_at), "
                "backoff_until = excluded.backoff_until, "
                "failures = CASE WHEN ? THEN 0 ELSE failures + 1 END",
                (
                    connector,
                    status,
                    clean_line(error) if error else None,
                    to_db(now) if ok else None,
                    to_db(backoff_until) if backoff_until else None,
                    0 if ok else 1,
                    ok,
                ),
            )

    def health(self) -> list[dict[str, object]]:
        return [
            dict(row) for row in self.conn.execute("SELECT * FROM connector_state ORDER BY name")
        ]

    def take_lease(self, name: str, holder: str, *, now: datetime, ttl_seconds: float) -> bool:
        """Take or renew the lease `name` for `holder` unless someone else holds a live one."""
        from datetime import timedelta

        expires = to_db(now + timedelta(seconds=ttl_seconds))
        with self._write() as conn:
            row = conn.execute(
                "SELECT holder, expires_at FROM leases WHERE name = ?", (name,)
            ).fetchone()
            if row and row["holder"] != holder and row["expires_at"] > to_db(now):
                return False
            conn.execute(
                "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?) ON CONFLICT (name) "
                "DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at",
                (name, holder, expires),
            )
        return True

    def release_lease(self, name: str, holder: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))

    def lease(self, name: str) -> dict[str, str] | None:
        row = self.conn.execute(
            "SELECT holder, expires_at FROM leases WHERE name = ?", (name,)
        ).fetchone()
        return dict(row) if row else None
