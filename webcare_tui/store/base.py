"""The store's foundation: connections, transactions, errors and the feed's types.

A connection belongs to one thread, so each thread that uses the store gets its own (the UI's
workers, the poller, the CLI). Writes are short `BEGIN IMMEDIATE` transactions with a busy
timeout, so several TUI processes on one shared database queue politely instead of failing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from webcare_tui.core.model import (
    ThreadState,
)
from webcare_tui.core.outbox import OutboxItem, OutboxState
from webcare_tui.core.query import parse_query
from webcare_tui.core.sanitize import clean_text
from webcare_tui.core.timeutil import to_db
from webcare_tui.store.files import create_private
from webcare_tui.store.query_sql import thread_where
from webcare_tui.store.schema import migrate

BUSY_TIMEOUT_MS = 10_000
# `PRAGMA application_id`: "WCTU". A file with another id, or with tables but no id, is not ours.
APPLICATION_ID = 0x57435455
_SQLITE_HEADER = b"SQLite format 3\x00"
# SQLite's primary result codes (the low byte of `sqlite_errorcode`).
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_PERM, _AUTH = 3, 23


class StoreError(Exception):
    """A store operation was refused or failed. `title` is a short line for the UI."""

    title = "database error"


class DatabaseDamaged(StoreError):
    """SQLite found corrupt pages, or the file is not a database any more."""

    title = "database damaged"


class DatabaseReadOnly(StoreError):
    """The file, or its folder, cannot be written (permissions, a read-only mount)."""

    title = "database read-only"


class DiskFull(StoreError):
    """The disk (or SQLite's page limit) is full: the change was not saved."""

    title = "disk full"


class DatabaseLocked(StoreError):
    """Another process held the database longer than the busy timeout."""

    title = "database busy"


class DatabaseUnavailable(StoreError):
    """The file cannot be opened or read at all (missing folder, I/O error, permissions)."""

    title = "database unavailable"


class NotOurDatabase(StoreError):
    """The file belongs to another application (or is not SQLite): refused, left untouched."""

    title = "not a webcare database"


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


def store_error(error: sqlite3.Error | OverflowError, path: Path) -> StoreError:
    """What a raw SQLite failure means for the person at the keyboard, as a `StoreError`."""
    if isinstance(error, OverflowError):
        return StoreError("a number too large for the database (no such record)")
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    text = str(error)
    if code in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return DatabaseDamaged(f"the database {path} is damaged: run `webcare check-db`")
    if code == _READONLY or "readonly" in text:
        return DatabaseReadOnly(
            f"the database {path} is read-only: nothing was saved; check the permissions of "
            "the file and of its folder"
        )
    if code == _FULL or "disk is full" in text:
        return DiskFull(f"the disk holding {path} is full: nothing was saved; free some space")
    if code in (_BUSY, _LOCKED) or "locked" in text:
        return DatabaseLocked(
            f"the database {path} stayed locked by another process for "
            f"{BUSY_TIMEOUT_MS // 1000} s: nothing was saved; try again"
        )
    if code in (_CANTOPEN, _PERM, _AUTH) or "unable to open" in text:
        return DatabaseUnavailable(
            f"cannot open the database {path}: check that its folder exists and is yours"
        )
    if code == _IOERR:
        return DatabaseUnavailable(f"the disk failed reading or writing {path} ({text})")
    return StoreError(f"database error on {path}: {text}")


@dataclass(frozen=True, slots=True)
class FeedKey:
    """A thread's place in the feed's order, for keyset paging: `sort_key` is the value of
    the order's key (`FeedOrder.key`), the stored `sort_key` column in the default order."""

    sort_key: str
    id: int


# SQLite allows 999 parameters in a statement on older builds: `IN (...)` lists stay below.
IN_LIST_CHUNK = 500


_Item = TypeVar("_Item")


def chunks(items: Sequence[_Item]) -> Iterator[Sequence[_Item]]:
    """`items` in slices short enough for one `IN (...)` list."""
    for start in range(0, len(items), IN_LIST_CHUNK):
        yield items[start : start + IN_LIST_CHUNK]


def sort_key(due_at: str | None, updated_at: str) -> str:
    """The feed's order: threads with a running clock by due time, then the rest by activity."""
    return f"0 {due_at}" if due_at else f"1 {updated_at}"


class FeedOrder(StrEnum):
    """The feed's orders, each read on its own index: by due time (the default), by priority
    (highest first, then by due time), or by real waiting time, the customer who has waited
    longest for us first. `next` cycles them in this order."""

    DUE = "due"
    PRIORITY = "priority"
    WAITING = "waiting"

    @property
    def key(self) -> str:
        """The SQL expression of the order, exactly as its index spells it."""
        return _ORDER_KEYS[self]

    def next(self) -> FeedOrder:
        orders = list(FeedOrder)
        return orders[(orders.index(self) + 1) % len(orders)]


MAX_PRIORITY = 999
"""The highest priority the feed's priority order tells apart (it sorts on three digits)."""

# Must match the index expressions in `schema.py` character for character, or SQLite scans.
_ORDER_KEYS = {
    FeedOrder.DUE: "sort_key",
    FeedOrder.PRIORITY: f"printf('%03d ', {MAX_PRIORITY} - COALESCE(priority, 0)) || sort_key",
    FeedOrder.WAITING: "COALESCE('0 ' || pending_since, '1 ' || updated_at)",
}


@dataclass(frozen=True, slots=True)
class FeedFilter:
    """Which threads the feed shows. The default: every thread that is not resolved, ignored
    or snoozed. `query` is the query language of `core.query` (`@me` means `agent`)."""

    query: str = ""
    state: ThreadState | None = None
    assignee: str | None = None
    # `webcare threads` lists snoozed threads too; the TUI's feed leaves them out.
    with_snoozed: bool = False
    agent: str | None = None
    order: FeedOrder = FeedOrder.DUE

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        query = parse_query(self.query) if self.query.strip() else None
        if query is not None and self.agent:
            query = query.resolve_me(self.agent)
        if self.state is not None:
            clauses.append("active = ? AND state = ?")
            params += [int(self.state.is_active), self.state.value]
        elif self.with_snoozed:
            clauses.append("(active = 1 OR (active = 0 AND state = 'snoozed'))")
        elif query is None or not query.states:  # else the query names the states it wants
            clauses.append("active = 1")
        if self.assignee:
            clauses.append("assignee = ?")
            params.append(self.assignee)
        if query is not None:
            where, more = thread_where(query, any_state=True)
            clauses.append(where)
            params += more
        return " AND ".join(clauses), params


ALL_ACTIVE = FeedFilter()
"""The feed's default: every thread that is not resolved or ignored."""


def refuse_non_sqlite(path: Path) -> None:
    """`NotOurDatabase` for a file that is not SQLite at all (a typo in `--db`), unread by it."""
    with path.open("rb") as file:
        header = file.read(len(_SQLITE_HEADER))
    if header and header != _SQLITE_HEADER:
        raise NotOurDatabase(f"{path} is not a SQLite database: refusing to touch it")


def claim(conn: sqlite3.Connection, path: Path) -> None:
    """Mark an empty database as ours; refuse (`NotOurDatabase`) one that is someone else's.

    Ours: our `application_id`, or none yet but our own tables (made before we marked them).
    Reads only, unless the file is empty or ours: a refused file is left byte for byte.
    """
    application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    if application_id == APPLICATION_ID:
        return
    if application_id != 0:
        raise NotOurDatabase(
            f"{path} belongs to another application (application_id {application_id:#x}): "
            "refusing to touch it; point --db at another file"
        )
    tables = {
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    }
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if tables and (version == 0 or not {"threads", "messages", "meta"} <= tables):
        raise NotOurDatabase(
            f"{path} holds another application's tables: refusing to touch it; "
            "point --db at another file"
        )
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


class StoreBase:
    """Connections and transactions; the parts of the Store build on these."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            if str(path) != ":memory:":
                create_private(self.path)
                refuse_non_sqlite(self.path)
            conn = self.conn
            claim(conn, self.path)  # before anything is written: a foreign file stays as it was
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn)
        except (sqlite3.Error, OverflowError) as error:
            self.close()
            raise store_error(error, self.path) from None
        except RuntimeError as error:  # a newer schema than this program knows
            self.close()
            raise StoreError(str(error)) from None
        except OSError as error:
            self.close()
            raise DatabaseUnavailable(
                f"cannot create the database {self.path}: {error.strerror or error}"
            ) from None
        except StoreError:
            self.close()
            raise

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
            conn.execute("COMMIT")
        except BaseException:
            # A full disk or an I/O error has rolled back already: a second ROLLBACK would
            # replace the real reason with "no transaction is active".
            if conn.in_transaction:
                with suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise

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

    def _claim_thread(
        self, conn: sqlite3.Connection, thread_id: int, agent: str, *, now: datetime, force: bool
    ) -> None:
        """Give the thread to `agent`, inside the caller's transaction; refused with
        ClaimedByOther when another agent holds it, unless `force`."""
        holder = self._require(conn, thread_id)["assignee"]
        if holder == agent:
            return
        if holder and not force:
            raise ClaimedByOther(thread_id, holder)
        conn.execute("UPDATE threads SET assignee = ? WHERE id = ?", (agent, thread_id))
        detail = f"taken over from {holder}" if holder else ""
        self._event(conn, thread_id, now, agent, "assigned", detail)

    # -- meta --------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
