"""The store's foundation: connections, transactions, errors and the feed's types.

A connection belongs to one thread, so each thread that uses the store gets its own (the UI's
workers, the poller, the CLI). Writes are short `BEGIN IMMEDIATE` transactions with a busy
timeout, so several TUI processes on one shared database queue politely instead of failing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from webcare_tui.core.model import (
    ThreadState,
)
from webcare_tui.core.outbox import OutboxItem, OutboxState
from webcare_tui.core.sanitize import clean_text
from webcare_tui.core.timeutil import to_db
from webcare_tui.store.schema import migrate

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000


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


# SQLite allows 999 parameters in a statement on older builds: `IN (...)` lists stay below.
IN_LIST_CHUNK = 500


def chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    """`items` in slices short enough for one `IN (...)` list."""
    for start in range(0, len(items), IN_LIST_CHUNK):
        yield items[start : start + IN_LIST_CHUNK]


def sort_key(due_at: str | None, updated_at: str) -> str:
    """The feed's order: threads with a running clock by due time, then the rest by activity."""
    return f"0 {due_at}" if due_at else f"1 {updated_at}"


@dataclass(frozen=True, slots=True)
class FeedFilter:
    """Which threads the feed shows. The default: every thread that is not resolved or ignored."""

    query: str = ""
    state: ThreadState | None = None
    assignee: str | None = None
    # `webcare threads` lists snoozed threads too; the TUI's feed leaves them out.
    with_snoozed: bool = False

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if self.state is None and self.with_snoozed:
            clauses.append("(active = 1 OR (active = 0 AND state = 'snoozed'))")
        elif self.state is None:
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


ALL_ACTIVE = FeedFilter()
"""The feed's default: every thread that is not resolved or ignored."""


class StoreBase:
    """Connections and transactions; the parts of the Store build on these."""

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

    # -- shared by every part ----------------------------------------------------------------------

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
