"""A team on one database: presence heartbeats, hand-over of threads, notices, hand-over notes."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.model import Thread
from webcare_tui.core.sanitize import clean_line, clean_text
from webcare_tui.core.timeutil import from_db, to_db
from webcare_tui.store.base import ClaimedByOther, StoreBase, chunks
from webcare_tui.store.rows import THREAD_COLUMNS, from_columns, thread_from_row


@dataclass(frozen=True, slots=True)
class PresenceRow:
    """One running TUI's last heartbeat."""

    session: str
    agent: str
    host: str
    pid: int
    started_at: datetime
    last_seen: datetime
    viewing: int | None
    replying_to: int | None


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a colleague did to this agent's thread (a take-over), to be told once."""

    id: int
    thread_id: int | None
    at: datetime
    from_agent: str
    text: str


@dataclass(frozen=True, slots=True)
class DraftInProgress:
    """A reply an agent started and did not send."""

    thread_id: int
    agent: str
    text: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class HandoverNote:
    """The note the last shift left on a thread for whoever opens it next."""

    thread_id: int
    author: str
    at: datetime
    text: str


class TeamRecords(StoreBase):
    # -- presence ------------------------------------------------------------------------------

    def heartbeat(
        self,
        row: PresenceRow,
    ) -> None:
        """Record that a TUI session is alive, and what it is looking at and replying to."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO presence (session, agent, host, pid, started_at, last_seen, viewing, "
                "replying_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (session) DO UPDATE SET "
                "last_seen = excluded.last_seen, viewing = excluded.viewing, "
                "replying_to = excluded.replying_to",
                (
                    row.session,
                    row.agent,
                    row.host,
                    row.pid,
                    to_db(row.started_at),
                    to_db(row.last_seen),
                    row.viewing,
                    row.replying_to,
                ),
            )

    def end_session(self, session: str) -> None:
        """A TUI that quits says so, so it stops counting as active at once."""
        with self._write() as conn:
            conn.execute("DELETE FROM presence WHERE session = ?", (session,))

    def presence(self, *, since: datetime | None = None) -> list[PresenceRow]:
        """Every session's last heartbeat (only those seen at `since` or later), latest first."""
        sql = "SELECT * FROM presence"
        params: tuple[str, ...] = ()
        if since is not None:
            sql += " WHERE last_seen >= ?"
            params = (to_db(since),)
        rows = self.conn.execute(sql + " ORDER BY last_seen DESC, session", params).fetchall()
        return [
            PresenceRow(
                r["session"],
                r["agent"],
                r["host"],
                r["pid"],
                from_db(r["started_at"]),
                from_db(r["last_seen"]),
                r["viewing"],
                r["replying_to"],
            )
            for r in rows
        ]

    def prune_presence(self, before: datetime) -> int:
        """Forget sessions not seen since `before` (a TUI killed without saying goodbye)."""
        with self._write() as conn:
            return conn.execute(
                "DELETE FROM presence WHERE last_seen < ?", (to_db(before),)
            ).rowcount

    def holdings(self) -> dict[str, list[int]]:
        """Active threads by assignee, oldest thread first."""
        held: dict[str, list[int]] = {}
        for r in self.conn.execute(
            "SELECT assignee, id FROM threads WHERE active = 1 AND assignee IS NOT NULL ORDER BY id"
        ):
            held.setdefault(r["assignee"], []).append(r["id"])
        return held

    # -- hand-over -----------------------------------------------------------------------------

    def hand_over(
        self, thread_id: int, actor: str, to: str | None, *, reason: str, now: datetime
    ) -> str | None:
        """Assign the thread to `to` (None: nobody). Returns the previous holder.

        A thread a colleague holds moves only with a `reason`: recorded in its history, and
        told to that colleague (`notices`). Otherwise `ClaimedByOther` names them.
        """
        with self._write() as conn:
            holder = self._require(conn, thread_id)["assignee"]
            if holder == to:
                return holder
            self._colleague_rule(conn, thread_id, holder, actor, reason, now, "took over")
            conn.execute("UPDATE threads SET assignee = ? WHERE id = ?", (to, thread_id))
            parts = [f"to {to}" if to else "unassigned"]
            if holder:
                parts.append(f"from {holder}")
            if reason.strip():
                parts.append(f"reason: {clean_line(reason)}")
            self._event(conn, thread_id, now, actor, "assigned", "; ".join(parts))
        return holder

    def colleague_change(
        self, thread_id: int, actor: str, *, reason: str, what: str, now: datetime
    ) -> str | None:
        """The check before `actor` changes a thread (ignore, resolve, snooze, tag): refused
        with `ClaimedByOther` when a colleague holds it and no `reason` is given; with one,
        the reason is recorded and the holder told. Returns the holder, if a colleague."""
        with self._write() as conn:
            holder = self._require(conn, thread_id)["assignee"]
            self._colleague_rule(conn, thread_id, holder, actor, reason, now, what)
        return holder if holder and holder != actor else None

    def _colleague_rule(
        self,
        conn: sqlite3.Connection,
        thread_id: int,
        holder: str | None,
        actor: str,
        reason: str,
        now: datetime,
        what: str,
    ) -> None:
        if not holder or holder == actor:
            return
        if not reason.strip():
            raise ClaimedByOther(thread_id, holder)
        text = f"{actor} {what} thread {thread_id}: {clean_line(reason)}"
        conn.execute(
            "INSERT INTO agent_notices (agent, thread_id, at, from_agent, text) "
            "VALUES (?, ?, ?, ?, ?)",
            (holder, thread_id, to_db(now), actor, text),
        )
        self._event(conn, thread_id, now, actor, "override", text)

    def notices(self, agent: str, *, after: int = 0) -> list[Notice]:
        """What colleagues did to `agent`'s threads, after notice id `after`, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM agent_notices WHERE agent = ? AND id > ? ORDER BY id",
            (agent, after),
        ).fetchall()
        return [
            Notice(r["id"], r["thread_id"], from_db(r["at"]), r["from_agent"], r["text"])
            for r in rows
        ]

    def notice_mark(self, agent: str) -> int:
        """The last of `agent`'s notices a TUI of theirs showed (0: none yet)."""
        row = self.conn.execute(
            "SELECT last_shown FROM notice_marks WHERE agent = ?", (agent,)
        ).fetchone()
        return int(row[0]) if row else 0

    def mark_notices_shown(self, agent: str, upto: int) -> None:
        """`agent` was shown their notices up to id `upto`; the mark never moves back."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO notice_marks (agent, last_shown) VALUES (?, ?) "
                "ON CONFLICT (agent) DO UPDATE SET "
                "last_shown = MAX(last_shown, excluded.last_shown)",
                (agent, upto),
            )

    # -- hand-over notes -----------------------------------------------------------------------

    def set_handover_note(self, thread_id: int, text: str, *, author: str, now: datetime) -> None:
        """Leave (or, with empty text, clear) the thread's note for the next shift."""
        with self._write() as conn:
            self._require(conn, thread_id)
            if not text.strip():
                conn.execute("DELETE FROM handover_notes WHERE thread_id = ?", (thread_id,))
                return
            conn.execute(
                "INSERT INTO handover_notes (thread_id, author, at, text) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (thread_id) DO UPDATE SET author = excluded.author, "
                "at = excluded.at, text = excluded.text",
                (thread_id, author, to_db(now), clean_text(text)),
            )
            self._event(conn, thread_id, now, author, "handover-note")

    def handover_notes(self, thread_ids: list[int] | None = None) -> dict[int, HandoverNote]:
        """Hand-over notes by thread: of `thread_ids`, or all."""
        if thread_ids is None:
            rows = self.conn.execute("SELECT * FROM handover_notes").fetchall()
        else:  # opening a thread asks for its own note: on the key, not the whole table
            rows = []
            for part in chunks(thread_ids):
                marks = ", ".join("?" for _ in part)
                rows += self.conn.execute(
                    f"SELECT * FROM handover_notes WHERE thread_id IN ({marks})", list(part)
                ).fetchall()
        return {r["thread_id"]: from_columns(HandoverNote, r) for r in rows}

    # -- the shift hand-over ---------------------------------------------------------------------

    def due_before(self, moment: datetime, limit: int = 500) -> list[Thread]:
        """Active threads whose clock runs out before `moment` (overdue ones too), soonest first."""
        rows = self.conn.execute(
            f"SELECT {THREAD_COLUMNS} FROM threads WHERE active = 1 AND due_at IS NOT NULL "
            "AND due_at < ? ORDER BY due_at, id LIMIT ?",
            (to_db(moment), limit),
        ).fetchall()
        return [thread_from_row(r) for r in rows]

    def last_replies(self, thread_ids: list[int]) -> dict[int, str]:
        """The text of our latest reply on each thread: what was promised the customer."""
        return {t: row["text"] for t, row in self._latest_out(thread_ids).items()}

    def last_reply_times(self, thread_ids: list[int]) -> dict[int, datetime]:
        """When we last wrote to the customer on each thread (public or DM)."""
        return {t: from_db(row["created_at"]) for t, row in self._latest_out(thread_ids).items()}

    def _latest_out(self, thread_ids: list[int]) -> dict[int, sqlite3.Row]:
        found: dict[int, sqlite3.Row] = {}
        for thread_id in thread_ids:
            row = self.conn.execute(
                "SELECT text, created_at FROM messages WHERE thread_id = ? AND direction = 'out' "
                "ORDER BY created_at DESC, id DESC LIMIT 1",
                (thread_id,),
            ).fetchone()
            if row:
                found[thread_id] = row
        return found

    def drafts_in_progress(self) -> list[DraftInProgress]:
        """Every unsent draft of every agent, latest first."""
        rows = self.conn.execute(
            "SELECT thread_id, agent, text, updated_at FROM drafts ORDER BY updated_at DESC"
        ).fetchall()
        return [
            DraftInProgress(r["thread_id"], r["agent"], r["text"], from_db(r["updated_at"]))
            for r in rows
        ]

    # -- off-hours triage ------------------------------------------------------------------------

    def waiting_threads(self, limit: int = 2000) -> list[tuple[Thread, datetime | None]]:
        """Open threads (waiting for our reply), most urgent first, each with when the
        customer's latest message was written."""
        rows = self.conn.execute(
            f"SELECT {THREAD_COLUMNS}, last_in_at FROM threads WHERE active = 1 "
            "AND state = 'open' ORDER BY sort_key, id LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            (thread_from_row(r), from_db(r["last_in_at"]) if r["last_in_at"] else None)
            for r in rows
        ]
