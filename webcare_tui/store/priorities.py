"""The stored priority that the feed's priority order pages on.

Priority needs the lexicon, which the store does not load: the store keeps the number and
says which threads have none yet (`priority IS NULL`), and a scorer from the services fills
them in (`rescore`). A thread loses its number when the ingest adds a message to it, and when
a message elsewhere or a new follower count changes it (see `unscore`), so a stored number is
never older than what it was computed from. An older database starts with
every thread unscored; the first read in priority order scores them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Mapping, Sequence

from webcare_tui.core.model import Thread
from webcare_tui.store.base import MAX_PRIORITY, FeedFilter, StoreBase, chunks
from webcare_tui.store.rows import THREAD_COLUMNS, thread_from_row

Scorer = Callable[[Sequence[Thread]], Mapping[int, int]]
"""Priority (higher first) of each of the threads given, by thread id."""

RESCORE_BATCH = 500


def unscore(
    conn: sqlite3.Connection,
    connector: str,
    thread_ids: Collection[int],
    since: str,
    followers: Mapping[str, int | None],
) -> None:
    """Inside the ingest's transaction, before the customers are written: forget the
    priority of `thread_ids` (they got a message) and of the threads whose number the batch
    changes through their customer (the handles of `followers`, who wrote messages created
    at or after `since`).

    Repeat contact counts as of a thread's last customer message, so a message changes the
    number of the customer's threads (across connectors: the handle is what counts) whose
    last message is no older than it: for a live poll, none but its own. A new follower
    count changes the reach of every thread of that customer on this connector."""
    for part in chunks([str(i) for i in thread_ids]):
        marks = ", ".join("?" for _ in part)
        conn.execute(
            f"UPDATE threads SET priority = NULL WHERE id IN ({marks}) AND priority IS NOT NULL",
            [int(i) for i in part],
        )
    for part in chunks(sorted(followers)):
        marks = ", ".join("?" for _ in part)
        # On the index of scored threads by customer: new threads (all of a bulk import) are
        # unscored already and cost nothing here.
        conn.execute(
            "UPDATE threads INDEXED BY threads_scored SET priority = NULL "
            f"WHERE priority IS NOT NULL AND author IN ({marks}) AND last_in_at >= ?",
            [*part, since],
        )
        stored = conn.execute(
            f"SELECT handle, followers FROM customers WHERE connector = ? AND handle IN ({marks})",
            [connector, *part],
        ).fetchall()
        changed = [h for h, count in stored if followers[h] not in (None, count)]
        if changed:
            conn.execute(
                "UPDATE threads INDEXED BY threads_scored SET priority = NULL "
                f"WHERE priority IS NOT NULL AND author IN ({', '.join('?' for _ in changed)}) "
                "AND connector = ?",
                [*changed, connector],
            )


class Priorities(StoreBase):
    def unscored(self, feed: FeedFilter | None = None) -> int:
        """How many threads (of `feed`, else of all) have no stored priority yet."""
        where, params = feed.where() if feed is not None else ("1", [])
        row = self.conn.execute(
            "SELECT COUNT(*) FROM threads INDEXED BY threads_unscored "
            f"WHERE priority IS NULL AND ({where})",
            params,
        ).fetchone()
        return int(row[0])

    def rescore(
        self, scorer: Scorer, feed: FeedFilter | None = None, *, batch: int = RESCORE_BATCH
    ) -> int:
        """Store the priority of every thread (of `feed`, else of all) that has none, as
        `scorer` computes it; returns how many were scored.

        Each batch is read, scored and written in one write transaction, so an ingest cannot
        slip a message in between and leave a number that no longer fits the thread."""
        where, params = feed.where() if feed is not None else ("1", [])
        select = (
            f"SELECT {THREAD_COLUMNS} FROM threads INDEXED BY threads_unscored "
            f"WHERE priority IS NULL AND ({where}) ORDER BY id LIMIT ?"
        )
        probe = self.conn.execute(select, [*params, 1]).fetchone()
        if probe is None:
            return 0  # the usual case: no write lock for nothing
        done = 0
        while True:
            with self._write() as conn:
                threads = [thread_from_row(r) for r in conn.execute(select, [*params, batch])]
                if not threads:
                    return done
                scores = scorer(threads)
                conn.executemany(
                    "UPDATE threads SET priority = ? WHERE id = ?",
                    [(max(0, min(MAX_PRIORITY, scores[t.id])), t.id) for t in threads],
                )
            done += len(threads)

    def priority_of(self, thread_id: int) -> int | None:
        """The stored priority of a thread, None while it is unscored (or not there)."""
        row = self.conn.execute(
            "SELECT priority FROM threads WHERE id = ?", (thread_id,)
        ).fetchone()
        return None if row is None or row[0] is None else int(row[0])
