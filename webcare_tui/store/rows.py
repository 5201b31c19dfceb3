"""Turning SQLite rows into the core's plain values."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from webcare_tui.core.clock import ClockKind
from webcare_tui.core.model import (
    Direction,
    Event,
    Message,
    Note,
    RunningClock,
    Thread,
    ThreadState,
)
from webcare_tui.core.threads import ThreadFacts
from webcare_tui.core.timeutil import from_db

THREAD_COLUMNS = (
    "id, connector, channel, author, author_name, state, assignee, created_at, updated_at, "
    "due_at, clock_kind, clock_start, last_text, message_count, escalated_to, "
    "escalated_at, "
    "(SELECT followers FROM customers c WHERE c.connector = threads.connector "
    "AND c.handle = threads.author) AS followers"
)


def maybe_time(value: str | None) -> datetime | None:
    return from_db(value) if value else None


def facts_from_row(row: sqlite3.Row) -> ThreadFacts:
    """What the clock needs to know of a stored thread."""
    return ThreadFacts(
        channel=row["channel"],
        state=ThreadState(row["state"]),
        pending_since=maybe_time(row["pending_since"]),
        first_reply_at=maybe_time(row["first_reply_at"]),
        last_out_at=maybe_time(row["last_out_at"]),
        escalated_at=maybe_time(row["escalated_at"]),
        promise_at=maybe_time(row["promise_at"]),
    )


def thread_from_row(row: sqlite3.Row) -> Thread:
    return Thread(
        id=row["id"],
        connector=row["connector"],
        channel=row["channel"],
        author=row["author"],
        author_name=row["author_name"],
        state=ThreadState(row["state"]),
        assignee=row["assignee"],
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
        clock=running_clock_from_row(row),
        last_text=row["last_text"],
        message_count=row["message_count"],
        followers=row["followers"],
        escalated_to=row["escalated_to"] if row["state"] == ThreadState.ESCALATED else None,
        escalated_at=maybe_time(row["escalated_at"]),
    )


def running_clock_from_row(row: sqlite3.Row) -> RunningClock | None:
    """The thread's running clock; the three columns are always written together."""
    kind, start, due = row["clock_kind"], row["clock_start"], row["due_at"]
    if kind is None or start is None or due is None:
        return None
    return RunningClock(ClockKind(kind), from_db(start), from_db(due))


def message_from_row(row: sqlite3.Row) -> Message:
    return Message(
        id=row["id"],
        thread_id=row["thread_id"],
        connector=row["connector"],
        remote_id=row["remote_id"],
        direction=Direction(row["direction"]),
        author=row["author"],
        author_name=row["author_name"],
        text=row["text"],
        created_at=from_db(row["created_at"]),
        seen_at=from_db(row["seen_at"]),
        in_reply_to=row["in_reply_to"],
        url=row["url"],
        agent=row["agent"],
        is_private=bool(row["is_private"]),
    )


def event_from_row(row: sqlite3.Row) -> Event:
    return Event(
        id=row["id"],
        thread_id=row["thread_id"],
        at=from_db(row["at"]),
        actor=row["actor"],
        kind=row["kind"],
        detail=row["detail"],
    )


def note_from_row(row: sqlite3.Row) -> Note:
    return Note(
        id=row["id"],
        thread_id=row["thread_id"],
        at=from_db(row["at"]),
        author=row["author"],
        text=row["text"],
    )
