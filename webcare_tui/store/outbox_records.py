"""The outbox's records: replies on their way out (states in core/outbox.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.outbox import OutboxItem, OutboxState, Override
from webcare_tui.core.sanitize import clean_line, clean_text
from webcare_tui.core.timeutil import to_db
from webcare_tui.store import outbox as outbox_sql
from webcare_tui.store.base import (
    ClaimedByOther,
    OutboxItemNotFound,
    OutboxTooLate,
    StoreBase,
    ThreadNotFound,
)
from webcare_tui.store.ingest import ingest_batch
from webcare_tui.store.outbox import ReplyTarget


class OutboxRecords(StoreBase):
    # -- the outbox (replies on their way out; states in core/outbox.py) ---------------------

    def queue_reply(
        self,
        thread_id: int,
        agent: str,
        text: str,
        *,
        now: datetime,
        send_after: datetime,
        idempotency_key: str,
        private: bool = False,
        override: tuple[Override, ...] = (),
        force_claim: bool = False,
    ) -> OutboxItem:
        """Claim the thread for `agent` and queue a reply, in one transaction.

        Refused with ClaimedByOther when another agent holds the thread, unless `force_claim`.
        The draft becomes the outbox item, so it is removed from the drafts: the text lives in
        one place, and undo puts it back.
        """
        with self._write() as conn:
            row = self._require(conn, thread_id)
            holder = row["assignee"]
            if holder != agent:
                if holder and not force_claim:
                    raise ClaimedByOther(thread_id, holder)
                conn.execute("UPDATE threads SET assignee = ? WHERE id = ?", (agent, thread_id))
                detail = f"taken over from {holder}" if holder else ""
                self._event(conn, thread_id, now, agent, "assigned", detail)
            cursor = conn.execute(
                "INSERT INTO outbox (thread_id, agent, text, private, idempotency_key, state, "
                "created_at, send_after, override) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
                (
                    thread_id,
                    agent,
                    clean_text(text),
                    int(private),
                    idempotency_key,
                    to_db(now),
                    to_db(send_after),
                    outbox_sql.override_json(override),
                ),
            )
            conn.execute("DELETE FROM drafts WHERE thread_id = ? AND agent = ?", (thread_id, agent))
            return self._outbox_row(conn, int(cursor.lastrowid or 0))

    def cancel_reply(self, item_id: int, *, now: datetime) -> OutboxItem:
        """Undo: take a queued (or failed) reply back into its agent's draft.

        Raises OutboxTooLate once a process has started sending it: from then on it goes out.
        """
        with self._write() as conn:
            item = self._outbox_row(conn, item_id)
            if not item.can_undo:
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
            return self._outbox_row(conn, item_id)

    def retry_reply(self, item_id: int, *, now: datetime) -> OutboxItem:
        """Queue a failed reply again, due now, under the same idempotency key."""
        with self._write() as conn:
            item = self._outbox_row(conn, item_id)
            if item.state is not OutboxState.FAILED:
                raise OutboxTooLate(item)
            conn.execute(
                "UPDATE outbox SET state = 'queued', send_after = ?, retry_at = NULL WHERE id = ?",
                (to_db(now), item_id),
            )
            return self._outbox_row(conn, item_id)

    def claim_reply(
        self,
        *,
        now: datetime,
        holder: str,
        stale_before: datetime,
        is_dead: Callable[[str], bool] = lambda holder: False,
        item_id: int | None = None,
    ) -> OutboxItem | None:
        """Atomically take the next due reply (or reply `item_id`, at once) into `sending`."""
        if item_id is None and not outbox_sql.anything_due(self.conn, now):
            return None
        with self._write() as conn:
            return outbox_sql.claim_due(
                conn,
                now=now,
                holder=holder,
                stale_before=stale_before,
                is_dead=is_dead,
                item_id=item_id,
            )

    def mark_reply_sent(
        self,
        item_id: int,
        *,
        remote_id: str,
        url: str | None,
        sent_at: datetime,
        clock: ResponseClock,
        now: datetime,
    ) -> OutboxItem:
        """Record a reply the platform accepted: the item is `sent`, the reply is stored as an
        outgoing message of its thread (the clock stops, the thread is `replied`), and the event
        log says who sent what, and which checks they overrode."""
        with self._write() as conn:
            item = self._outbox_row(conn, item_id)
            if item.state is OutboxState.SENT:
                return item  # a retry's answer for a post already recorded
            target = outbox_sql.reply_target(conn, item.thread_id)
            if target is None:
                raise ThreadNotFound(f"there is no thread {item.thread_id}")
            conn.execute(
                "UPDATE outbox SET state = 'sent', remote_id = ?, sent_at = ?, last_error = NULL, "
                "retry_at = NULL WHERE id = ?",
                (remote_id, to_db(sent_at), item_id),
            )
            message = outbox_sql.sent_message(
                conn, item, target, remote_id=remote_id, url=url, created_at=sent_at
            )
            ingest_batch(
                conn,
                connector=target.connector,
                channel=target.channel,
                messages=[message],
                clock=clock,
                seen_at=now,
            )
            detail = item.text
            if item.override:
                overridden = "; ".join(f"{o.code}: {o.message}" for o in item.override)
                detail += f"\n\nsent despite: {overridden}"
            self._event(conn, item.thread_id, now, item.agent, "replied", detail)
            # A keystroke's save may have landed after queueing: the sent text is no draft.
            conn.execute(
                "DELETE FROM drafts WHERE thread_id = ? AND agent = ? AND text = ?",
                (item.thread_id, item.agent, item.text),
            )
            return self._outbox_row(conn, item_id)

    def mark_reply_failed(
        self,
        item_id: int,
        *,
        holder: str,
        error: str,
        retry_at: datetime | None,
        now: datetime,
    ) -> OutboxItem:
        """Record a failed send. With `retry_at` the outbox tries again by itself from then;
        without, it waits for an agent. Only the process that holds the claim may do this."""
        with self._write() as conn:
            item = self._outbox_row(conn, item_id)
            if item.state is not OutboxState.SENDING or item.claimed_by != holder:
                return item  # someone else took it over meanwhile; their outcome counts
            conn.execute(
                "UPDATE outbox SET state = 'failed', last_error = ?, retry_at = ? WHERE id = ?",
                (clean_line(error), to_db(retry_at) if retry_at else None, item_id),
            )
            if retry_at is None:
                self._event(conn, item.thread_id, now, item.agent, "reply failed", error)
            return self._outbox_row(conn, item_id)

    def outbox_item(self, item_id: int) -> OutboxItem:
        return self._outbox_row(self.conn, item_id)

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

    @staticmethod
    def _outbox_row(conn: sqlite3.Connection, item_id: int) -> OutboxItem:
        row = conn.execute("SELECT * FROM outbox WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise OutboxItemNotFound(f"there is no outbox item {item_id}")
        return outbox_sql.item_from_row(row)
