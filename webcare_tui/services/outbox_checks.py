"""What a reply is checked against before it goes in the outbox: its thread as the store has it
now, the thread's connector, the tone lists and the config. The `Outbox` is built on these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from webcare_tui.connectors.base import Connector
from webcare_tui.core.checks import DraftContext, Finding, ToneRules, blocking, check_draft
from webcare_tui.core.length import PLAIN, LengthRule
from webcare_tui.core.outbox import Override
from webcare_tui.core.sanitize import clean_text
from webcare_tui.core.timeutil import now_utc
from webcare_tui.services.drafting import says_something
from webcare_tui.services.outbox_errors import (
    ChannelCannotSend,
    DraftRefused,
    NothingToSend,
    ReasonNeeded,
    StoredPhoneInText,
)
from webcare_tui.services.phone_guard import stored_phone_in
from webcare_tui.store.store import ClaimedByOther, Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from webcare_tui.config import Config
    from webcare_tui.core.model import Thread

__all__ = ["ReplyChecks", "Review", "refuse_stored_phone"]

NO_REASON_NEEDED = frozenset({"ownership"})
"""Blocking checks `force` passes by itself: taking a thread over is on the record already."""


def refuse_stored_phone(store: Store, thread_id: int, text: str) -> None:
    if stored_phone_in(store, thread_id, text) is not None:
        raise StoredPhoneInText


@dataclass(frozen=True, slots=True)
class Review:
    """The checks' verdict on a draft, and what they were run against."""

    findings: list[Finding]
    channel_kind: str
    length_limit: int
    length: int
    private: bool

    @property
    def blocking(self) -> list[Finding]:
        return blocking(self.findings)


@dataclass
class ReplyChecks:
    """The checks one agent's (`config.agent`) replies pass, and what they are measured by."""

    store: Store
    config: Config
    now: Callable[[], datetime] = now_utc
    connectors: dict[str, Connector] = field(default_factory=dict)
    rules: ToneRules | None = None

    @property
    def agent(self) -> str:
        return self.config.agent

    def tone_rules(self) -> ToneRules:
        """The tone lists, loaded once. Raises DataFileError (a ValueError) for a broken file."""
        if self.rules is None:
            from webcare_tui.core.checks import load_tone_rules
            from webcare_tui.paths import data_dir

            self.rules = load_tone_rules(data_dir() / "tone")
        return self.rules

    def connector(self, name: str) -> Connector | None:
        """The connector named `name`, built on first use; None if not configured or disabled."""
        if name not in self.connectors:
            settings = self.config.connector(name)
            if settings is None or not settings.enabled:
                return None
            from webcare_tui.services.registry import build_connector

            self.connectors[name] = build_connector(
                settings, database=self.store.path, now=self.now
            )
        return self.connectors[name]

    def rule_of(self, thread: Thread) -> LengthRule:
        """How replies in `thread` are counted, and the platform's stock limit (before a
        connector says its own): the rule its connector's class declares."""
        settings = self.config.connector(thread.connector)
        if settings is None:
            return PLAIN
        from webcare_tui.services.registry import connector_class

        return connector_class(settings.type).rule_for(settings)

    def kind_of(self, thread: Thread) -> str:
        return self.rule_of(thread).counting

    async def length_limit(self, thread: Thread) -> int:
        """The most characters a reply in `thread` may have; 0 when nothing can be sent there."""
        connector = self.connector(thread.connector)
        if connector is None or not connector.can_send:
            return 0
        return await connector.length_limit()

    def _is_me(self, name: str | None) -> bool:
        return bool(name) and str(name).strip().casefold() == self.agent.strip().casefold()

    def review(
        self,
        thread_id: int,
        text: str,
        *,
        length_limit: int,
        opened_at: datetime | None = None,
        private: bool | None = None,
    ) -> Review:
        """The findings for `text` as a reply in the thread, as it stands in the store now.

        "Someone else answered meanwhile" counts replies after `opened_at` (when the agent
        opened the draft) or, without it, after the customer's latest message. `private` says
        whether it goes by DM (the privacy rules do not apply); by default it goes the way the
        customer's latest message came.
        """
        thread = self.store.thread(thread_id)
        target = self.store.reply_target(thread_id)
        since = opened_at or target.answered_at
        others = [
            who for who in self.store.answered_since(thread_id, since) if not self._is_me(who)
        ]
        rule = self.rule_of(thread)
        kind = rule.counting
        text = clean_text(text)
        private = target.is_private if private is None else private
        context = DraftContext(
            text=text,
            channel_kind=kind,
            length_limit=length_limit,
            rules=self.tone_rules(),
            agent=self.agent,
            agent_initials=self.agent,
            signature=self.config.signature_text,
            private=private,
            customer_handle=thread.author,
            thread_assignee=thread.assignee,
            replied_since_opened_by=others[0] if others else None,
            thread_language=target.extra.get("lang") or None,
            contacts=tuple(getattr(self.config, "contacts", ())),
        )
        return Review(
            findings=check_draft(context),
            channel_kind=kind,
            length_limit=length_limit,
            length=rule.measure(text),
            private=private,
        )

    def vet(
        self,
        thread_id: int,
        text: str,
        *,
        length_limit: int,
        force: bool,
        reason: str | None,
        opened_at: datetime | None = None,
        private: bool | None = None,
    ) -> tuple[Review, tuple[Override, ...]]:
        """The checks every new reply passes; the blocking findings `force` sends past (one
        about the text only with a `reason`)."""
        thread = self.store.thread(thread_id)
        connector = self.connector(thread.connector)
        if connector is None:
            raise ChannelCannotSend(
                f"the connector {thread.connector!r} of thread {thread_id} is not configured "
                "or not enabled"
            )
        if not connector.can_send:
            raise ChannelCannotSend(
                f"{thread.connector} is {connector.settings.type} channel: it cannot send "
                "replies; answer the customer where they wrote"
            )
        if not says_something(text):
            raise NothingToSend("the reply says nothing yet")
        refuse_stored_phone(self.store, thread_id, text)
        if thread.assignee and not self._is_me(thread.assignee) and not force:
            raise ClaimedByOther(thread_id, thread.assignee)
        review = self.review(
            thread_id, text, length_limit=length_limit, opened_at=opened_at, private=private
        )
        stopping = review.blocking
        if stopping and not force:
            raise DraftRefused(review.findings)
        if self.needs_reason(review.findings) and not (reason or "").strip():
            raise ReasonNeeded(review.findings)
        return review, tuple(Override(f.code, f.message) for f in stopping)

    @staticmethod
    def needs_reason(findings: list[Finding]) -> bool:
        """Whether sending past `findings` takes a reason: any blocking check about the text."""
        return any(f.code not in NO_REASON_NEEDED for f in blocking(findings))

    @property
    def four_eyes(self) -> bool:
        """`[replies] override = "second-agent"`: a blocked reply waits for a colleague."""
        return getattr(self.config, "override_mode", "reason") == "second-agent"
