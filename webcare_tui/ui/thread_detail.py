"""Everything the thread view shows about one thread, fetched in one go from a worker."""

from __future__ import annotations

from dataclasses import dataclass

from webcare_tui.core.model import Customer, Event, Message, Note, Thread
from webcare_tui.store import Store


@dataclass(frozen=True, slots=True)
class ThreadDetail:
    thread: Thread
    messages: list[Message]
    notes: list[Note]
    events: list[Event]
    customer: Customer


def load_detail(store: Store, thread_id: int) -> ThreadDetail:
    thread = store.thread(thread_id)
    return ThreadDetail(
        thread=thread,
        messages=store.messages(thread_id),
        notes=store.notes(thread_id),
        events=store.events(thread_id),
        customer=store.customer(thread.connector, thread.author),
    )
