"""One claimed reply through its connector: sent, confirmed, or left in a state that says why.

The outcome of a send is one of three. The platform posted it (`sent`). The platform surely did
not (refused, rate limited, no credentials: `failed`). Or nobody knows (a dropped connection, a
timeout, a 5xx, an unreadable answer: `unconfirmed`): the request may have reached the platform.
An unknown outcome is resolved by the connector, never by a new post: a platform with an
idempotency key gets the same request, same key, again; another is first asked whether our
reply is there (`Connector.confirm`), and only sent again when it is not.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from webcare_tui.connectors.base import (
    Connector,
    ConnectorError,
    MalformedResponse,
    OutgoingReply,
    RateLimited,
    SentReply,
    TransientError,
)
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.outbox import MAX_AUTO_ATTEMPTS, OutboxItem, OutboxState, retry_delay
from webcare_tui.store.outbox_sql import ReplyTarget
from webcare_tui.store.store import Store

__all__ = ["Delivery", "SendOutcome", "outgoing"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """How one attempt to send an item went. `item` is its state afterwards."""

    item: OutboxItem
    customer: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.item.state is OutboxState.SENT


def outgoing(item: OutboxItem, target: ReplyTarget) -> OutgoingReply:
    """What the connector is asked to post for `item`."""
    return OutgoingReply(
        text=item.text,
        in_reply_to=target.in_reply_to,
        root=target.root,
        customer=target.customer,
        idempotency_key=item.idempotency_key,
        private=item.private,
        reply_to_extra=target.extra,
    )


class _Unknown(Exception):
    """This try's outcome is unknown: the reply may be on the platform."""

    def __init__(self, error: ConnectorError) -> None:
        super().__init__(f"{error.title}: {error}")
        self.retry_at = error.retry_at


@dataclass
class Delivery:
    """Sends items claimed by `holder` and records each outcome in `store`.

    `pauses` are the waits between tries of an unknown outcome within this one call (the CLI's
    short back-off); when they run out the item stays `unconfirmed`, to be resolved later by
    whichever process sends the outbox. `auto_retry` lets a rate-limited reply wait its turn
    by itself; without it (the CLI) it waits for an agent.
    """

    store: Store
    holder: str
    now: Callable[[], datetime]
    clock: Callable[[], ResponseClock]
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    async def deliver(
        self,
        item: OutboxItem,
        target: ReplyTarget,
        connector: Connector | str,
        *,
        auto_retry: bool,
        pauses: Sequence[float] = (),
    ) -> SendOutcome:
        """Send `item`; `connector` is the name of one not configured (or not enabled)."""
        if isinstance(connector, str):
            message = f"the connector {connector!r} is not configured or not enabled"
            return await self._failed(item, target, message, None)
        reply = outgoing(item, target)
        # A second claim of an item means an earlier try may have posted it.
        maybe_out = item.attempts > 1
        unknown: _Unknown | None = None
        for pause in (None, *pauses):
            if pause is not None and unknown is not None:
                await self.sleep(pause)
                still_ours = await asyncio.to_thread(
                    self.store.record_attempt,
                    item.id,
                    holder=self.holder,
                    error=str(unknown),
                    now=self.now(),
                )
                if not still_ours:
                    return SendOutcome(await self._reread(item), customer=target.customer)
            try:
                sent = await self._try(connector, reply, look_first=maybe_out)
            except _Unknown as error:
                unknown, maybe_out = error, True
                continue
            except RateLimited as error:  # refused before posting: it waits, surely not out
                retry_at = None
                if auto_retry and item.attempts < MAX_AUTO_ATTEMPTS:
                    retry_at = error.retry_at or self.now() + retry_delay(item.attempts)
                return await self._failed(item, target, f"{error.title}: {error}", retry_at)
            except ConnectorError as error:  # refused, credentials, cannot send: an agent decides
                return await self._failed(item, target, f"{error.title}: {error}", None)
            except Exception as error:  # a connector bug must not leave the item claimed for ever
                log.exception("sending outbox item %s failed", item.id)
                return await self._failed(item, target, f"{type(error).__name__}: {error}", None)
            return await self._sent(item, target, sent)
        assert unknown is not None
        # Resolved by itself whatever `auto_retry` says: the customer may be reading the reply
        # already, and the outbox must find out (same key, or a look) rather than forget it.
        retry_at = None
        if item.attempts < MAX_AUTO_ATTEMPTS:
            retry_at = self.now() + retry_delay(item.attempts)
            if unknown.retry_at is not None and unknown.retry_at > retry_at:
                retry_at = unknown.retry_at
        return await self._failed(item, target, str(unknown), retry_at, unknown=True)

    async def refuse(self, item: OutboxItem, target: ReplyTarget, why: str) -> SendOutcome:
        """Fail a claimed item without sending it, for an agent to look at."""
        return await self._failed(item, target, why, None)

    async def _try(
        self, connector: Connector, reply: OutgoingReply, *, look_first: bool
    ) -> SentReply:
        try:
            if look_first and not connector.idempotent_send:
                found = await connector.confirm(reply)
                if found is not None:
                    return found
            return await connector.send(reply)
        except (TransientError, MalformedResponse) as error:
            raise _Unknown(error) from None

    async def _sent(self, item: OutboxItem, target: ReplyTarget, sent: SentReply) -> SendOutcome:
        now = self.now()
        done = await asyncio.to_thread(
            self.store.mark_reply_sent,
            item.id,
            remote_id=sent.remote_id,
            url=sent.url,
            sent_at=sent.created_at or now,
            clock=self.clock(),
            now=now,
        )
        return SendOutcome(done, customer=target.customer)

    async def _failed(
        self,
        item: OutboxItem,
        target: ReplyTarget,
        error: str,
        retry_at: datetime | None,
        *,
        unknown: bool = False,
    ) -> SendOutcome:
        done = await asyncio.to_thread(
            self.store.mark_reply_failed,
            item.id,
            holder=self.holder,
            error=error,
            retry_at=retry_at,
            now=self.now(),
            unknown=unknown,
        )
        return SendOutcome(done, customer=target.customer, error=error)

    async def _reread(self, item: OutboxItem) -> OutboxItem:
        return await asyncio.to_thread(self.store.outbox_item, item.id)
