"""Calls to make: a phone escalation keeps the customer's number here, on its thread only."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import ThreadState
from webcare_tui.core.sanitize import clean_line, clean_text
from webcare_tui.core.timeutil import to_db
from webcare_tui.store.actions import write_clock
from webcare_tui.store.base import StoreBase, StoreError
from webcare_tui.store.rows import facts_from_row, from_columns


class CallbackNotFound(StoreError):
    title = "no such callback"


@dataclass(frozen=True, slots=True)
class Callback:
    """One call to make (or made): whom, by when, why, and how it went."""

    id: int
    thread_id: int
    phone: str
    due_at: datetime
    note: str
    created_at: datetime
    created_by: str
    channel: str
    author: str
    done_at: datetime | None = None
    outcome: str | None = None


def _callback(row: sqlite3.Row) -> Callback:
    return from_columns(Callback, row)


_SELECT = "SELECT c.*, t.channel, t.author FROM callbacks c JOIN threads t ON t.id = c.thread_id "


class CallbackRecords(StoreBase):
    def add_callback(
        self,
        thread_id: int,
        phone: str,
        *,
        due_at: datetime,
        note: str,
        actor: str,
        now: datetime,
    ) -> int:
        """Keep `phone` on the thread with a call due at `due_at`; returns the callback's id.

        The number goes in this table only: the event log and the notes never hold it.
        """
        phone = clean_line(phone).strip()
        if sum(c.isdecimal() for c in phone) < 6:
            raise StoreError(f"{phone[:40]!r} is not a phone number")
        with self._write() as conn:
            self._require(conn, thread_id)
            cursor = conn.execute(
                "INSERT INTO callbacks (thread_id, phone, due_at, note, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (thread_id, phone, to_db(due_at), clean_text(note), to_db(now), actor),
            )
            callback_id = int(cursor.lastrowid or 0)
            self._event(
                conn, thread_id, now, actor, "callback", f"#{callback_id} due {to_db(due_at)}"
            )
        return callback_id

    def callbacks(self, *, include_done: bool = False) -> list[Callback]:
        """Calls still to make, soonest first (with `include_done`, made ones after them)."""
        where = "" if include_done else "WHERE c.done_at IS NULL "
        rows = self.conn.execute(
            _SELECT + where + "ORDER BY c.done_at IS NOT NULL, c.due_at, c.id"
        ).fetchall()
        return [_callback(row) for row in rows]

    def thread_phones(self, thread_id: int) -> list[str]:
        """Every number a phone escalation stored on the thread, made calls included."""
        rows = self.conn.execute(
            "SELECT DISTINCT phone FROM callbacks WHERE thread_id = ?", (thread_id,)
        ).fetchall()
        return [row["phone"] for row in rows]

    def complete_callback(
        self, callback_id: int, *, outcome: str, actor: str, now: datetime, clock: ResponseClock
    ) -> Callback:
        """Mark the call made with its outcome. The call is our update to the customer: the
        follow-up clock of an escalated thread starts over from now."""
        if not outcome.strip():
            raise StoreError("say how the call went (--outcome)")
        with self._write() as conn:
            row = conn.execute(_SELECT + "WHERE c.id = ?", (callback_id,)).fetchone()
            if row is None:
                raise CallbackNotFound(f"there is no callback {callback_id}")
            if row["done_at"] is not None:
                raise StoreError(f"callback {callback_id} was done already: {row['outcome']}")
            conn.execute(
                "UPDATE callbacks SET done_at = ?, done_by = ?, outcome = ? WHERE id = ?",
                (to_db(now), actor, clean_text(outcome), callback_id),
            )
            thread = self._require(conn, row["thread_id"])
            last_out = thread["last_out_at"]
            if last_out is None or last_out < to_db(now):
                conn.execute(
                    "UPDATE threads SET last_out_at = ? WHERE id = ?", (to_db(now), thread["id"])
                )
                thread = self._require(conn, thread["id"])
            if thread["state"] == ThreadState.ESCALATED:
                write_clock(conn, thread, facts_from_row(thread), clock)
            self._event(
                conn, thread["id"], now, actor, "called", f"#{callback_id}: {clean_text(outcome)}"
            )
            done = conn.execute(_SELECT + "WHERE c.id = ?", (callback_id,)).fetchone()
        return _callback(done)
