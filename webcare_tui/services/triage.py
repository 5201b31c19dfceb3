"""Off-hours triage: what came in while the team was closed, one thread at a time, most urgent
first, with how long each customer has waited in real time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import Direction, Message, Thread
from webcare_tui.store import Store

# The next shift: a thread handed to it is unassigned and carries this hand-over note.
NEXT_SHIFT_NOTE = "for the next shift (triage)"


@dataclass(frozen=True, slots=True)
class TriageItem:
    """One thread to decide on: the thread, the customer's messages and when they arrived."""

    thread: Thread
    arrived: datetime | None
    messages: tuple[Message, ...]

    def waited_seconds(self, now: datetime) -> float | None:
        """Wall-clock seconds since the customer's latest message."""
        return None if self.arrived is None else max(0.0, (now - self.arrived).total_seconds())


class TriageQueue:
    """The threads waiting for us whose customer wrote while the team was closed."""

    def __init__(self, store: Store, clock: ResponseClock, now: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock
        self._now = now

    def thread_ids(self) -> list[int]:
        """Most urgent first (the feed's order). A thread left a hand-over note since the
        customer wrote is decided on already: left for the next shift."""
        waiting = [
            (thread, arrived)
            for thread, arrived in self._store.waiting_threads()
            if arrived is not None and not self._clock.is_open(thread.channel, arrived)
        ]
        notes = self._store.handover_notes([t.id for t, _ in waiting])
        return [
            thread.id
            for thread, arrived in waiting
            if thread.id not in notes or notes[thread.id].at < arrived
        ]

    def item(self, thread_id: int) -> TriageItem:
        thread = self._store.thread(thread_id)
        messages = tuple(m for m in self._store.messages(thread_id) if m.direction is Direction.IN)
        arrived = max((m.created_at for m in messages), default=None)
        return TriageItem(thread, arrived, messages)

    def to_next_shift(self, thread_id: int, agent: str) -> None:
        """Leave it for the next shift: unassigned, with a note saying so (a colleague's
        thread only with the rule's reason, see `check_colleague_thread`)."""
        now = self._now()
        self._store.hand_over(thread_id, agent, None, reason=NEXT_SHIFT_NOTE, now=now)
        self._store.set_handover_note(thread_id, NEXT_SHIFT_NOTE, author=agent, now=now)
