"""The report's and the digest's reads, lean: plain tuples from a few queries, so the report
over 100k threads reads in a fraction of a second (see `benchmarks/bench_insights.py`)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from webcare_tui.core.digest import UNTAGGED, DigestCounts
from webcare_tui.core.report import ReportRows
from webcare_tui.core.timeutil import to_db, whole_second_after
from webcare_tui.store.base import StoreBase

DigestRow = tuple[int, str, str, str, str]
# unixepoch() is the quicker, from SQLite 3.38; both give the same whole seconds.
_SECONDS = "unixepoch({})" if sqlite3.sqlite_version_info >= (3, 38) else "strftime('%s', {})"
_MICROS = f"CAST({_SECONDS} AS INTEGER) * 1000000"


def _at_or_after(moment: datetime) -> str:
    """The stored form of the first whole second at or after `moment` (stored times are whole
    seconds, so `>=` on it is `>=` on `moment`)."""
    return to_db(whole_second_after(moment))


class ReportReads(StoreBase):
    """What `webcare report`, the report screen and `webcare digest` read."""

    def report_rows(self, since: datetime | None = None) -> ReportRows:
        """The history the report reads (see `ReportRows`); with `since`, only the threads with
        a message at or after it (all their messages: earlier ones decide what was owed)."""
        scope, params = "", tuple[str, ...]()
        if since is not None:
            scope = "WHERE {} IN (SELECT thread_id FROM messages WHERE created_at >= ?)"
            params = (_at_or_after(since),)
        conn = self.conn
        threads = conn.execute(
            f"SELECT id, channel, state, assignee FROM threads {scope.format('id')} ORDER BY id",
            params,
        ).fetchall()
        messages = conn.execute(
            f"SELECT thread_id, direction = 'in', {_MICROS.format('created_at')}, agent "
            f"FROM messages {scope.format('thread_id')} ORDER BY thread_id, created_at, id",
            params,
        ).fetchall()
        escalations = conn.execute(
            f"SELECT thread_id, {_MICROS.format('at')}, detail FROM events "
            "WHERE kind = 'escalated' AND thread_id IS NOT NULL ORDER BY thread_id, at, id"
        ).fetchall()
        ignored = dict(
            conn.execute(
                "SELECT e.thread_id, e.detail FROM events e JOIN threads t ON t.id = e.thread_id "
                "WHERE e.kind = 'ignored' AND t.state = 'ignored' ORDER BY e.thread_id, e.at, e.id"
            ).fetchall()
        )
        tags = conn.execute("SELECT thread_id, tag FROM thread_tags ORDER BY thread_id, tag")
        return ReportRows(threads, messages, escalations, ignored, tags.fetchall())

    def digest_counts(self, since: datetime, until: datetime) -> DigestCounts:
        """Threads and customer messages from `since` to `until`, and threads per tag then and
        in the period of the same length before `since`."""
        start, middle, end = (
            _at_or_after(since - (until - since)),
            _at_or_after(since),
            to_db(until),
        )
        conn = self.conn
        threads, messages = conn.execute(
            "SELECT COUNT(DISTINCT thread_id), COUNT(*) FROM messages "
            "WHERE direction = 'in' AND created_at >= ? AND created_at <= ?",
            (middle, end),
        ).fetchone()
        now: dict[str, int] = {}
        before: dict[str, int] = {}
        for tag, current, count in conn.execute(
            "SELECT COALESCE(g.tag, ?), m.created_at >= ?, COUNT(DISTINCT m.thread_id) "
            "FROM messages m LEFT JOIN thread_tags g ON g.thread_id = m.thread_id "
            "WHERE m.direction = 'in' AND m.created_at >= ? AND m.created_at <= ? "
            "GROUP BY 1, 2",
            (UNTAGGED, middle, start, end),
        ):
            (now if current else before)[tag] = count
        return DigestCounts(threads, messages, now, before)

    def digest_messages(self, since: datetime, until: datetime) -> list[DigestRow]:
        """Customer messages from `since` to `until`, newest first: (thread id, channel,
        author, created_at as stored, text)."""
        return self.conn.execute(
            "SELECT m.thread_id, t.channel, m.author, m.created_at, m.text FROM messages m "
            "JOIN threads t ON t.id = m.thread_id WHERE m.direction = 'in' "
            "AND m.created_at >= ? AND m.created_at <= ? ORDER BY m.created_at DESC, m.id",
            (_at_or_after(since), to_db(until)),
        ).fetchall()
