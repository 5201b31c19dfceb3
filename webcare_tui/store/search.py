"""Full-text search over every message (FTS5 `messages_fts`, see the full-text migration in
schema.py), with the query language's filters (`query_sql`) on the threads of the hits."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.query import Query, fts_match, snippet
from webcare_tui.core.timeutil import from_db
from webcare_tui.store.base import StoreBase, StoreError
from webcare_tui.store.query_sql import query_where, thread_where

SNIPPET_WORDS = 16
MAX_HITS = 500  # the snippets' `IN (...)` list stays below SQLite's parameter limit


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One message that matched: its thread, who wrote it, when, and the words around it."""

    thread_id: int
    message_id: int
    author: str
    created_at: datetime
    snippet: str


def index_new(conn: sqlite3.Connection) -> int:
    """Index the messages stored since the last call (ids above meta `fts_last_id`), in one
    statement; call inside the write transaction that stored them. Returns how many."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'fts_last_id'").fetchone()
    last = int(row[0]) if row else 0
    top = conn.execute("SELECT COALESCE(MAX(id), 0) FROM messages").fetchone()[0]
    if top <= last:
        return 0
    cursor = conn.execute(
        "INSERT INTO messages_fts (rowid, text) SELECT id, text FROM messages WHERE id > ?",
        (last,),
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('fts_last_id', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (str(top),),
    )
    return cursor.rowcount


# Two plans for the newest hits. For a rare word, read its matches and sort them. For a
# common one (thousands of matches), walk messages newest first and test each against the
# set of matches, stopping at the limit: 20x faster at 40k messages for a word in most of them.
_SELECT = "SELECT m.thread_id, m.id, m.author, m.created_at "
_ORDER = "ORDER BY m.created_at DESC, m.id DESC LIMIT ?"
_NEWEST_OF_FEW = (
    _SELECT + "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
    "JOIN threads t ON t.id = m.thread_id WHERE messages_fts MATCH ? AND {where} " + _ORDER
)
_NEWEST_OF_COMMON = (
    _SELECT + "FROM messages m INDEXED BY messages_time JOIN threads t ON t.id = m.thread_id "
    "WHERE m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?) AND {where} "
    + _ORDER
)
COMMON_MATCHES = 2000


class Search(StoreBase):
    def _common(self, match: str) -> bool:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? LIMIT ?)",
            (match, COMMON_MATCHES),
        ).fetchone()
        return int(row[0]) >= COMMON_MATCHES

    def index_pending(self) -> int:
        """Index messages stored by a path that did not (a sent reply); cheap when none."""
        row = self.conn.execute(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM messages) > "
            "COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_last_id'), 0)"
        ).fetchone()
        if not row[0]:
            return 0
        with self._write() as conn:
            return index_new(conn)

    def search(self, query: Query, *, limit: int = 200) -> list[SearchHit]:
        """Messages matching the query's words, most recent first (at most `limit`, and never
        more than MAX_HITS), in threads of any state unless the query names states; the
        query's other filters apply to their threads."""
        match = fts_match(query.words)
        if match is None:
            return []
        limit = max(1, min(limit, MAX_HITS))
        self.index_pending()
        where, params = query_where(query, alias="t", any_state=True)
        try:
            rows = self.conn.execute(
                (_NEWEST_OF_COMMON if self._common(match) else _NEWEST_OF_FEW).format(where=where),
                [match, *params, limit],
            ).fetchall()
            # Snippets in Python for the hits shown: FTS5's snippet() reads every match
            # of the word again, a tenth of a second for a common one.
            marks = ", ".join("?" for _ in rows)
            texts = dict(
                self.conn.execute(
                    f"SELECT id, text FROM messages WHERE id IN ({marks})", [r["id"] for r in rows]
                ).fetchall()
            )
        except sqlite3.Error as error:
            raise StoreError(f"search failed: {error}") from None
        return [
            SearchHit(
                r["thread_id"],
                r["id"],
                r["author"],
                from_db(r["created_at"]),
                snippet(texts.get(r["id"], ""), query.words, SNIPPET_WORDS),
            )
            for r in rows
        ]

    def count_matching(self, query: Query) -> int:
        """How many threads the query (filters and words) selects."""
        self.index_pending()
        where, params = thread_where(query)
        row = self.conn.execute(f"SELECT COUNT(*) FROM threads WHERE {where}", params).fetchone()
        return int(row[0])
