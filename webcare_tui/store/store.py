"""The Store: owns the SQLite database. Every read and write of the application goes through it.

It is put together from parts, each in its own module: connections (base), feed reads,
agent actions and the outbox; ingest and the poller's bookkeeping live here.
"""

from __future__ import annotations

import functools
import inspect
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import (
    IncomingMessage,
)
from webcare_tui.core.sanitize import clean_line
from webcare_tui.core.timeutil import from_db, to_db
from webcare_tui.store.actions import AgentActions, clock_columns
from webcare_tui.store.base import (
    BUSY_TIMEOUT_MS,
    ClaimedByOther,
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseReadOnly,
    DatabaseUnavailable,
    DiskFull,
    FeedFilter,
    FeedKey,
    NotOurDatabase,
    OutboxItemNotFound,
    OutboxTooLate,
    StoreBase,
    StoreError,
    ThreadNotFound,
    store_error,
)
from webcare_tui.store.callbacks import CallbackRecords
from webcare_tui.store.ingest import IngestResult, ingest_batch
from webcare_tui.store.insights import Insights
from webcare_tui.store.outbox_records import OutboxRecords
from webcare_tui.store.outbox_sending import OutboxSending
from webcare_tui.store.priorities import Priorities
from webcare_tui.store.reads import FeedReads
from webcare_tui.store.rows import facts_from_row
from webcare_tui.store.search import Search, index_new
from webcare_tui.store.team import TeamRecords

_RECOMPUTE_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class SkippedItem:
    """An item a connector read but could not store: its id as shown, why, when last seen."""

    remote_id: str
    reason: str
    last_seen_at: datetime
    times: int


__all__ = [
    "BUSY_TIMEOUT_MS",
    "ClaimedByOther",
    "DatabaseDamaged",
    "DatabaseLocked",
    "DatabaseReadOnly",
    "DatabaseUnavailable",
    "DiskFull",
    "FeedFilter",
    "FeedKey",
    "IngestResult",
    "NotOurDatabase",
    "OutboxItemNotFound",
    "OutboxTooLate",
    "SkippedItem",
    "Store",
    "StoreBase",
    "StoreError",
    "ThreadNotFound",
]


class Store(
    FeedReads,
    AgentActions,
    CallbackRecords,
    OutboxRecords,
    OutboxSending,
    Search,
    Insights,
    Priorities,
    TeamRecords,
):
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
        skipped: Sequence[tuple[str, str]] = (),
        checked: bool = False,
    ) -> IngestResult:
        """Store a batch, and the connector's cursor with it, in one transaction.

        The cursor can therefore never run ahead of what is stored; storing the same messages
        again adds nothing. A message that cannot be stored is left out and recorded (see
        `skipped_items`), like the items the connector itself could not read (`skipped`: id as
        shown, why), so the cursor moves past them and the rest of the batch is kept.
        `checked`: every message came through `checked_message` already (see `ingest_batch`).
        """
        with self._write() as conn:
            result = ingest_batch(
                conn,
                connector=connector,
                channel=channel,
                messages=messages,
                clock=clock,
                seen_at=seen_at,
                checked=checked,
            )
            self._record_skipped(conn, connector, [*skipped, *result.rejected], seen_at)
            self._forget_skipped(conn, connector, result.arrived)
            index_new(conn)
            if cursor is not None:
                conn.execute(
                    "INSERT INTO connector_state (name, cursor, cursor_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, "
                    "cursor_at = excluded.cursor_at",
                    (connector, cursor, to_db(seen_at)),
                )
        return result

    @staticmethod
    def _record_skipped(
        conn: sqlite3.Connection,
        connector: str,
        items: Sequence[tuple[str, str]],
        at: datetime,
    ) -> None:
        stamp = to_db(at)
        conn.executemany(
            "INSERT INTO skipped_items (connector, remote_id, reason, first_seen_at, "
            "last_seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (connector, remote_id) DO UPDATE "
            "SET reason = excluded.reason, last_seen_at = excluded.last_seen_at, "
            "times = times + 1",
            [
                (connector, clean_line(remote_id)[:200], clean_line(reason)[:300], stamp, stamp)
                for remote_id, reason in items
            ],
        )

    @staticmethod
    def _forget_skipped(conn: sqlite3.Connection, connector: str, stored: Sequence[str]) -> None:
        """An item skipped once and stored now (its server fixed it) is no problem any more.

        One statement per batch: the ids go in as one JSON array, not one query each."""
        if stored:
            conn.execute(
                "DELETE FROM skipped_items WHERE connector = ? "
                "AND remote_id IN (SELECT value FROM json_each(?))",
                (connector, json.dumps(stored)),
            )

    def skipped_items(self, connector: str, limit: int = 20) -> list[SkippedItem]:
        """Items of `connector` left out because they could not be stored, latest first."""
        rows = self.conn.execute(
            "SELECT remote_id, reason, last_seen_at, times FROM skipped_items "
            "WHERE connector = ? ORDER BY last_seen_at DESC, id DESC LIMIT ?",
            (connector, limit),
        ).fetchall()
        return [
            SkippedItem(r["remote_id"], r["reason"], from_db(r["last_seen_at"]), r["times"])
            for r in rows
        ]

    def skipped_count(self, connector: str) -> int:
        """How many different items of `connector` were left out, ever."""
        row = self.conn.execute(
            "SELECT COUNT(*) FROM skipped_items WHERE connector = ?", (connector,)
        ).fetchone()
        return int(row[0])

    def quick_check(self) -> list[str]:
        """What `PRAGMA quick_check` finds wrong (at most ten findings; empty: nothing).

        Linear in the size of the file but far cheaper than `integrity_check`; a page too
        damaged to read raises `DatabaseDamaged` instead.
        """
        rows = [str(row[0]) for row in self.conn.execute("PRAGMA quick_check(10)")]
        return [] if rows == ["ok"] else rows

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
                "escalated_at, promise_at, updated_at FROM threads "
                "WHERE state IN ('open', 'escalated') "
                "AND id > ? ORDER BY id LIMIT ?",
                (last_id, _RECOMPUTE_CHUNK),
            ).fetchall():
                last_id = chunk[-1]["id"]
                updates = [
                    (*clock_columns(facts_from_row(row), clock, row["updated_at"]), row["id"])
                    for row in chunk
                ]
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

    def take_lease(
        self,
        name: str,
        holder: str,
        *,
        now: datetime,
        ttl_seconds: float,
        agent: str | None = None,
    ) -> bool:
        """Take or renew the lease `name` for `holder` (run by `agent`) unless someone else
        holds a live one."""
        from datetime import timedelta

        expires = to_db(now + timedelta(seconds=ttl_seconds))
        with self._write() as conn:
            row = conn.execute(
                "SELECT holder, expires_at FROM leases WHERE name = ?", (name,)
            ).fetchone()
            if row and row["holder"] != holder and row["expires_at"] > to_db(now):
                return False
            conn.execute(
                "INSERT INTO leases (name, holder, expires_at, agent) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                "expires_at = excluded.expires_at, agent = excluded.agent",
                (name, holder, expires, agent),
            )
        return True

    def release_lease(self, name: str, holder: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))

    def lease(self, name: str) -> dict[str, str] | None:
        row = self.conn.execute(
            "SELECT holder, expires_at, COALESCE(agent, '') AS agent FROM leases WHERE name = ?",
            (name,),
        ).fetchone()
        return dict(row) if row else None


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _guarded(method: _Method) -> _Method:
    @functools.wraps(method)
    def guarded(self: StoreBase, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise store_error(error, self.path) from error
        except OverflowError as error:
            if "SQLite" not in str(error):  # a bug of ours, not a number for the database
                raise
            raise store_error(error, self.path) from error

    return guarded  # type: ignore[return-value]


def _guard_public_methods(cls: type) -> None:
    """Every raw `sqlite3` error leaves the store as a `StoreError` a user can act on: wrapped
    here once, so that no method of any part can forget it."""
    for name in dir(cls):
        if name.startswith("_"):
            continue
        attr = inspect.getattr_static(cls, name)
        if inspect.isfunction(attr) and not inspect.isgeneratorfunction(attr):
            setattr(cls, name, _guarded(attr))


_guard_public_methods(Store)
