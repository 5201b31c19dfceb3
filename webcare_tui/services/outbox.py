"""The outbox: everything between an agent pressing send and the platform, without any UI.

`queue_reply` checks the draft (`core.checks`), claims the thread and queues the reply with an
undo window; `cancel` is the undo; `send_due` sends what is due through the thread's connector.
The TUI runs `send_due` every second; `webcare reply` queues with no window and sends at once.

Exactly once: an item keeps one idempotency key for life and every retry sends it again under
that key, which the platforms use to recognise a repeat (Mastodon's `Idempotency-Key`, a record
key derived from it on Bluesky). A process that dies mid-send leaves the item `sending`; the
next claim takes it over (at once when that process is gone from this host, else after
`STALE_SENDING`) and the platform answers with the post it already has.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from webcare_tui.core.outbox import NewReply, OutboxItem, OutboxState, Override
from webcare_tui.core.timeutil import whole_second_after
from webcare_tui.services.holders import process_holder, process_is_dead
from webcare_tui.services.outbox_checks import ReplyChecks, Review, refuse_stored_phone
from webcare_tui.services.outbox_delivery import Delivery, SendOutcome
from webcare_tui.services.outbox_errors import (
    ChannelCannotSend,
    DraftRefused,
    NothingToSend,
    OutboxError,
    ReasonNeeded,
    StoredPhoneInText,
)
from webcare_tui.services.phone_guard import stored_phone_in
from webcare_tui.store.outbox_errors import AlreadyAnswered, BeingAnswered
from webcare_tui.store.store import ClaimedByOther

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "AlreadyAnswered",
    "BeingAnswered",
    "ChannelCannotSend",
    "ClaimedByOther",
    "DraftRefused",
    "NothingToSend",
    "Outbox",
    "OutboxError",
    "ReasonNeeded",
    "ReplyStart",
    "Review",
    "SendOutcome",
    "StoredPhoneInText",
    "refuse_stored_phone",
]

log = logging.getLogger(__name__)

STALE_SENDING = timedelta(minutes=2)
"""A claim this old is taken over even if its process may live: far beyond any HTTP timeout,
far within the hour Mastodon remembers an idempotency key."""


MAX_PER_ROUND = 50


@dataclass(frozen=True, slots=True)
class ReplyStart:
    """A reply claimed to be sent now: a new one (with its review), or an earlier one resumed."""

    item: OutboxItem
    resumed: bool = False
    review: Review | None = None


def new_key() -> str:
    """An idempotency key for a new reply: made once, kept for every retry of it."""
    return f"webcare-{uuid.uuid4().hex}"


@dataclass
class Outbox(ReplyChecks):
    """The outbox of one agent (`config.agent`) on one store: the agent's moves and the
    sending, after the checks of `ReplyChecks`."""

    holder: str = field(default_factory=process_holder)
    _lock: asyncio.Lock | None = field(default=None, init=False, repr=False)

    # -- the agent's moves -------------------------------------------------------------------

    def _new_reply(
        self,
        thread_id: int,
        text: str,
        review: Review,
        override: tuple[Override, ...],
        *,
        send_after: datetime,
        reason: str | None,
    ) -> NewReply:
        """This agent's reply as the checks passed it, under a new idempotency key."""
        return NewReply(
            thread_id,
            self.agent,
            text,
            send_after=send_after,
            idempotency_key=new_key(),
            private=review.private,
            override=override,
            reason=reason,
        )

    def queue_reply(
        self,
        thread_id: int,
        text: str,
        *,
        length_limit: int,
        force: bool = False,
        opened_at: datetime | None = None,
        undo_seconds: float | None = None,
        reason: str | None = None,
        private: bool | None = None,
    ) -> OutboxItem:
        """Check, claim and queue a reply; it is sent once `undo_seconds` (config) have passed.

        Raises ClaimedByOther when another agent holds the thread and DraftRefused when a check
        blocks, both unless `force`, which claims the thread anyway and records the blocking
        findings with the reply, and `reason`, which a check about the text needs
        (ReasonNeeded). With the `second-agent` override such a reply
        awaits a colleague's approval. NothingToSend and ChannelCannotSend are never forced.
        """
        review, override = self.vet(
            thread_id,
            text,
            length_limit=length_limit,
            force=force,
            reason=reason,
            opened_at=opened_at,
            private=private,
        )
        now = self.now()
        seconds = self.config.undo_seconds if undo_seconds is None else undo_seconds
        send_after = now if seconds <= 0 else whole_second_after(now + timedelta(seconds=seconds))
        return self.store.queue_reply(
            self._new_reply(
                thread_id, text, review, override, send_after=send_after, reason=reason
            ),
            now=now,
            force_claim=force,
            awaiting_approval=bool(override) and self.four_eyes,
        )

    def reply_now(
        self,
        thread_id: int,
        text: str,
        *,
        length_limit: int,
        force: bool = False,
        reason: str | None = None,
        grace_seconds: float = 60,
    ) -> ReplyStart:
        """Claim a reply for this process to send at once (the CLI), or resume an earlier one.

        An earlier reply of this agent's to the thread that is unconfirmed, stuck (its process
        died) or left queued is resumed under its own key, whatever `text` says: it may be on
        the platform already. Otherwise the checks of `queue_reply` apply, a blocking one needs
        `reason` as well as `force` (ReasonNeeded), and a thread that is being answered
        (BeingAnswered) or whose latest customer message is answered (AlreadyAnswered) is
        refused unless `force`. `grace_seconds` lets a TUI send the reply should this process
        die before it could, and keeps it from racing us meanwhile.
        """
        now = self.now()
        stale_before = now - STALE_SENDING
        earlier = self.store.resume_reply(
            thread_id,
            self.agent,
            now=now,
            holder=self.holder,
            stale_before=stale_before,
            is_dead=process_is_dead,
        )
        if earlier is not None:
            return ReplyStart(earlier, resumed=True)
        review, override = self.vet(
            thread_id, text, length_limit=length_limit, force=force, reason=reason
        )
        reply = self._new_reply(
            thread_id,
            text,
            review,
            override,
            send_after=whole_second_after(now + timedelta(seconds=grace_seconds)),
            reason=reason.strip() if override and reason else None,
        )
        item, resumed = self.store.start_reply(
            reply,
            now=now,
            holder=self.holder,
            stale_before=stale_before,
            is_dead=process_is_dead,
            force_claim=force,
            again=force,
            awaiting_approval=bool(override) and self.four_eyes,
        )
        return ReplyStart(item, resumed=resumed, review=None if resumed else review)

    def cancel(self, item_id: int, *, maybe_sent: bool = False) -> OutboxItem:
        """Undo: the reply goes back into the draft. Raises OutboxTooLate once sending began
        (and for an unconfirmed reply, unless `maybe_sent`: it may be out already)."""
        return self.store.cancel_reply(item_id, now=self.now(), maybe_sent=maybe_sent)

    def retry(self, item_id: int) -> OutboxItem:
        """Send a failed or unconfirmed reply again (same idempotency key, so never twice)."""
        item = self.store.outbox_item(item_id)
        if item.state is OutboxState.UNCONFIRMED:
            return item  # claimed as it is: `claim(item_id)` takes an unconfirmed one at once
        return self.store.retry_reply(item_id, now=self.now())

    def approve(self, item_id: int) -> OutboxItem:
        """Let a colleague's blocked reply go (the `second-agent` override): due now."""
        return self.store.approve_reply(item_id, self.agent, now=self.now())

    def claim(self, item_id: int) -> OutboxItem | None:
        """Claim item `item_id` for this process to send at once; None when it is not due or
        another live process is sending it."""
        now = self.now()
        return self.store.claim_reply(
            now=now,
            holder=self.holder,
            stale_before=now - STALE_SENDING,
            is_dead=process_is_dead,
            item_id=item_id,
        )

    def in_undo_window(self) -> list[OutboxItem]:
        """This agent's replies queued and not yet being sent: what quitting would leave."""
        return [
            item
            for item in self.store.pending_replies()
            if item.state is OutboxState.QUEUED and self._is_me(item.agent)
        ]

    def poller_elsewhere(self) -> bool:
        """Whether another process holds the poller lease now: it sends what this one leaves."""
        from webcare_tui.core.timeutil import from_db
        from webcare_tui.services.poller import LEASE

        lease = self.store.lease(LEASE)
        if lease is None or from_db(lease["expires_at"]) <= self.now():
            return False
        return not str(lease["holder"]).startswith(self.holder + ":")

    def pending(self, thread_id: int) -> OutboxItem | None:
        """This agent's reply in the thread that has not gone out yet, if any."""
        mine = [
            item
            for item in self.store.outbox_items(thread_id)
            if item.agent == self.agent and item.is_pending
        ]
        return mine[-1] if mine else None

    # -- sending -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A round of `send_due` is under way in this process."""
        return self._lock is not None and self._lock.locked()

    async def send_due(
        self, *, item_id: int | None = None, auto_retry: bool = True
    ) -> list[SendOutcome]:
        """Send every item that is due, one after the other; or only `item_id`, at once.

        With `auto_retry` a temporary failure is tried again later by itself; without (the CLI,
        whose caller sees the failure), it waits for an agent to retry it.
        """
        if self._lock is None:
            self._lock = asyncio.Lock()
        outcomes: list[SendOutcome] = []
        async with self._lock:  # one round at a time in this process; claims guard the rest
            for _ in range(MAX_PER_ROUND):
                now = self.now()
                item = await asyncio.to_thread(
                    self.store.claim_reply,
                    now=now,
                    holder=self.holder,
                    stale_before=now - STALE_SENDING,
                    is_dead=process_is_dead,
                    item_id=item_id,
                )
                if item is None:
                    break
                outcomes.append(await self._send(item, auto_retry=auto_retry))
                if item_id is not None:
                    break  # one try of that item; an unknown outcome is claimable again
        return outcomes

    async def _send(
        self, item: OutboxItem, *, auto_retry: bool, pauses: Sequence[float] = ()
    ) -> SendOutcome:
        thread = await asyncio.to_thread(self.store.thread, item.thread_id)
        target = await asyncio.to_thread(self.store.reply_target, item.thread_id)
        delivery = Delivery(self.store, self.holder, self.now, self.config.clock)
        if stored_phone_in(self.store, item.thread_id, item.text) is not None:
            # Checked again here: the number may have been stored after the item was queued.
            return await delivery.refuse(item, target, str(StoredPhoneInText()))
        connector = self.connector(thread.connector)
        return await delivery.deliver(
            item, target, connector or thread.connector, auto_retry=auto_retry, pauses=pauses
        )

    async def send_claimed(self, item: OutboxItem, *, pauses: Sequence[float] = ()) -> SendOutcome:
        """Send an item this process claimed (`reply_now`, `claim`), resolving an unknown
        outcome within the call: tried again after each of `pauses`, under the same key."""
        return await self._send(item, auto_retry=False, pauses=pauses)

    async def aclose(self) -> None:
        for connector in self.connectors.values():
            await connector.aclose()
        self.connectors.clear()
