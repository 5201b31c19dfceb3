"""What the inbox header shows: the counts that matter and how the connectors are doing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.store import Store
from webcare_tui.store.reads import InboxCounts

__all__ = ["InboxCounts", "InboxStatus"]


class InboxStatus:
    """The header's figures for one agent, each cheap enough to refresh on every change."""

    def __init__(
        self, store: Store, clock: ResponseClock, agent: str, connectors: Sequence[str]
    ) -> None:
        self._store = store
        self._clock = clock
        self.agent = agent
        self.connectors_configured = tuple(connectors)

    def counts(self, now: datetime) -> InboxCounts:
        """Threads waiting for us (`open`), `overdue` ones and `mine`."""
        return self._store.counts(self.agent, now)

    def connectors(self, now: datetime) -> str:
        """The configured connectors in trouble by name, or how many are fine; "" before any
        poll. A connector no longer in the config is not shown, whatever it last recorded."""
        # Loaded when first asked, after the first rows are shown: nothing before needs it.
        from webcare_tui.services.health import connector_healths, connectors_line

        healths = connector_healths(self._store, self.connectors_configured)
        return connectors_line(healths, now, self._clock.timezone)
