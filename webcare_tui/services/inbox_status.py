"""What the inbox header shows: the counts that matter and how the connectors are doing."""

from __future__ import annotations

from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.store import Store


class InboxStatus:
    """The header's figures for one agent, each cheap enough to refresh on every change."""

    def __init__(self, store: Store, clock: ResponseClock, agent: str) -> None:
        self._store = store
        self._clock = clock
        self.agent = agent

    def counts(self, now: datetime) -> dict[str, int]:
        """Threads waiting for us (`open`), `overdue` ones and `mine`."""
        return self._store.counts(self.agent, now)

    def connectors(self, now: datetime) -> str:
        """The connectors in trouble by name, or how many are fine; "" before any poll."""
        # Loaded when first asked, after the first rows are shown: nothing before needs it.
        from webcare_tui.services.health import connectors_line

        return connectors_line(self._store.health(), now, self._clock.timezone)
