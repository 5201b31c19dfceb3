"""Tags, snoozing, and the inputs of priority, the report and the digest.

Snoozing takes a thread out of the feed until a time (`snoozed_until`) or the customer's next
message, whichever comes first: the ingest reopens a snoozed thread on a customer message, and
`wake_snoozed` brings back those whose time has come.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.digest import CustomerMessage
from webcare_tui.core.model import Direction, ThreadState
from webcare_tui.core.report import HistoryEvent, HistoryMessage, ThreadHistory
from webcare_tui.core.threads import running_clock
from webcare_tui.core.timeutil import from_db, to_db
from webcare_tui.store.actions import write_clock
from webcare_tui.store.base import StoreError, chunks, sort_key
from webcare_tui.store.report_reads import ReportReads
from webcare_tui.store.rows import facts_from_row

_REPORT_EVENTS = ("escalated", "ignored")
# Looked up, not built: an Enum call per stored message was a third of reading the history.
_DIRECTIONS = {d.value: d for d in Direction}
_STATES = {s.value: s for s in ThreadState}


class SnoozeInPast(StoreError):
    title = "not in the future"


class Insights(ReportReads):
    # -- tags --------------------------------------------------------------------------------

    def tag(
        self,
        thread_id: int,
        tags: Sequence[str],
        *,
        actor: str,
        now: datetime,
        remove: bool = False,
    ) -> list[str]:
        """Add (or with `remove` take off) tags; returns the ones that changed."""
        changed: list[str] = []
        with self._write() as conn:
            self._require(conn, thread_id)
            for tag in dict.fromkeys(t.lower() for t in tags):
                if remove:
                    cursor = conn.execute(
                        "DELETE FROM thread_tags WHERE thread_id = ? AND tag = ?", (thread_id, tag)
                    )
                else:
                    cursor = conn.execute(
                        "INSERT OR IGNORE INTO thread_tags (thread_id, tag) VALUES (?, ?)",
                        (thread_id, tag),
                    )
                if cursor.rowcount:
                    changed.append(tag)
            if changed:
                kind = "untagged" if remove else "tagged"
                self._event(conn, thread_id, now, actor, kind, " ".join(changed))
        return changed

    def tags_of(self, thread_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """Each thread's tags, sorted; threads without tags are left out."""
        found: dict[int, list[str]] = {}
        for part in chunks([str(i) for i in thread_ids]):
            marks = ", ".join("?" for _ in part)
            for row in self.conn.execute(
                f"SELECT thread_id, tag FROM thread_tags WHERE thread_id IN ({marks}) "
                "ORDER BY thread_id, tag",
                [int(i) for i in part],
            ):
                found.setdefault(row[0], []).append(row[1])
        return {k: tuple(v) for k, v in found.items()}

    # -- snooze ------------------------------------------------------------------------------

    def snooze(self, thread_id: int, until: datetime, *, actor: str, now: datetime) -> None:
        """Out of the feed until `until` or the customer's next message."""
        if until <= now:
            raise SnoozeInPast(f"snooze until {to_db(until)}: that is not in the future")
        with self._write() as conn:
            row = self._require(conn, thread_id)
            state = ThreadState(row["state"])
            if state in (ThreadState.RESOLVED, ThreadState.IGNORED):
                raise StoreError(f"thread {thread_id} is {state.value}: reopen it first")
            conn.execute(
                "UPDATE threads SET state = 'snoozed', active = 0, snoozed_until = ?, "
                "due_at = NULL, sort_key = ? WHERE id = ?",
                (to_db(until), sort_key(None, row["updated_at"]), thread_id),
            )
            self._event(conn, thread_id, now, actor, "snoozed", f"until {to_db(until)}")

    def wake_snoozed(self, now: datetime, clock: ResponseClock) -> int:
        """Bring back every snoozed thread whose time has come: `open` with its clock when a
        customer message is still unanswered, else `replied`. Returns how many woke."""
        waking = "SELECT 1 FROM threads WHERE state = 'snoozed' AND snoozed_until <= ? LIMIT 1"
        if self.conn.execute(waking, (to_db(now),)).fetchone() is None:
            return 0  # the usual case: no write lock for nothing
        with self._write() as conn:
            rows = conn.execute(
                "SELECT * FROM threads WHERE state = 'snoozed' AND snoozed_until <= ?",
                (to_db(now),),
            ).fetchall()
            for row in rows:
                state = ThreadState.OPEN if row["pending_since"] else ThreadState.REPLIED
                running = running_clock(replace(facts_from_row(row), state=state), clock)
                due = to_db(running.due_at) if running else None
                conn.execute(
                    "UPDATE threads SET state = ?, active = 1, snoozed_until = NULL, "
                    "clock_kind = ?, clock_start = ?, due_at = ?, sort_key = ? WHERE id = ?",
                    (
                        state.value,
                        running.kind.value if running else None,
                        to_db(running.start) if running else None,
                        due,
                        sort_key(due, row["updated_at"]),
                        row["id"],
                    ),
                )
                self._event(conn, row["id"], now, "webcare", "woke", "snooze ended")
        return len(rows)

    def reopen(
        self, thread_id: int, *, actor: str, now: datetime, clock: ResponseClock
    ) -> ThreadState:
        """Bring a snoozed, ignored or resolved thread back into the feed: `open` with its
        clock when a customer message is unanswered, else `replied`. Returns the new state."""
        with self._write() as conn:
            row = self._require(conn, thread_id)
            if ThreadState(row["state"]).is_active:
                raise StoreError(f"thread {thread_id} is {row['state']}: it is in the feed")
            state = ThreadState.OPEN if row["pending_since"] else ThreadState.REPLIED
            conn.execute(
                "UPDATE threads SET state = ?, snoozed_until = NULL WHERE id = ?",
                (state.value, thread_id),
            )
            write_clock(conn, row, replace(facts_from_row(row), state=state), clock)
            self._event(conn, thread_id, now, actor, "reopened", state.value)
        return state

    # -- priority's inputs -------------------------------------------------------------------

    def thread_texts(self, thread_ids: Sequence[int]) -> dict[int, list[tuple[str, str, datetime]]]:
        """Each thread's messages not written by us, oldest first: (author, text, created_at)."""
        found: dict[int, list[tuple[str, str, datetime]]] = {}
        for part in chunks([str(i) for i in thread_ids]):
            marks = ", ".join("?" for _ in part)
            for row in self.conn.execute(
                f"SELECT thread_id, author, text, created_at FROM messages "
                f"WHERE thread_id IN ({marks}) AND direction = 'in' "
                "ORDER BY thread_id, created_at, id",
                [int(i) for i in part],
            ):
                found.setdefault(row[0], []).append((row[1], row[2], from_db(row[3])))
        return found

    def contact_times(self, authors: Iterable[str]) -> dict[str, list[datetime]]:
        """Every time each handle wrote to us, on any connector, sorted."""
        found: dict[str, list[datetime]] = {}
        for part in chunks(sorted(set(authors))):
            marks = ", ".join("?" for _ in part)
            for row in self.conn.execute(
                f"SELECT author, created_at FROM messages WHERE author IN ({marks}) "
                "AND direction = 'in' ORDER BY author, created_at",
                list(part),
            ):
                found.setdefault(row[0], []).append(from_db(row[1]))
        return found

    # -- the report's and the digest's inputs ------------------------------------------------

    def histories(self) -> Iterator[ThreadHistory]:
        """Every thread's history for the report, one thread at a time, in id order."""
        conn = self.conn
        tags: dict[int, list[str]] = {}
        for thread_id, tag in conn.execute("SELECT thread_id, tag FROM thread_tags"):
            tags.setdefault(thread_id, []).append(tag)
        events: dict[int, list[HistoryEvent]] = {}
        marks = ", ".join("?" for _ in _REPORT_EVENTS)
        for row in conn.execute(
            f"SELECT thread_id, at, kind, detail FROM events WHERE kind IN ({marks}) "
            "AND thread_id IS NOT NULL ORDER BY thread_id, at, id",
            _REPORT_EVENTS,
        ):
            events.setdefault(row[0], []).append(HistoryEvent(from_db(row[1]), row[2], row[3]))
        threads = conn.execute(
            "SELECT id, channel, state, assignee FROM threads ORDER BY id"
        ).fetchall()
        messages = iter(
            conn.execute(
                "SELECT thread_id, direction, created_at, agent FROM messages "
                "ORDER BY thread_id, created_at, id"
            )
        )
        pending = next(messages, None)
        for thread in threads:
            own: list[HistoryMessage] = []
            while pending is not None and pending[0] <= thread[0]:
                if pending[0] == thread[0]:
                    own.append(
                        HistoryMessage(_DIRECTIONS[pending[1]], from_db(pending[2]), pending[3])
                    )
                pending = next(messages, None)
            yield ThreadHistory(
                id=thread[0],
                channel=thread[1],
                state=_STATES[thread[2]],
                assignee=thread[3],
                messages=tuple(own),
                events=tuple(events.get(thread[0], ())),
                tags=tuple(sorted(tags.get(thread[0], ()))),
            )

    def customer_messages(self, since: datetime) -> list[CustomerMessage]:
        """Customer messages written at or after `since`, with their thread's tags."""
        rows = self.conn.execute(
            "SELECT m.thread_id, t.channel, m.author, m.created_at, m.text FROM messages m "
            "JOIN threads t ON t.id = m.thread_id WHERE m.direction = 'in' AND m.created_at >= ? "
            "ORDER BY m.created_at",
            (to_db(since),),
        ).fetchall()
        tags = self.tags_of(sorted({r[0] for r in rows}))
        return [
            CustomerMessage(r[0], r[1], r[2], from_db(r[3]), r[4], tags.get(r[0], ())) for r in rows
        ]
