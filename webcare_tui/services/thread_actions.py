"""What an agent does to a thread from the TUI: take it, ignore, snooze, tag or reopen it,
escalate it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import ThreadState
from webcare_tui.services.handover import check_colleague_thread
from webcare_tui.store import Store


class ThreadActions:
    """One agent's changes to threads, each recorded in the thread's history as theirs.

    Each raises a `StoreError` when refused (a thread taken by someone else, a thread that is
    gone) or when the database fails.
    """

    def __init__(
        self, store: Store, clock: ResponseClock, agent: str, now: Callable[[], datetime]
    ) -> None:
        self._store = store
        self._clock = clock
        self._now = now
        self.agent = agent

    def assign_to_me(self, thread_id: int) -> None:
        self._store.assign(thread_id, self.agent, now=self._now())

    def ignore(self, thread_id: int, reason: str, *, over_colleague: str = "") -> None:
        """Ignore with `reason`. Like every change here, a colleague's thread only with
        `over_colleague`, a reason for changing their thread (recorded, and they are told)."""
        self._colleague_rule(thread_id, "ignored", over_colleague)
        self._store.set_state(
            thread_id, ThreadState.IGNORED, actor=self.agent, now=self._now(), reason=reason
        )

    def _colleague_rule(self, thread_id: int, what: str, reason: str) -> None:
        """Refused (ClaimedByOther, shown as a notice) when a colleague holds the thread and
        no `reason` is given."""
        check_colleague_thread(
            self._store, thread_id, self.agent, reason=reason, what=what, now=self._now()
        )

    def snooze(self, thread_id: int, until: datetime, *, over_colleague: str = "") -> None:
        self._colleague_rule(thread_id, "snoozed", over_colleague)
        self._store.snooze(thread_id, until, actor=self.agent, now=self._now())

    def reopen(self, thread_id: int) -> ThreadState:
        return self._store.reopen(thread_id, actor=self.agent, now=self._now(), clock=self._clock)

    def tags_of(self, thread_id: int) -> tuple[str, ...]:
        return self._store.tags_of([thread_id]).get(thread_id, ())

    def suggested_tags(self, thread_id: int, allowed: Sequence[str]) -> tuple[str, ...]:
        """The `allowed` tags the customer's words point to (the lexicon's tag phrases)."""
        from webcare_tui.services.insights import lexicon

        texts = [text for _, text, _ in self._store.thread_texts([thread_id]).get(thread_id, [])]
        return lexicon().suggest_tags(texts, allowed)

    def retag(
        self,
        thread_id: int,
        add: Sequence[str],
        remove: Sequence[str],
        *,
        over_colleague: str = "",
    ) -> None:
        self._colleague_rule(thread_id, "tagged", over_colleague)
        now = self._now()
        if add:
            self._store.tag(thread_id, add, actor=self.agent, now=now)
        if remove:
            self._store.tag(thread_id, remove, actor=self.agent, now=now, remove=True)

    def escalate(self, thread_id: int, to: str, note: str) -> None:
        self._store.escalate(
            thread_id, to, actor=self.agent, now=self._now(), clock=self._clock, note=note
        )
