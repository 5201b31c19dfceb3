"""The outbox's records: the agent's moves on replies on their way out, and what is read of
them (states in core/outbox.py; what the sending process records is in outbox_sending.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from webcare_tui.core.outbox import PENDING, NewReply, OutboxItem, OutboxState, may_resume
from webcare_tui.core.sanitize import clean_line, clean_text
from webcare_tui.core.timeutil import to_db
from webcare_tui.store import outbox_sql
from webcare_tui.store.base import OutboxTooLate, StoreBase, ThreadNotFound
from webcare_tui.store.outbox_errors import AlreadyAnswered, BeingAnswered, SelfApproval
from webcare_tui.store.outbox_sql import ReplyTarget


class OutboxRecords(StoreBase):
    # -- the outbox (replies on their way out; states in core/outbox.py) ---------------------

    def queue_reply(
        self,
        reply: NewReply,
        *,
        now: datetime,
        force_claim: bool = False,
        awaiting_approval: bool = False,
    ) -> OutboxItem:
        """Claim the thread for the reply's agent and queue the reply, in one transaction.

        Refused with ClaimedByOther when another agent holds the thread, unless `force_claim`.
        The draft becomes the outbox item, so it is removed from the drafts: the text lives in
        one place, and undo puts it back. With `awaiting_approval` it waits for a colleague.
        """
        with self._write() as conn:
            self._claim_thread(conn, reply.thread_id, reply.agent, now=now, force=force_claim)
            state = OutboxState.AWAITING_APPROVAL if awaiting_approval else OutboxState.QUEUED
            return self._insert_reply(conn, reply, state=state, now=now)

    def start_reply(
        self,
        reply: NewReply,
        *,
        now: datetime,
        holder: str,
        stale_before: datetime,
        is_dead: Callable[[str], bool] = lambda holder: False,
        force_claim: bool = False,
        again: bool = False,
        awaiting_approval: bool = False,
    ) -> tuple[OutboxItem, bool]:
        """A reply to send at once from this process (`holder`), decided in one transaction.

        Returns the item, claimed for `holder` (or awaiting approval), and whether it is an
        earlier reply of the agent's resumed under its own key (`may_resume`): then `reply` is
        not used. Otherwise refused with BeingAnswered while another reply to the thread is on
        its way, and with AlreadyAnswered when the customer's latest message has our answer (not
        on an escalated thread, which takes updates), both unless `again`; and with
        ClaimedByOther unless `force_claim`.
        """
        thread_id, agent = reply.thread_id, reply.agent
        with self._write() as conn:
            self._claim_thread(conn, thread_id, agent, now=now, force=force_claim)
            pending = outbox_sql.pending_items(conn, thread_id)
            over = self._over(stale_before, is_dead)
            for item in pending:
                if may_resume(item, agent, now, over):
                    return outbox_sql.take(conn, item.id, holder=holder, now=now), True
            if not again:
                waiting = [i for i in pending if i.state is not OutboxState.FAILED or i.retry_at]
                if waiting:
                    raise BeingAnswered(thread_id, waiting[0])
                # An escalated thread is answered on purpose again: each update to the customer
                # is what its follow-up clock asks for.
                [state] = conn.execute(
                    "SELECT state FROM threads WHERE id = ?", (thread_id,)
                ).fetchone()
                answered = outbox_sql.last_answer(conn, thread_id)
                if answered is not None and state != "escalated":
                    raise AlreadyAnswered(thread_id, *answered)
            state = OutboxState.AWAITING_APPROVAL if awaiting_approval else OutboxState.SENDING
            item = self._insert_reply(conn, reply, state=state, now=now)
            if state is OutboxState.SENDING:
                item = outbox_sql.take(conn, item.id, holder=holder, now=now)
            return item, False

    def resume_reply(
        self,
        thread_id: int,
        agent: str,
        *,
        now: datetime,
        holder: str,
        stale_before: datetime,
        is_dead: Callable[[str], bool] = lambda holder: False,
    ) -> OutboxItem | None:
        """Claim `agent`'s earlier reply to the thread that may be sent again now, if any."""
        over = self._over(stale_before, is_dead)
        if not any(
            may_resume(item, agent, now, over)
            for item in outbox_sql.pending_items(self.conn, thread_id)
        ):
            return None  # a read first: most replies have nothing to resume
        with self._write() as conn:
            for item in outbox_sql.pending_items(conn, thread_id):
                if may_resume(item, agent, now, over):
                    return outbox_sql.take(conn, item.id, holder=holder, now=now)
            return None

    @staticmethod
    def _over(
        stale_before: datetime, is_dead: Callable[[str], bool]
    ) -> Callable[[OutboxItem], bool]:
        return lambda item: outbox_sql.claim_is_over(item, stale_before, is_dead)

    def _insert_reply(
        self, conn: sqlite3.Connection, reply: NewReply, *, state: OutboxState, now: datetime
    ) -> OutboxItem:
        thread_id, agent, text = reply.thread_id, reply.agent, clean_text(reply.text)
        cursor = conn.execute(
            "INSERT INTO outbox (thread_id, agent, text, private, idempotency_key, state, "
            "created_at, send_after, override, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                thread_id,
                agent,
                text,
                int(reply.private),
                reply.idempotency_key,
                state.value,
                to_db(now),
                to_db(reply.send_after),
                outbox_sql.override_json(reply.override),
                clean_line(reply.reason) if reply.reason else None,
            ),
        )
        conn.execute("DELETE FROM drafts WHERE thread_id = ? AND agent = ?", (thread_id, agent))
        item_id = int(cursor.lastrowid or 0)
        if state is OutboxState.AWAITING_APPROVAL:
            self._event(conn, thread_id, now, agent, "reply awaits approval", text)
        return outbox_sql.item_by_id(conn, item_id)

    def cancel_reply(self, item_id: int, *, now: datetime, maybe_sent: bool = False) -> OutboxItem:
        """Undo: take a queued (or failed) reply back into its agent's draft.

        Raises OutboxTooLate once a process has started sending it: from then on it goes out.
        An unconfirmed reply (it may be on the platform already) is only given up `maybe_sent`.
        """
        with self._write() as conn:
            item = outbox_sql.item_by_id(conn, item_id)
            if not (item.can_undo or (maybe_sent and item.outcome_unknown)):
                raise OutboxTooLate(item)
            conn.execute("UPDATE outbox SET state = 'cancelled' WHERE id = ?", (item_id,))
            existing = conn.execute(
                "SELECT text FROM drafts WHERE thread_id = ? AND agent = ?",
                (item.thread_id, item.agent),
            ).fetchone()
            text = item.text
            if existing and existing["text"].strip() and existing["text"] != text:
                text = f"{text}\n\n{existing['text']}"  # never lose a draft written meanwhile
            conn.execute(
                "INSERT INTO drafts (thread_id, agent, text, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (thread_id, agent) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at",
                (item.thread_id, item.agent, text, to_db(now)),
            )
            return outbox_sql.item_by_id(conn, item_id)

    def retry_reply(self, item_id: int, *, now: datetime) -> OutboxItem:
        """Queue a failed reply again, due now, under the same idempotency key."""
        with self._write() as conn:
            item = outbox_sql.item_by_id(conn, item_id)
            if item.state is not OutboxState.FAILED:
                raise OutboxTooLate(item)
            conn.execute(
                "UPDATE outbox SET state = 'queued', send_after = ?, retry_at = NULL WHERE id = ?",
                (to_db(now), item_id),
            )
            return outbox_sql.item_by_id(conn, item_id)

    def approve_reply(self, item_id: int, approver: str, *, now: datetime) -> OutboxItem:
        """A colleague lets a reply that awaits approval go: it is queued, due now, and the
        event log says who approved what."""
        with self._write() as conn:
            item = outbox_sql.item_by_id(conn, item_id)
            if item.state is not OutboxState.AWAITING_APPROVAL:
                raise OutboxTooLate(item)
            if item.agent.casefold() == approver.casefold():
                raise SelfApproval(
                    f"reply {item_id} is {item.agent}'s own: a colleague approves it"
                )
            conn.execute(
                "UPDATE outbox SET state = 'queued', send_after = ?, approved_by = ? WHERE id = ?",
                (to_db(now), approver, item_id),
            )
            self._event(conn, item.thread_id, now, approver, "reply approved", item.text)
            return outbox_sql.item_by_id(conn, item_id)

    def pending_threads(self) -> dict[int, OutboxState]:
        """Threads with a reply that may still go out, and the state of the latest one: what
        the feed marks."""
        states = ", ".join(f"'{state.value}'" for state in PENDING)
        rows = self.conn.execute(
            f"SELECT thread_id, state FROM outbox WHERE state IN ({states}) ORDER BY id"
        ).fetchall()
        return {int(row["thread_id"]): OutboxState(row["state"]) for row in rows}

    def pending_replies(self) -> list[OutboxItem]:
        """Every reply that may still go out, of every thread, oldest first."""
        states = ", ".join(f"'{state.value}'" for state in PENDING)
        rows = self.conn.execute(
            f"SELECT * FROM outbox WHERE state IN ({states}) ORDER BY created_at, id"
        ).fetchall()
        return [outbox_sql.item_from_row(row) for row in rows]

    def outbox_item(self, item_id: int) -> OutboxItem:
        return outbox_sql.item_by_id(self.conn, item_id)

    def outbox_items(self, thread_id: int) -> list[OutboxItem]:
        """A thread's outbox items, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM outbox WHERE thread_id = ? ORDER BY created_at, id", (thread_id,)
        ).fetchall()
        return [outbox_sql.item_from_row(row) for row in rows]

    def reply_target(self, thread_id: int) -> ReplyTarget:
        """What a reply to the thread answers (its latest customer message), for the connector."""
        target = outbox_sql.reply_target(self.conn, thread_id)
        if target is None:
            raise ThreadNotFound(f"there is no thread {thread_id}")
        return target

    def answered_since(self, thread_id: int, since: datetime) -> list[str]:
        """Who replied (or has a reply on its way) in the thread after `since`."""
        return outbox_sql.answered_since(self.conn, thread_id, since)
