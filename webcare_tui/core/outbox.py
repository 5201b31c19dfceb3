"""The outbox's plain values: an item, its states, and how long to wait before a retry.

An outbox item is one reply on its way to a platform. Its life, each step one SQLite transaction:

    awaiting_approval ──(a colleague approves)──┐
                                                v
    queued ──(undo window passed, claimed)──> sending ──> sent
      │  ^                                     │   ^
      │  │                  (answer lost) ─────┤   └──(resolved: resent or confirmed)──┐
      │  │                                     v                                      │
      │  └──────(agent retries)── failed <─────┘  unconfirmed ────────────────────────┘
      └──(undo)──> cancelled <──(undo)── failed

`failed` means the platform certainly did not post it (refused, rate limited, no credentials).
`unconfirmed` means nobody knows: the request may have reached the platform and only its answer
was lost (a dropped connection, a timeout, a 5xx). The connector resolves it: a platform with an
idempotency key is simply sent the same request again; another is first asked whether our
reply is there (`Connector.confirm`), and only sent again when it is not.

A process that dies while an item is `sending` leaves it there; another claim takes it over
once its holder is known to be dead (same host, no such process) or its claim is stale. The
item keeps its `idempotency_key` for life, so the platform recognises every retry as the same
post: the reply goes out exactly once however often it is tried.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

MAX_AUTO_ATTEMPTS = 8
"""After this many attempts a retryable failure waits for an agent instead of retrying."""

FIRST_RETRY = timedelta(seconds=10)
LONGEST_RETRY = timedelta(minutes=15)


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNCONFIRMED = "unconfirmed"
    AWAITING_APPROVAL = "awaiting_approval"


TRANSITIONS: dict[OutboxState, frozenset[OutboxState]] = {
    OutboxState.AWAITING_APPROVAL: frozenset({OutboxState.QUEUED, OutboxState.CANCELLED}),
    OutboxState.QUEUED: frozenset({OutboxState.SENDING, OutboxState.CANCELLED}),
    OutboxState.SENDING: frozenset(
        {OutboxState.SENT, OutboxState.FAILED, OutboxState.UNCONFIRMED, OutboxState.SENDING}
    ),
    OutboxState.UNCONFIRMED: frozenset({OutboxState.SENDING, OutboxState.CANCELLED}),
    OutboxState.FAILED: frozenset({OutboxState.SENDING, OutboxState.QUEUED, OutboxState.CANCELLED}),
    OutboxState.SENT: frozenset(),
    OutboxState.CANCELLED: frozenset(),
}
"""Every move the store makes. `sending -> sending` is a dead process's claim taken over."""


PENDING = frozenset(
    {
        OutboxState.AWAITING_APPROVAL,
        OutboxState.QUEUED,
        OutboxState.SENDING,
        OutboxState.UNCONFIRMED,
        OutboxState.FAILED,
    }
)
"""States of a reply that may still go out: what `webcare outbox` lists."""


@dataclass(frozen=True, slots=True)
class Override:
    """A blocking finding an agent chose to send past; kept with the reply for the record."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class NewReply:
    """A reply to put in the outbox: what `agent` wrote to the thread, and what goes with it.

    `send_after` ends its undo window; `idempotency_key` is made once and kept for every retry;
    `override` holds the blocking findings sent past, and `reason` the agent's words for that.
    """

    thread_id: int
    agent: str
    text: str
    send_after: datetime
    idempotency_key: str
    private: bool = False
    override: tuple[Override, ...] = ()
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One reply in the outbox, as stored.

    `send_after` ends the undo window. `retry_at` is set on a failure worth retrying by itself;
    a failure without it waits for an agent. `claimed_by` names the process (`host:pid`) that
    is or was sending it. `reason` is the agent's own words for sending past `override`;
    `approved_by` the colleague who let it go (the `second-agent` override).
    """

    id: int
    thread_id: int
    agent: str
    text: str
    private: bool
    idempotency_key: str
    state: OutboxState
    created_at: datetime
    send_after: datetime
    attempts: int = 0
    last_error: str | None = None
    remote_id: str | None = None
    sent_at: datetime | None = None
    override: tuple[Override, ...] = ()
    retry_at: datetime | None = None
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    reason: str | None = None
    approved_by: str | None = None

    @property
    def is_pending(self) -> bool:
        """Not yet sent and not given up: the reply may still go out."""
        return self.state in PENDING

    @property
    def can_undo(self) -> bool:
        """Undo is possible until some process starts sending it (and it surely did not go out)."""
        return self.state in (OutboxState.QUEUED, OutboxState.FAILED, OutboxState.AWAITING_APPROVAL)

    @property
    def outcome_unknown(self) -> bool:
        """It may be on the platform already: only the same key, or a look there, may resend it."""
        return self.state is OutboxState.UNCONFIRMED

    @property
    def retries_by_itself(self) -> bool:
        return (
            self.state in (OutboxState.FAILED, OutboxState.UNCONFIRMED)
            and self.retry_at is not None
        )

    def seconds_left(self, now: datetime, window: float | None = None) -> int:
        """Whole seconds of the undo window left (rounded up, never negative).

        With `window` (the configured undo seconds) never more than that: `send_after` is
        rounded up to a whole second, so a 10 s window may really be 10.7 s, and a countdown
        that starts at 11 looks like a wrong setting.
        """
        left = max(0, math.ceil((self.send_after - now).total_seconds()))
        return left if window is None else min(left, math.ceil(window))


def may_resume(
    item: OutboxItem, agent: str, now: datetime, over: Callable[[OutboxItem], bool]
) -> bool:
    """Whether `agent` may send `item` now under its own key: it is theirs, and nobody is on it.

    Unconfirmed (the answer was lost), stuck in `sending` by a holder that is gone (`over`),
    queued past its undo window with nobody sending it, or failed and waiting to retry.
    """
    if item.agent.casefold() != agent.casefold():
        return False
    if item.state is OutboxState.SENDING:
        return over(item)
    if item.state is OutboxState.QUEUED:
        return item.send_after <= now
    return item.state is OutboxState.UNCONFIRMED or item.retries_by_itself


PENDING_MARKS = {
    OutboxState.QUEUED: "↑sending",
    OutboxState.SENDING: "↑sending",
    OutboxState.UNCONFIRMED: "↑unsure",
    OutboxState.FAILED: "↑failed",
    OutboxState.AWAITING_APPROVAL: "↑approval",
}
"""What the feed shows in a thread's state column while a reply of it may still go out."""


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: 10 s, 20 s, 40 s, ... at most 15 min."""
    factor = 2 ** min(max(attempts - 1, 0), 16)
    return min(FIRST_RETRY * factor, LONGEST_RETRY)
