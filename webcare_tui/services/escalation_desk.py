"""What the TUI's escalation keys work with: escalate, note, resolve, calls, escalations.

A narrow handle onto the store for the screens (`e`, `n`, `x`, `c`, `E`), sharing its rules
with the CLI through `services.escalation`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from webcare_tui.config import Config
from webcare_tui.core.clock import Countdown
from webcare_tui.core.model import Thread, ThreadState
from webcare_tui.core.promise import parse_promise
from webcare_tui.services.callbacks import callback_countdown
from webcare_tui.services.escalation import (
    DmTexts,
    EscalationRefused,
    dm_texts,
    escalate_phone,
    escalate_team,
    queue_dm_now,
)
from webcare_tui.store import Store
from webcare_tui.store.base import FeedFilter
from webcare_tui.store.callbacks import Callback

if TYPE_CHECKING:
    from webcare_tui.services.outbox import Outbox

__all__ = ["CallRow", "EscalationDesk", "EscalationRefused", "EscalationRow", "where_label"]


def where_label(to: str | None) -> str:
    """How the feed and the thread header name where a thread sits."""
    if not to:
        return ""
    if to == "dm":
        return "DM"
    return to.removeprefix("team:")


@dataclass(frozen=True, slots=True)
class CallRow:
    """A call to make, with its countdown at the moment it was read."""

    callback: Callback
    countdown: Countdown


@dataclass(frozen=True, slots=True)
class EscalationRow:
    """An escalated thread: where it sits, since when, who holds it, our last update."""

    thread: Thread
    countdown: Countdown | None
    last_update: datetime | None


class EscalationDesk:
    """One agent's escalation moves. Each raises StoreError or EscalationRefused (a ValueError)
    with a one-line reason when refused."""

    def __init__(
        self,
        store: Store,
        config: Config,
        now: Callable[[], datetime],
        outbox: Callable[[], Outbox],
    ) -> None:
        self._store = store
        self._config = config
        self._now = now
        self._outbox = outbox
        self.agent = config.agent

    @property
    def teams(self) -> tuple[str, ...]:
        return self._config.escalation_teams

    def parse_time(self, text: str, thread_id: int) -> datetime | None:
        """An agent's `vandaag nog`, `vrijdag`, `16:00` or ISO time; None for nothing typed."""
        if not text.strip():
            return None
        channel = self._store.thread(thread_id).channel
        try:
            return parse_promise(text, now=self._now(), clock=self._config.clock(), channel=channel)
        except ValueError as error:
            raise EscalationRefused(str(error)) from None

    def to_team(self, thread_id: int, team: str, note: str) -> None:
        escalate_team(self._store, self._config, thread_id, team, note=note, now=self._now())

    def to_phone(self, thread_id: int, phone: str, call_at: str, note: str) -> int:
        if sum(c.isdecimal() for c in phone) < 6:
            raise EscalationRefused("type the customer's phone number")
        when = self.parse_time(call_at, thread_id)
        return escalate_phone(
            self._store, self._config, thread_id, phone, call_at=when, note=note, now=self._now()
        )

    def dm_texts(self, thread_id: int) -> DmTexts:
        return dm_texts(self._store.thread(thread_id), self._config)

    async def dm_length_limit(self, thread_id: int) -> int:
        """The channel's length limit, asked of its connector (on the app's event loop)."""
        return await self._outbox().length_limit(self._store.thread(thread_id))

    def to_dm(self, thread_id: int, texts: DmTexts, length_limit: int) -> None:
        """Queue both texts (sent after the undo window, like any reply) and escalate."""
        queue_dm_now(self._outbox(), thread_id, texts, length_limit=length_limit)

    def promise(self, thread_id: int, text: str) -> None:
        self._store.set_promise(
            thread_id,
            self.parse_time(text, thread_id),
            actor=self.agent,
            now=self._now(),
            clock=self._config.clock(),
        )

    def note(self, thread_id: int, text: str) -> None:
        self._store.add_note(thread_id, text, author=self.agent, now=self._now())

    def resolve(
        self, thread_id: int, outcome: str, tags: tuple[str, ...], *, over_colleague: str = ""
    ) -> None:
        """Resolve with `outcome` and `tags`; a colleague's thread only with `over_colleague`,
        a reason for closing their thread (recorded, and they are told), as the CLI's
        --colleague-reason."""
        tags = tuple(dict.fromkeys(tag.strip().lstrip("#").lower() for tag in tags))
        unknown = [tag for tag in tags if tag not in {t.lower() for t in self._config.tags}]
        if unknown:
            known = ", ".join(self._config.tags) or "none configured"
            raise EscalationRefused(f"no tag {unknown[0]!r} (tags: {known})")
        from webcare_tui.services.handover import check_colleague_thread

        check_colleague_thread(
            self._store,
            thread_id,
            self.agent,
            reason=over_colleague,
            what="resolved",
            now=self._now(),
        )
        self._store.resolve(
            thread_id, actor=self.agent, now=self._now(), outcome=outcome, tags=tags
        )

    def calls(self, now: datetime) -> list[CallRow]:
        """Calls to make, soonest first, each with its own countdown."""
        clock = self._config.clock()
        return [CallRow(c, callback_countdown(c, clock, now)) for c in self._store.callbacks()]

    def call_done(self, callback_id: int, outcome: str) -> None:
        self._store.complete_callback(
            callback_id,
            outcome=outcome,
            actor=self.agent,
            now=self._now(),
            clock=self._config.clock(),
        )

    def escalations(self, now: datetime) -> list[EscalationRow]:
        """Every escalated thread, by follow-up due."""
        clock = self._config.clock()
        threads = self._store.feed_slice(FeedFilter(state=ThreadState.ESCALATED), 0, 500)
        updated = self._store.last_reply_times([t.id for t in threads])
        rows = []
        for thread in threads:
            countdown = (
                clock.countdown(thread.channel, thread.clock.kind, now, thread.clock.due_at)
                if thread.clock
                else None
            )
            rows.append(EscalationRow(thread, countdown, updated.get(thread.id)))
        return rows
