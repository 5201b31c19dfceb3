"""What the draft pane reads and keeps: one agent's draft per thread, saved as it is typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.model import Thread
from webcare_tui.core.outbox import OutboxItem
from webcare_tui.store import Store


@dataclass(frozen=True, slots=True)
class OpenedDraft:
    """A thread as the draft pane opens it: the thread, the saved text ("" when there is
    none yet) and the language the customer wrote in ("" when unknown)."""

    thread: Thread
    text: str
    lang: str


class Drafts:
    """One agent's drafts. Every method may raise a `StoreError`."""

    def __init__(self, store: Store, agent: str, now: Callable[[], datetime]) -> None:
        self._store = store
        self._now = now
        self.agent = agent

    def open(self, thread_id: int) -> OpenedDraft:
        store = self._store
        thread = store.thread(thread_id)
        text = store.draft(thread_id, self.agent)
        lang = store.reply_target(thread_id).extra.get("lang", "")
        return OpenedDraft(thread, text, lang)

    def text(self, thread_id: int) -> str:
        return self._store.draft(thread_id, self.agent)

    def save(self, thread_id: int, text: str) -> None:
        self._store.save_draft(thread_id, self.agent, text, now=self._now())

    def reply(self, item_id: int) -> OutboxItem:
        """Where the reply this draft became stands now, in the outbox."""
        return self._store.outbox_item(item_id)
