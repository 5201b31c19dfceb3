"""What an agent does to a thread from the TUI: take it, ignore it, escalate it."""

from __future__ import annotations

from collections.abc import Callable
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
        """Ignore with `reason`; a colleague's thread only with `over_colleague`, a reason for
        changing their thread (recorded, and they are told)."""
        check_colleague_thread(
            self._store,
            thread_id,
            self.agent,
            reason=over_colleague,
            what="ignored",
            now=self._now(),
        )
        self._store.set_state(
            thread_id, ThreadState.IGNORED, actor=self.agent, now=self._now(), reason=reason
        )

    def escalate(self, thread_id: int, to: str, note: str) -> None:
        self._store.escalate(
            thread_id, to, actor=self.agent, now=self._now(), clock=self._clock, note=note
        )
