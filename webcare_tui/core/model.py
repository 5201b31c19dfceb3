"""Plain values the whole application passes around."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from webcare_tui.core.clock import ClockKind


class ThreadState(StrEnum):
    """Where a thread stands. Only `open` and `escalated` run a clock against the team."""

    OPEN = "open"
    REPLIED = "replied"
    ESCALATED = "escalated"
    SNOOZED = "snoozed"
    RESOLVED = "resolved"
    IGNORED = "ignored"

    @property
    def is_active(self) -> bool:
        """Shown in the feed by default: not resolved, ignored or snoozed (a snoozed thread
        comes back at its time or with the customer's next message)."""
        return self not in (ThreadState.RESOLVED, ThreadState.IGNORED, ThreadState.SNOOZED)


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One message as a connector (or an import file) hands it over.

    `remote_id` is the platform's own id, unique within one connector. `created_at` is when the
    author wrote it (timezone aware). `in_reply_to` names another message's `remote_id`.
    `extra` holds platform details the connector needs again to reply (URIs, CIDs, visibility).
    """

    remote_id: str
    author: str
    text: str
    created_at: datetime
    direction: Direction = Direction.IN
    in_reply_to: str | None = None
    url: str | None = None
    author_name: str | None = None
    followers: int | None = None
    is_private: bool = False
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Message:
    """A stored message of a thread."""

    id: int
    thread_id: int
    connector: str
    remote_id: str
    direction: Direction
    author: str
    author_name: str | None
    text: str
    created_at: datetime
    seen_at: datetime
    in_reply_to: str | None = None
    url: str | None = None
    agent: str | None = None
    is_private: bool = False


@dataclass(frozen=True, slots=True)
class RunningClock:
    """The promise that runs against the team on a thread: which one (`kind`), counted from
    `start`, due at `due_at`. A thread that owes nothing has no running clock."""

    kind: ClockKind
    start: datetime
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Thread:
    """A conversation with one customer on one connector, as the feed lists it."""

    id: int
    connector: str
    channel: str
    author: str
    author_name: str | None
    state: ThreadState
    assignee: str | None
    created_at: datetime
    updated_at: datetime
    clock: RunningClock | None
    last_text: str
    message_count: int
    followers: int | None = None
    escalated_to: str | None = None
    """Where an escalated thread sits: `phone`, `dm` or `team:NAME`; None otherwise."""
    escalated_at: datetime | None = None

    @property
    def due_at(self) -> datetime | None:
        """When the running clock is due; None when nothing is owed."""
        return self.clock.due_at if self.clock is not None else None


@dataclass(frozen=True, slots=True)
class Event:
    """One line of a thread's append-only history: who did what, when."""

    id: int
    thread_id: int
    at: datetime
    actor: str
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class Note:
    """An internal note an agent wrote on a thread; never sent to the customer."""

    id: int
    thread_id: int
    at: datetime
    author: str
    text: str


@dataclass(frozen=True, slots=True)
class Customer:
    """Who the customer is, as far as one connector tells us."""

    connector: str
    handle: str
    name: str | None
    followers: int | None
    thread_ids: tuple[int, ...]
