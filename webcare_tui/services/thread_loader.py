"""What a thread view reads: one thread with everything shown about it, and why it is due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import Customer, Event, Message, Note, Thread
from webcare_tui.core.outbox import OutboxItem, OutboxState
from webcare_tui.store import Store
from webcare_tui.store.base import ThreadNotFound
from webcare_tui.store.team import HandoverNote

if TYPE_CHECKING:
    from webcare_tui.services.insights import EarlierThread


@dataclass(frozen=True, slots=True)
class ThreadDetail:
    """Everything the thread view shows about one thread, read in one go."""

    thread: Thread
    messages: list[Message]
    notes: list[Note]
    events: list[Event]
    customer: Customer
    handover_note: HandoverNote | None = None
    awaiting_approval: list[OutboxItem] = field(default_factory=list)
    priority_reason: str = ""  # `why: 80k followers; 3rd contact today`
    earlier: tuple[EarlierThread, ...] = ()  # the customer's earlier threads, newest first


@dataclass(frozen=True, slots=True)
class DueExplanation:
    """`w`: how a thread's due time came about, as a title and lines of plain words."""

    title: str
    lines: list[str]


class ThreadLoader:
    """Reads threads for the screens; it changes nothing."""

    def __init__(self, store: Store, clock: ResponseClock) -> None:
        self._store = store
        self._clock = clock

    def load(self, thread_id: int, shown: ThreadDetail | None = None) -> ThreadDetail:
        """Thread `thread_id` with its messages, notes, history and customer.

        When it is gone because it joined the thread its first message answers, and `shown`
        is what the screen shows of it, the thread it joined is loaded instead.
        """
        try:
            return self._detail(thread_id)
        except ThreadNotFound:
            if shown is None or shown.thread.id != thread_id or not shown.messages:
                raise
            first = shown.messages[0]
            moved_to = self._store.thread_of_message(first.connector, first.remote_id)
            if moved_to is None:
                raise
            return self._detail(moved_to)

    def _detail(self, thread_id: int) -> ThreadDetail:
        from webcare_tui.services.insights import earlier_threads, thread_insights

        store = self._store
        thread = store.thread(thread_id)
        customer = store.customer(thread.connector, thread.author)
        return ThreadDetail(
            thread=thread,
            messages=store.messages(thread_id),
            notes=store.notes(thread_id),
            events=store.events(thread_id),
            customer=customer,
            handover_note=store.handover_notes([thread_id]).get(thread_id),
            awaiting_approval=self.awaiting_approval(thread_id),
            priority_reason=thread_insights(store, [thread])[thread.id].priority.reason,
            earlier=tuple(earlier_threads(store, thread, customer.thread_ids)),
        )

    def awaiting_approval(self, thread_id: int) -> list[OutboxItem]:
        """The thread's blocked replies that wait for a colleague's approval, oldest first."""
        items = self._store.outbox_items(thread_id)
        return [item for item in items if item.state is OutboxState.AWAITING_APPROVAL]

    def why_due(self, thread_id: int, now: datetime) -> DueExplanation:
        """How thread `thread_id`'s due time came about, seen at `now`."""
        thread = self._store.thread(thread_id)
        title = f"Thread #{thread.id} · {thread.author} · {thread.channel}"
        running = thread.clock
        if running is None:
            state = thread.state.value
            lines = [f"No clock runs: the thread is {state}, nothing is owed to the customer now."]
            return DueExplanation(title, lines)
        explanation = self._clock.explain(
            thread.channel, running.kind, running.start, now, running.due_at
        )
        return DueExplanation(title, list(explanation.lines))
