"""What agents do to a thread: assign, resolve or ignore, escalate, notes and drafts."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import (
    ThreadState,
)
from webcare_tui.core.sanitize import clean_text
from webcare_tui.core.threads import ThreadFacts, running_clock
from webcare_tui.core.timeutil import to_db
from webcare_tui.store.base import StoreBase, StoreError, sort_key
from webcare_tui.store.rows import facts_from_row

ClockColumns = tuple[str | None, str | None, str | None, str]


def clock_columns(facts: ThreadFacts, clock: ResponseClock, updated_at: str) -> ClockColumns:
    """How the running clock that `facts` give a thread (last updated at `updated_at`, as
    stored) is stored: `clock_kind`, `clock_start`, `due_at` and the feed's `sort_key`."""
    running = running_clock(facts, clock)
    due = to_db(running.due_at) if running else None
    return (
        running.kind.value if running else None,
        to_db(running.start) if running else None,
        due,
        sort_key(due, updated_at),
    )


def write_clock(
    conn: sqlite3.Connection, row: sqlite3.Row, facts: ThreadFacts, clock: ResponseClock
) -> None:
    """Store the running clock that `facts` give the thread of `row`."""
    conn.execute(
        "UPDATE threads SET active = ?, clock_kind = ?, clock_start = ?, due_at = ?, "
        "sort_key = ? WHERE id = ?",
        (int(facts.state.is_active), *clock_columns(facts, clock, row["updated_at"]), row["id"]),
    )


class AgentActions(StoreBase):
    # -- what agents do ----------------------------------------------------------------------

    def assign(self, thread_id: int, agent: str, *, now: datetime, force: bool = False) -> None:
        """Claim a thread for `agent`. Refused when another agent holds it, unless `force`."""
        with self._write() as conn:
            self._claim_thread(conn, thread_id, agent, now=now, force=force)

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
        promise_at: datetime | None = None,
    ) -> None:
        """Take the thread offline (`phone`, `dm`) or to a team; the follow-up clock starts.

        Escalating again moves the thread: the clock starts over from now (it never stacks) and
        the history keeps both moves. `promise_at`, when given, is a time promised to the
        customer that rules while it is earlier than the follow-up due time.
        """
        with self._write() as conn:
            row = self._require(conn, thread_id)
            before = row["escalated_to"] if row["state"] == ThreadState.ESCALATED else None
            facts = replace(
                facts_from_row(row),
                state=ThreadState.ESCALATED,
                escalated_at=now,
                promise_at=promise_at,
            )
            conn.execute(
                "UPDATE threads SET state = 'escalated', escalated_at = ?, escalated_to = ?, "
                "promise_at = ? WHERE id = ?",
                (to_db(now), to, to_db(promise_at) if promise_at else None, thread_id),
            )
            write_clock(conn, row, facts, clock)
            moved = f" (moved from {before})" if before and before != to else ""
            detail = f"to {to}{moved}" + (f": {clean_text(note)}" if note.strip() else "")
            self._event(conn, thread_id, now, actor, "escalated", detail)
            if note.strip():
                self._note(conn, thread_id, now, actor, note)

    def set_promise(
        self,
        thread_id: int,
        promise_at: datetime | None,
        *,
        actor: str,
        now: datetime,
        clock: ResponseClock,
    ) -> None:
        """Promise the customer an update by `promise_at` (None takes the promise back)."""
        with self._write() as conn:
            row = self._require(conn, thread_id)
            stamp = to_db(promise_at) if promise_at else None
            conn.execute("UPDATE threads SET promise_at = ? WHERE id = ?", (stamp, thread_id))
            facts = replace(facts_from_row(row), promise_at=promise_at)
            write_clock(conn, row, facts, clock)
            self._event(conn, thread_id, now, actor, "promised", stamp or "taken back")

    def resolve(
        self,
        thread_id: int,
        *,
        actor: str,
        now: datetime,
        outcome: str = "",
        tags: tuple[str, ...] = (),
    ) -> None:
        """Close the thread (escalated or not): it leaves the feed and its clock stops; calls
        still to make for it are closed with it, and `tags` are added to it. A new customer
        message reopens it."""
        with self._write() as conn:
            row = self._require(conn, thread_id)
            conn.execute(
                "UPDATE threads SET state = 'resolved', active = 0, clock_kind = NULL, "
                "clock_start = NULL, due_at = NULL, promise_at = NULL, sort_key = ? WHERE id = ?",
                (sort_key(None, row["updated_at"]), thread_id),
            )
            conn.execute(
                "UPDATE callbacks SET done_at = ?, done_by = ?, outcome = 'thread resolved' "
                "WHERE thread_id = ? AND done_at IS NULL",
                (to_db(now), actor, thread_id),
            )
            conn.executemany(
                "INSERT OR IGNORE INTO thread_tags (thread_id, tag) VALUES (?, ?)",
                [(thread_id, tag) for tag in tags],
            )
            parts = [clean_text(outcome).strip()] if outcome.strip() else []
            if tags:
                parts.append("tags: " + ", ".join(tags))
            self._event(conn, thread_id, now, actor, "resolved", "; ".join(parts))

    @staticmethod
    def _note(
        conn: sqlite3.Connection, thread_id: int, now: datetime, author: str, text: str
    ) -> None:
        conn.execute(
            "INSERT INTO notes (thread_id, at, author, text) VALUES (?, ?, ?, ?)",
            (thread_id, to_db(now), author, clean_text(text)),
        )

    def add_note(self, thread_id: int, text: str, *, author: str, now: datetime) -> None:
        """A private note on the thread, for the team only: never sent."""
        if not text.strip():
            raise StoreError("a note needs some text")
        with self._write() as conn:
            self._require(conn, thread_id)
            self._note(conn, thread_id, now, author, text)
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
