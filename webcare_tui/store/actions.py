"""What agents do to a thread: assign, resolve or ignore, escalate, notes and drafts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import (
    ThreadState,
)
from webcare_tui.core.sanitize import clean_text
from webcare_tui.core.threads import running_clock
from webcare_tui.core.timeutil import to_db
from webcare_tui.store.base import ClaimedByOther, StoreBase, sort_key
from webcare_tui.store.rows import facts_from_row


class AgentActions(StoreBase):
    # -- what agents do ----------------------------------------------------------------------

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
            facts = replace(facts_from_row(row), state=ThreadState.ESCALATED, escalated_at=now)
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
