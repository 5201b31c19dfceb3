"""What the process sending a reply records: its claim, each try, and how it ended."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.outbox import OutboxItem, OutboxState
from webcare_tui.core.sanitize import clean_line
from webcare_tui.core.timeutil import to_db
from webcare_tui.store import outbox_sql
from webcare_tui.store.base import StoreBase, ThreadNotFound
from webcare_tui.store.ingest import ingest_batch


class OutboxSending(StoreBase):
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
            item = outbox_sql.item_by_id(conn, item_id)
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
                if item.reason:
                    detail += f"\nreason: {item.reason}"
            if item.approved_by:
                detail += f"\napproved by {item.approved_by}"
            self._event(conn, item.thread_id, now, item.agent, "replied", detail)
            # A keystroke's save may have landed after queueing: the sent text is no draft.
            conn.execute(
                "DELETE FROM drafts WHERE thread_id = ? AND agent = ? AND text = ?",
                (item.thread_id, item.agent, item.text),
            )
            return outbox_sql.item_by_id(conn, item_id)

    def mark_reply_failed(
        self,
        item_id: int,
        *,
        holder: str,
        error: str,
        retry_at: datetime | None,
        now: datetime,
        unknown: bool = False,
    ) -> OutboxItem:
        """Record a failed send: `unconfirmed` when it may have gone out (`unknown`), else
        `failed`. With `retry_at` the outbox tries again by itself from then; without, it waits
        for an agent. Only the process that holds the claim may do this."""
        state = OutboxState.UNCONFIRMED if unknown else OutboxState.FAILED
        with self._write() as conn:
            item = outbox_sql.item_by_id(conn, item_id)
            if item.state is not OutboxState.SENDING or item.claimed_by != holder:
                return item  # someone else took it over meanwhile; their outcome counts
            conn.execute(
                "UPDATE outbox SET state = ?, last_error = ?, retry_at = ? WHERE id = ?",
                (state.value, clean_line(error), to_db(retry_at) if retry_at else None, item_id),
            )
            if retry_at is None:
                kind = "reply unconfirmed" if unknown else "reply failed"
                self._event(conn, item.thread_id, now, item.agent, kind, error)
            return outbox_sql.item_by_id(conn, item_id)

    def record_attempt(self, item_id: int, *, holder: str, error: str, now: datetime) -> bool:
        """One more try of a reply `holder` is sending, after `error`; renews the claim so that
        nobody takes it over meanwhile. False when it is no longer `holder`'s."""
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, claimed_at = ? "
                "WHERE id = ? AND state = 'sending' AND claimed_by = ?",
                (clean_line(error), to_db(now), item_id, holder),
            )
            return cursor.rowcount == 1
