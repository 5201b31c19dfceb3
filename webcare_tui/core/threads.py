"""How a thread's state and running clock follow from what happened in it.

The store keeps a few facts per thread (when the oldest unanswered customer message was
written, whether the team ever replied, when it escalated); these pure functions turn those
facts into the next state and the running clock, so the rules live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.clock import ClockKind, ResponseClock
from webcare_tui.core.model import Direction, RunningClock, ThreadState

__all__ = ["RunningClock", "ThreadFacts", "after_message", "running_clock"]


@dataclass(frozen=True, slots=True)
class ThreadFacts:
    """What the clock needs to know about one thread."""

    channel: str
    state: ThreadState
    pending_since: datetime | None = None
    first_reply_at: datetime | None = None
    last_out_at: datetime | None = None
    escalated_at: datetime | None = None
    promise_at: datetime | None = None


def after_message(facts: ThreadFacts, direction: Direction, created_at: datetime) -> ThreadFacts:
    """The facts once a message written at `created_at` is added to the thread."""
    if direction is Direction.IN:
        pending = facts.pending_since
        if pending is None or created_at < pending:
            # An answer written after this message already covers it (out-of-order ingest).
            if facts.last_out_at is not None and facts.last_out_at >= created_at:
                return facts
            pending = created_at
        state = facts.state
        if state in (ThreadState.REPLIED, ThreadState.RESOLVED, ThreadState.SNOOZED):
            state = ThreadState.OPEN
        if pending == facts.pending_since and state is facts.state:
            return facts
        return ThreadFacts(
            facts.channel,
            state,
            pending,
            facts.first_reply_at,
            facts.last_out_at,
            facts.escalated_at,
            facts.promise_at,
        )

    last_out = created_at if facts.last_out_at is None else max(facts.last_out_at, created_at)
    first_reply = facts.first_reply_at
    if first_reply is None or created_at < first_reply:
        first_reply = created_at
    pending = facts.pending_since
    state = facts.state
    if pending is not None and created_at >= pending:
        pending = None
        if state is ThreadState.OPEN:
            state = ThreadState.REPLIED
    # Built directly rather than with dataclasses.replace: this runs once per stored message.
    return ThreadFacts(
        facts.channel, state, pending, first_reply, last_out, facts.escalated_at, facts.promise_at
    )


def running_clock(facts: ThreadFacts, clock: ResponseClock) -> RunningClock | None:
    """The clock that runs against the team now, or None when nothing is owed.

    An escalated thread is due `follow_up` after the escalation or our last update to the
    customer, whichever is later; a promise (`promise_at`) made after that update and before
    that due time is the due time instead.
    """
    if facts.state is ThreadState.ESCALATED and facts.escalated_at is not None:
        start = facts.escalated_at
        if facts.last_out_at is not None and facts.last_out_at > start:
            start = facts.last_out_at
        due = clock.due_at(facts.channel, ClockKind.FOLLOW_UP, start)
        # A promise made to the customer rules when it is earlier, until we update them.
        if facts.promise_at is not None and start < facts.promise_at < due:
            due = facts.promise_at
        return RunningClock(kind=ClockKind.FOLLOW_UP, start=start, due_at=due)
    elif facts.state is ThreadState.OPEN and facts.pending_since is not None:
        start = facts.pending_since
        replied_before = facts.first_reply_at is not None and facts.first_reply_at <= start
        kind = ClockKind.NEXT if replied_before else ClockKind.FIRST
    else:
        return None
    return RunningClock(kind=kind, start=start, due_at=clock.due_at(facts.channel, kind, start))
