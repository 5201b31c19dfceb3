"""The Store: owns the SQLite database. Every read and write of the application goes through it.

A connection belongs to one thread, so each thread that uses the store gets its own (the UI's
workers, the poller, the CLI). Writes are short `BEGIN IMMEDIATE` transactions with a busy
timeout, so several TUI processes on one shared database queue politely instead of failing.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import (
    Customer,
    Event,
    IncomingMessage,
    Message,
    Note,
    Thread,
    ThreadState,
)
from webcare_tui.core.outbox import OutboxItem, OutboxState, Override
from webcare_tui.core.sanitize import clean_line, clean_text
from webcare_tui.core.threads import ThreadFacts, running_clock
from webcare_tui.core.timeutil import from_db, to_db
from webcare_tui.store import outbox as outbox_sql
from webcare_tui.store.ingest import IngestResult, ingest_batch, sort_key
from webcare_tui.store.outbox import ReplyTarget
from webcare_tui.store.rows import (
    THREAD_COLUMNS,
    event_from_row,
    message_from_row,
    note_from_row,
    thread_from_row,
)
from webcare_tui.store.schema import migrate

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000

__all__ = ["FeedFilter", "FeedKey", "IngestResult", "Store", "StoreError"]


class StoreError(Exception):
    """A store operation was refused or failed. `title` is a short line for the UI."""

    title = "database error"


class ThreadNotFound(StoreError):
    title = "no such thread"


class OutboxItemNotFound(StoreError):
    title = "no such reply"


class OutboxTooLate(StoreError):
    """The reply already left the state this change needs (it is being sent, or was)."""

    title = "too late"

    def __init__(self, item: OutboxItem) -> None:
        what = {
            OutboxState.SENDING: "is being sent",
            OutboxState.SENT: "was sent",
            OutboxState.CANCELLED: "was taken back",
        }.get(item.state, f"is {item.state.value}")
        super().__init__(f"reply {item.id} {what}")
        self.item = item


class ClaimedByOther(StoreError):
    """The thread is assigned to another agent."""

    title = "assigned to someone else"

    def __init__(self, thread_id: int, holder: str) -> None:
        super().__init__(f"thread {thread_id} is assigned to {holder}")
        self.holder = holder


@dataclass(frozen=True, slots=True)
class FeedKey:
    """A thread's place in the feed's order, for keyset paging."""

    sort_key: str
    id: int


@dataclass(frozen=True, slots=True)
class FeedFilter:
    """Which threads the feed shows. The default: every thread that is not resolved or ignored."""

    query: str = ""
    state: ThreadState | None = None
    assignee: str | None = None

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.state is None:
            clauses.append("active = 1")
        else:
            clauses.append("active = ? AND state = ?")
            params += [int(self.state.is_active), self.state.value]
        if self.assignee:
            clauses.append("assignee = ?")
            params.append(self.assignee)
        if self.query.strip():
            like = "%" + self.query.strip().replace("\\", "\\\\").replace("%", "\\%") + "%"
            like = like.replace("_", "\\_")
            clauses.append(
                "(author LIKE ? ESCAPE '\\' OR author_name LIKE ? ESCAPE '\\' "
                "OR last_text LIKE ? ESCAPE '\\' OR channel LIKE ? ESCAPE '\\')"
            )
            params += [like, like, like, like]
        return " AND ".join(clauses), params


class Store:
    """The application's database. Safe to share between threads; not between processes'
    memory, but many processes may open the same file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        conn = self.conn
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn)

    # -- connections -------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection as a sqlite-utils Database, for table-level helpers."""
        import sqlite_utils  # only maintenance code needs it; keep CLI start-up light

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def data_version(self) -> int:
        """Changes whenever another connection commits: a cheap way to notice other processes."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

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
        """Recompute every running clock when the windows changed since the last run."""
        if self.meta("clock_fingerprint") == fingerprint:
            return 0
        with self._write() as conn:
            rows = conn.execute(
                "SELECT id, channel, state, pending_since, first_reply_at, last_out_at, "
                "escalated_at, updated_at FROM threads WHERE state IN ('open', 'escalated')"
            ).fetchall()
            updates = []
            for row in rows:
                facts = ThreadFacts(
                    channel=row["channel"],
                    state=ThreadState(row["state"]),
                    pending_since=_maybe(row["pending_since"]),
                    first_reply_at=_maybe(row["first_reply_at"]),
                    last_out_at=_maybe(row["last_out_at"]),
                    escalated_at=_maybe(row["escalated_at"]),
                )
                running = running_clock(facts, clock)
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
                "UPDATE threads SET clock_kind = ?, clock_start = ?, due_at = ?, sort_key = ? "
                "WHERE id = ?",
                updates,
            )
            self._set_meta(conn, "clock_fingerprint", fingerprint)
        return len(updates)

    # -- the feed ----------------------------------------------------------------------------

    def feed_count(self, feed: FeedFilter = FeedFilter()) -> int:
        where, params = feed.where()
        return int(
            self.conn.execute(f"SELECT COUNT(*) FROM threads WHERE {where}", params).fetchone()[0]
        )

    def feed_page(
        self,
        feed: FeedFilter = FeedFilter(),
        *,
        after: FeedKey | None = None,
        before: FeedKey | None = None,
        limit: int = 100,
    ) -> list[Thread]:
        """Threads most urgent first, keyset-paged: the page after `after`, or the one that
        ends just before `before` (returned in feed order)."""
        where, params = feed.where()
        order = "ASC"
        if after is not None:
            where += " AND (sort_key, id) > (?, ?)"
            params += [after.sort_key, after.id]
        elif before is not None:
            where += " AND (sort_key, id) < (?, ?)"
            params += [before.sort_key, before.id]
            order = "DESC"
        rows = self.conn.execute(
            f"SELECT {THREAD_COLUMNS}, sort_key FROM threads WHERE {where} "
            f"ORDER BY sort_key {order}, id {order} LIMIT ?",
            [*params, limit],
        ).fetchall()
        threads = [thread_from_row(row) for row in rows]
        return threads[::-1] if order == "DESC" else threads

    def feed_slice(self, feed: FeedFilter, offset: int, limit: int) -> list[Thread]:
        """Threads at positions `offset`..`offset+limit` of the feed, for a jump (End, PgDn)."""
        where, params = feed.where()
        rows = self.conn.execute(
            f"SELECT {THREAD_COLUMNS} FROM threads WHERE {where} "
            "ORDER BY sort_key, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return [thread_from_row(row) for row in rows]

    def feed_position(self, feed: FeedFilter, thread_id: int) -> int | None:
        """Where thread `thread_id` stands in the feed (0 is first), or None if not in it."""
        where, params = feed.where()
        row = self.conn.execute(
            f"SELECT sort_key, id FROM threads WHERE id = ? AND {where}", [thread_id, *params]
        ).fetchone()
        if row is None:
            return None
        count = self.conn.execute(
            f"SELECT COUNT(*) FROM threads WHERE {where} AND (sort_key, id) < (?, ?)",
            [*params, row["sort_key"], row["id"]],
        ).fetchone()[0]
        return int(count)

    def feed_key(self, thread_id: int) -> FeedKey | None:
        row = self.conn.execute(
            "SELECT sort_key, id FROM threads WHERE id = ?", (thread_id,)
        ).fetchone()
        return FeedKey(row["sort_key"], row["id"]) if row else None

    def counts(self, agent: str, now: datetime) -> dict[str, int]:
        """The header's figures: threads waiting for us, overdue ones, and mine."""
        row = self.conn.execute(
            "SELECT "
            "COALESCE(SUM(state = 'open'), 0) AS open, "
            "COALESCE(SUM(due_at IS NOT NULL AND due_at < ?), 0) AS overdue, "
            "COALESCE(SUM(assignee = ?), 0) AS mine "
            "FROM threads WHERE active = 1",
            (to_db(now), agent),
        ).fetchone()
        return {"open": row["open"], "overdue": row["overdue"], "mine": row["mine"]}

    # -- one thread --------------------------------------------------------------------------

    def thread(self, thread_id: int) -> Thread:
        row = self.conn.execute(
            f"SELECT {THREAD_COLUMNS} FROM threads WHERE id = ?", (thread_id,)
        ).fetchone()
        if row is None:
            raise ThreadNotFound(f"there is no thread {thread_id}")
        return thread_from_row(row)

    def messages(self, thread_id: int) -> list[Message]:
        rows = self.conn.execute(
            "SELECT * FROM messages WHERE thread_id = ? ORDER BY created_at, id", (thread_id,)
        ).fetchall()
        return [message_from_row(row) for row in rows]

    def message_extra(self, message_id: int) -> dict[str, str]:
        row = self.conn.execute("SELECT extra FROM messages WHERE id = ?", (message_id,)).fetchone()
        return dict(json.loads(row["extra"])) if row else {}

    def events(self, thread_id: int) -> list[Event]:
        rows = self.conn.execute(
            "SELECT * FROM events WHERE thread_id = ? ORDER BY at, id", (thread_id,)
        ).fetchall()
        return [event_from_row(row) for row in rows]

    def notes(self, thread_id: int) -> list[Note]:
        rows = self.conn.execute(
            "SELECT * FROM notes WHERE thread_id = ? ORDER BY at, id", (thread_id,)
        ).fetchall()
        return [note_from_row(row) for row in rows]

    def customer(self, connector: str, handle: str) -> Customer:
        """Who the customer is, with every thread they started on this connector."""
        row = self.conn.execute(
            "SELECT name, followers FROM customers WHERE connector = ? AND handle = ?",
            (connector, handle),
        ).fetchone()
        ids = tuple(
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM threads WHERE connector = ? AND author = ? "
                "ORDER BY created_at DESC",
                (connector, handle),
            )
        )
        return Customer(
            connector=connector,
            handle=handle,
            name=row["name"] if row else None,
            followers=row["followers"] if row else None,
            thread_ids=ids,
        )

    # -- what agents do ----------------------------------------------------------------------

    def _event(
        self,
        conn: sqlite3.Connection,
        thread_id: int,
        at: datetime,
        actor: str,
        kind: str,
        detail: str = "",
    ) -> None:
        conn.execute(
            "INSERT INTO events (thread_id, at, actor, kind, detail) VALUES (?, ?, ?, ?, ?)",
            (thread_id, to_db(at), actor, kind, clean_text(detail)),
        )

    def _require(self, conn: sqlite3.Connection, thread_id: int) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM threads WHERE id = ?", (thread_id,)).fetchone()
        if row is None:
            raise ThreadNotFound(f"there is no thread {thread_id}")
        return row

    def assign(self, thread_id: int, agent: str, *, now: datetime, force: bool = False) -> None:
        """Claim a thread for `agent`. Refused when another agent holds it, unless `force`."""
        with self._write() as conn:
            row = self._require(conn, thread_id)
            holder = row["assignee"]
            if holder == agent:
                return
            if holder and not force:
                raise ClaimedByOther(thread_id, holder)
            conn.execute("UPDATE threads SET assignee = ? WHERE id = ?", (agent, thread_id))
            detail = f"taken over from {holder}" if holder else ""
            self._event(conn, thread_id, now, agent, "assigned", detail)

    def set_state(
        self, thread_id: int, state: ThreadState, *, actor: str, now: datetime, reason: str = ""
    ) -> None:
        """Resolve, ignore (with a reason) or reopen a thread. Its clock stops or restarts."""
        with self._write() as conn:
            row = self._require(conn, thread_id)
            due = row["due_at"] if state in (ThreadState.OPEN, ThreadState.ESCALATED) else None
            conn.execute(
                "UPDATE threads SET state = ?, active = ?, due_at = ?, sort_key = ? WHERE id = ?",
                (
                    state.value,
                    int(state.is_active),
                    due,
                    sort_key(due, row["updated_at"]),
                    thread_id,
                ),
            )
            self._event(conn, thread_id, now, actor, state.value, reason)

    def escalate(
        self,
        thread_id: int,
        to: str,
        *,
        actor: str,
        now: datetime,
        clock: ResponseClock,
        note: str = "",
    ) -> None:
        """Take the thread offline (`phone`, `dm`) or to a team; the follow-up clock starts."""
        with self._write() as conn:
            row = self._require(conn, thread_id)
            facts = ThreadFacts(
                channel=row["channel"],
                state=ThreadState.ESCALATED,
                pending_since=_maybe(row["pending_since"]),
                first_reply_at=_maybe(row["first_reply_at"]),
                last_out_at=_maybe(row["last_out_at"]),
                escalated_at=now,
            )
            running = running_clock(facts, clock)
            due = to_db(running.due_at) if running else None
            conn.execute(
                "UPDATE threads SET state = 'escalated', active = 1, escalated_at = ?, "
                "escalated_to = ?, clock_kind = ?, clock_start = ?, due_at = ?, sort_key = ? "
                "WHERE id = ?",
                (
                    to_db(now),
                    to,
                    running.kind.value if running else None,
                    to_db(running.start) if running else None,
                    due,
                    sort_key(due, row["updated_at"]),
                    thread_id,
                ),
            )
            self._event(
                conn, thread_id, now, actor, "escalated", f"to {to}" + (f": {note}" if note else "")
            )
            if note.strip():
                conn.execute(
                    "INSERT INTO notes (thread_id, at, author, text) VALUES (?, ?, ?, ?)",
                    (thread_id, to_db(now), actor, clean_text(note)),
                )

    def add_note(self, thread_id: int, text: str, *, author: str, now: datetime) -> None:
        with self._write() as conn:
            self._require(conn, thread_id)
            conn.execute(
                "INSERT INTO notes (thread_id, at, author, text) VALUES (?, ?, ?, ?)",
                (thread_id, to_db(now), author, clean_text(text)),
            )
            self._event(conn, thread_id, now, author, "note")

    # -- drafts ------------------------------------------------------------------------------

    def save_draft(self, thread_id: int, agent: str, text: str, *, now: datetime) -> None:
        """Keep what an agent typed, so quitting or crashing never loses a draft."""
        with self._write() as conn:
            if text:
                conn.execute(
                    "INSERT INTO drafts (thread_id, agent, text, updated_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (thread_id, agent) DO UPDATE SET text = excluded.text, "
                    "updated_at = excluded.updated_at",
                    (thread_id, agent, text, to_db(now)),
                )
            else:
                conn.execute(
                    "DELETE FROM drafts WHERE thread_id = ? AND agent = ?", (thread_id, agent)
                )

    def draft(self, thread_id: int, agent: str) -> str:
        row = self.conn.execute(
            "SELECT text FROM drafts WHERE thread_id = ? AND agent = ?", (thread_id, agent)
        ).fetchone()
        return row["text"] if row else ""

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

    # -- meta --------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as conn:
            self._set_meta(conn, key, value)

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # -- the outbox (replies on their way out; states in core/outbox.py) ---------------------

    def queue_reply(
        self,
        thread_id: int,
        agent: str,
        text: str,
        *,
        now: datetime,
        send_after: datetime,
        idempotency_key: str,
        private: bool = False,
        override: tuple[Override, ...] = (),
        force_claim: bool = False,
    ) -> OutboxItem:
        """Claim the thread for `agent` and queue a reply, in one transaction.

        Refused with ClaimedByOther when another agent holds the thread, unless `force_claim`.
        The draft becomes the outbox item, so it is removed from the drafts: the text lives in
        one place, and undo puts it back.
        """
        with self._write() as conn:
            row = self._require(conn, thread_id)
            holder = row["assignee"]
            if holder != agent:
                if holder and not force_claim:
                    raise ClaimedByOther(thread_id, holder)
                conn.execute("UPDATE threads SET assignee = ? WHERE id = ?", (agent, thread_id))
                detail = f"taken over from {holder}" if holder else ""
                self._event(conn, thread_id, now, agent, "assigned", detail)
            cursor = conn.execute(
                "INSERT INTO outbox (thread_id, agent, text, private, idempotency_key, state, "
                "created_at, send_after, override) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
                (
                    thread_id,
                    agent,
                    clean_text(text),
                    int(private),
                    idempotency_key,
                    to_db(now),
                    to_db(send_after),
                    outbox_sql.override_json(override),
                ),
            )
            conn.execute("DELETE FROM drafts WHERE thread_id = ? AND agent = ?", (thread_id, agent))
            return self._outbox_row(conn, int(cursor.lastrowid or 0))

    def cancel_reply(self, item_id: int, *, now: datetime) -> OutboxItem:
        """Undo: take a queued (or failed) reply back into its agent's draft.

        Raises OutboxTooLate once a process has started sending it: from then on it goes out.
        """
        with self._write() as conn:
            item = self._outbox_row(conn, item_id)
            if not item.can_undo:
                raise OutboxTooLate(item)
            conn.execute("UPDATE outbox SET state = 'cancelled' WHERE id = ?", (item_id,))
            existing = conn.execute(
                "SELECT text FROM drafts WHERE thread_id = ? AND agent = ?",
                (item.thread_id, item.agent),
            ).fetchone()
            text = item.text
            if existing and existing["text"].strip() and existing["text"] != text:
                text = f"{text}\n\n{existing['text']}"  # never lose a draft written meanwhile
            conn.execute(
                "INSERT INTO drafts (thread_id, agent, text, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (thread_id, agent) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at",
                (item.thread_id, item.agent, text, to_db(now)),
            )
            return self._outbox_row(conn, item_id)

    def retry_reply(self, item_id: int, *, now: datetime) -> OutboxItem:
        """Queue a failed reply again, due now, under the same idempotency key."""
        with self._write() as conn:
            item = self._outbox_row(conn, item_id)
            if item.state is not OutboxState.FAILED:
                raise OutboxTooLate(item)
            conn.execute(
                "UPDATE outbox SET state = 'queued', send_after = ?, retry_at = NULL WHERE id = ?",
                (to_db(now), item_id),
            )
            return self._outbox_row(conn, item_id)

    def claim_reply(
        self,
        *,
        now: datetime,
        holder: str,
        stale_before: datetime,
        is_dead: Callable[[str], bool] = lambda holder: False,
        item_id: int | None = None,
    ) -> OutboxItem | None:
        """Atomically take the next due reply (or reply `item_id`, at once) into `sending`."""
        if item_id is None and not outbox_sql.anything_due(self.conn, now):
            return None
        with self._write() as conn:
            return outbox_sql.claim_due(
                conn,
                now=now,
                holder=holder,
                stale_before=stale_before,
                is_dead=is_dead,
                item_id=item_id,
            )

    def mark_reply_sent(
        self,
        item_id: int,
        *,
        remote_id: str,
        url: str | None,
        sent_at: datetime,
        clock: ResponseClock,
        now: datetime,
    ) -> OutboxItem:
        """Record a reply the platform accepted: the item is `sent`, the reply is stored as an
        outgoing message of its thread (the clock stops, the thread is `replied`), and the event
        log says who sent what, and which checks they overrode."""
        with self._write() as conn:
            item = self._outbox_row(conn, item_id)
            if item.state is OutboxState.SENT:
                return item  # a retry's answer for a post already recorded
            target = outbox_sql.reply_target(conn, item.thread_id)
            if target is None:
                raise ThreadNotFound(f"there is no thread {item.thread_id}")
            conn.execute(
                "UPDATE outbox SET state = 'sent', remote_id = ?, sent_at = ?, last_error = NULL, "
                "retry_at = NULL WHERE id = ?",
                (remote_id, to_db(sent_at), item_id),
            )
            message = outbox_sql.sent_message(
                conn, item, target, remote_id=remote_id, url=url, created_at=sent_at
            )
            ingest_batch(
                conn,
                connector=target.connector,
                channel=target.channel,
                messages=[message],
                clock=clock,
                seen_at=now,
            )
            detail = item.text
            if item.override:
                overridden = "; ".join(f"{o.code}: {o.message}" for o in item.override)
                detail += f"\n\nsent despite: {overridden}"
            self._event(conn, item.thread_id, now, item.agent, "replied", detail)
            # A keystroke's save may have landed after queueing: the sent text is no draft.
            conn.execute(
                "DELETE FROM drafts WHERE thread_id = ? AND agent = ? AND text = ?",
                (item.thread_id, item.agent, item.text),
            )
            return self._outbox_row(conn, item_id)

    def mark_reply_failed(
        self,
        item_id: int,
        *,
        holder: str,
        error: str,
        retry_at: datetime | None,
        now: datetime,
    ) -> OutboxItem:
        """Record a failed send. With `retry_at` the outbox tries again by itself from then;
        without, it waits for an agent. Only the process that holds the claim may do this."""
        with self._write() as conn:
            item = self._outbox_row(conn, item_id)
            if item.state is not OutboxState.SENDING or item.claimed_by != holder:
                return item  # someone else took it over meanwhile; their outcome counts
            conn.execute(
                "UPDATE outbox SET state = 'failed', last_error = ?, retry_at = ? WHERE id = ?",
                (clean_line(error), to_db(retry_at) if retry_at else None, item_id),
            )
            if retry_at is None:
                self._event(conn, item.thread_id, now, item.agent, "reply failed", error)
            return self._outbox_row(conn, item_id)

    def outbox_item(self, item_id: int) -> OutboxItem:
        return self._outbox_row(self.conn, item_id)

    def outbox_items(self, thread_id: int) -> list[OutboxItem]:
        """A thread's outbox items, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM outbox WHERE thread_id = ? ORDER BY created_at, id", (thread_id,)
        ).fetchall()
        return [outbox_sql.item_from_row(row) for row in rows]

    def reply_target(self, thread_id: int) -> ReplyTarget:
        """What a reply to the thread answers (its latest customer message), for the connector."""
        target = outbox_sql.reply_target(self.conn, thread_id)
        if target is None:
            raise ThreadNotFound(f"there is no thread {thread_id}")
        return target

    def answered_since(self, thread_id: int, since: datetime) -> list[str]:
        """Who replied (or has a reply on its way) in the thread after `since`."""
        return outbox_sql.answered_since(self.conn, thread_id, since)

    @staticmethod
    def _outbox_row(conn: sqlite3.Connection, item_id: int) -> OutboxItem:
        row = conn.execute("SELECT * FROM outbox WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise OutboxItemNotFound(f"there is no outbox item {item_id}")
        return outbox_sql.item_from_row(row)


def _maybe(value: str | None) -> datetime | None:
    return from_db(value) if value else None
