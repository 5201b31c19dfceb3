"""What a screen works with: the config, the clock, and narrow handles onto the store.

The TUI makes one Workspace and passes it down; a screen takes the handles its widgets need
(a feed pager, a thread loader, the thread actions, the drafts, the outbox) and never the
Store itself. A new screen gets a workspace, and a new handle joins it here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from webcare_tui.config import Config
from webcare_tui.core.clock import ResponseClock
from webcare_tui.services.deadline_watch import DeadlineWatch
from webcare_tui.services.drafts import Drafts
from webcare_tui.services.feed_pager import FeedPager
from webcare_tui.services.handover import Handover
from webcare_tui.services.inbox_status import InboxStatus
from webcare_tui.services.presence import Presence
from webcare_tui.services.thread_actions import ThreadActions
from webcare_tui.services.thread_loader import ThreadLoader
from webcare_tui.services.triage import TriageQueue
from webcare_tui.store import Store

if TYPE_CHECKING:
    from webcare_tui.services.insights import Reports
    from webcare_tui.services.outbox import Outbox
    from webcare_tui.services.poller import Poller, PollOutcome


class Workspace:
    """One agent's view of one team's inbox. Handles are safe to use from worker threads
    (the store gives each thread its own connection)."""

    def __init__(self, config: Config, store: Store, now: Callable[[], datetime]) -> None:
        self.config = config
        self.clock: ResponseClock = config.clock()
        self.now = now
        self.agent = config.agent
        self._store = store
        self.feed = FeedPager(store)
        self.threads = ThreadLoader(store, self.clock)
        self.actions = ThreadActions(store, self.clock, self.agent, now)
        self.drafts = Drafts(store, self.agent, now)
        names = [settings.name for settings in config.connectors]
        self.status = InboxStatus(store, self.clock, self.agent, names)
        self.deadlines = DeadlineWatch(store, self.clock)
        self.presence = Presence(store, self.agent, now)
        self.handover = Handover(store, self.agent, now)
        self.triage = TriageQueue(store, self.clock, now)
        self._outbox: Outbox | None = None
        from webcare_tui.services.escalation_desk import EscalationDesk

        self.escalations = EscalationDesk(store, config, now, lambda: self.outbox)
        self._reports: Reports | None = None

    @property
    def outbox(self) -> Outbox:
        """This agent's outbox, made when first needed: loading the draft checks costs ~100 ms,
        which the first feed rows should not wait for."""
        if self._outbox is None:
            from webcare_tui.services.outbox import Outbox

            self._outbox = Outbox(self._store, self.config, now=self.now)
        return self._outbox

    @property
    def reports(self) -> Reports:
        """The report screen's figures, made when first needed (the inbox never needs them)."""
        if self._reports is None:
            from webcare_tui.services.insights import Reports

            self._reports = Reports(self._store, self.clock)
        return self._reports

    def poller(self, on_outcome: Callable[[PollOutcome], None]) -> Poller:
        """A poller over every configured connector, reporting each round to `on_outcome`."""
        from webcare_tui.services.poller import Poller
        from webcare_tui.services.registry import build_all

        connectors = build_all(self.config.connectors, database=self._store.path, now=self.now)
        return Poller(
            self._store,
            connectors,
            self.clock,
            now=self.now,
            agent=self.agent,
            on_outcome=on_outcome,
        )

    def data_version(self) -> int:
        """Changes whenever another connection (another agent, the poller) commits."""
        return self._store.data_version()
