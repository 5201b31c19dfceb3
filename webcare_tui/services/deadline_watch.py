"""When to warn the agent: threads whose countdown crossed into warning or overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.alerts import crossings
from webcare_tui.core.clock import ResponseClock
from webcare_tui.store import Store

WATCHED = 500


@dataclass(frozen=True, slots=True)
class Crossing:
    """Thread `thread_id` (written by `who`) reached `level`: `warning` or `overdue`."""

    thread_id: int
    who: str
    level: str


class DeadlineWatch:
    """Remembers each watched thread's level between checks, to report each rise once.

    The first check only learns the levels: what is overdue at start-up the feed shows.
    """

    def __init__(self, store: Store, clock: ResponseClock, *, watched: int = WATCHED) -> None:
        self._store = store
        self._clock = clock
        self._watched = watched
        self._levels: dict[int, str] | None = None
        self._authors: dict[int, str] = {}

    def check(self, now: datetime) -> list[Crossing]:
        """The crossings since the last check, for the `watched` most urgent threads."""
        levels: dict[int, str] = {}
        for thread in self._store.feed_page(limit=self._watched):
            running = thread.clock
            if running is None:
                continue
            countdown = self._clock.countdown(thread.channel, running.kind, now, running.due_at)
            levels[thread.id] = countdown.level
            self._authors[thread.id] = thread.author_name or thread.author
        previous = self._levels
        self._levels = {**(previous or {}), **levels}
        if previous is None:
            return []
        return [
            Crossing(thread_id, self._authors.get(thread_id, ""), level)
            for thread_id, level in crossings(previous, levels)
        ]
