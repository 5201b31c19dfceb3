"""Reading the feed and one thread: the queries the screens and the CLI ask."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.model import (
    Customer,
    Event,
    Message,
    Note,
    Thread,
)
from webcare_tui.core.timeutil import to_db
from webcare_tui.store.base import (
    ALL_ACTIVE,
    FeedFilter,
    FeedKey,
    StoreBase,
    ThreadNotFound,
    sort_key,
)
from webcare_tui.store.rows import (
    THREAD_COLUMNS,
    event_from_row,
    message_from_row,
    note_from_row,
    thread_from_row,
)


@dataclass(frozen=True, slots=True)
class FeedPage:
    """Threads in feed order, with the feed keys of the first and the last (None if empty)."""

    threads: list[Thread]
    first: FeedKey | None
    last: FeedKey | None


@dataclass(frozen=True, slots=True)
class InboxCounts:
    """The header's figures: threads waiting for us, overdue ones, and this agent's."""

    open: int = 0
    overdue: int = 0
    mine: int = 0


class FeedReads(StoreBase):
    # -- the feed ----------------------------------------------------------------------------

    def feed_count(self, feed: FeedFilter = ALL_ACTIVE) -> int:
        where, params = feed.where()
        return int(
            self.conn.execute(f"SELECT COUNT(*) FROM threads WHERE {where}", params).fetchone()[0]
        )

    def feed_page(
        self,
        feed: FeedFilter = ALL_ACTIVE,
        *,
        after: FeedKey | None = None,
        before: FeedKey | None = None,
        limit: int = 100,
    ) -> list[Thread]:
        """Threads most urgent first, keyset-paged: the page after `after`, or the one that
        ends just before `before` (returned in feed order)."""
        return self.feed_keyed(feed, after=after, before=before, limit=limit).threads

    def feed_slice(self, feed: FeedFilter, offset: int, limit: int) -> list[Thread]:
        """Threads at positions `offset`..`offset+limit` of the feed, for a jump (End, PgDn)."""
        return self.feed_keyed(feed, offset=offset, limit=limit).threads

    def feed_keyed(
        self,
        feed: FeedFilter = ALL_ACTIVE,
        *,
        after: FeedKey | None = None,
        before: FeedKey | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> FeedPage:
        """A page of the feed with the keys of its ends, to page on from either side: keyset
        after `after` or before `before`, else `limit` threads from position `offset`."""
        where, params = feed.where()
        key = feed.order.key
        order = "ASC"
        if after is not None:
            # The plain bound lets SQLite seek on an expression index (a row value alone scans).
            where += f" AND {key} >= ? AND ({key}, id) > (?, ?)"
            params += [after.sort_key, after.sort_key, after.id]
        elif before is not None:
            where += f" AND {key} <= ? AND ({key}, id) < (?, ?)"
            params += [before.sort_key, before.sort_key, before.id]
            order = "DESC"
        rows = self.conn.execute(
            f"SELECT {THREAD_COLUMNS}, {key} AS feed_key FROM threads WHERE {where} "
            f"ORDER BY {key} {order}, id {order} LIMIT ? OFFSET ?",
            [*params, limit, offset if after is None and before is None else 0],
        ).fetchall()
        if order == "DESC":
            rows = rows[::-1]
        if not rows:
            return FeedPage([], None, None)
        return FeedPage(
            [thread_from_row(row) for row in rows],
            FeedKey(rows[0]["feed_key"], rows[0]["id"]),
            FeedKey(rows[-1]["feed_key"], rows[-1]["id"]),
        )

    def feed_position(self, feed: FeedFilter, thread_id: int) -> int | None:
        """Where thread `thread_id` stands in the feed (0 is first), or None if not in it."""
        where, params = feed.where()
        key = feed.order.key
        row = self.conn.execute(
            f"SELECT {key} AS feed_key, id FROM threads WHERE id = ? AND {where}",
            [thread_id, *params],
        ).fetchone()
        if row is None:
            return None
        count = self.conn.execute(
            f"SELECT COUNT(*) FROM threads WHERE {where} AND {key} <= ? AND ({key}, id) < (?, ?)",
            [*params, row["feed_key"], row["feed_key"], row["id"]],
        ).fetchone()[0]
        return int(count)

    def feed_key(self, thread_id: int) -> FeedKey | None:
        row = self.conn.execute(
            "SELECT sort_key, id FROM threads WHERE id = ?", (thread_id,)
        ).fetchone()
        return FeedKey(row["sort_key"], row["id"]) if row else None

    def counts(self, agent: str, now: datetime) -> InboxCounts:
        """The header's figures: threads waiting for us, overdue ones, and mine.

        Each is counted on an index alone, so refreshing the header stays cheap at 100k
        threads. A running clock's sort key is `0 <due_at>` (see `sort_key`).
        """
        conn = self.conn
        open_count = conn.execute(
            "SELECT COUNT(*) FROM threads WHERE active = 1 AND state = 'open'"
        ).fetchone()[0]
        overdue = conn.execute(
            "SELECT COUNT(*) FROM threads WHERE active = 1 AND sort_key >= '0 ' AND sort_key < ?",
            (sort_key(to_db(now), ""),),
        ).fetchone()[0]
        mine = conn.execute(
            "SELECT COUNT(*) FROM threads WHERE assignee = ? AND active = 1", (agent,)
        ).fetchone()[0]
        return InboxCounts(open=int(open_count), overdue=int(overdue), mine=int(mine))

    # -- one thread --------------------------------------------------------------------------

    def thread(self, thread_id: int) -> Thread:
        row = self.conn.execute(
            f"SELECT {THREAD_COLUMNS} FROM threads WHERE id = ?", (thread_id,)
        ).fetchone()
        if row is None:
            raise ThreadNotFound(f"there is no thread {thread_id}")
        return thread_from_row(row)

    def thread_of_message(self, connector: str, remote_id: str) -> int | None:
        """The thread a message is in now; it moves when its thread joins another."""
        row = self.conn.execute(
            "SELECT thread_id FROM messages WHERE connector = ? AND remote_id = ?",
            (connector, remote_id),
        ).fetchone()
        return int(row[0]) if row else None

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
