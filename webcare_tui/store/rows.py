"""Turning SQLite rows into the core's plain values."""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

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

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_Record = TypeVar("_Record", bound="DataclassInstance")

THREAD_COLUMNS = (
    "id, connector, channel, author, author_name, state, assignee, created_at, updated_at, "
    "due_at, clock_kind, clock_start, last_text, message_count, escalated_to, "
    "escalated_at, "
    "(SELECT followers FROM customers c WHERE c.connector = threads.connector "
    "AND c.handle = threads.author) AS followers"
)


def maybe_time(value: str | None) -> datetime | None:
    return from_db(value) if value else None


@functools.cache
def _field_names(cls: type[DataclassInstance]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def from_columns(
    cls: type[_Record],
    row: sqlite3.Row,
    convert: Mapping[str, Callable[[Any], object]],
    **given: object,
) -> _Record:
    """A `cls` whose fields are the row's columns of the same names, each through its function
    in `convert` if it has one (a time, an enum, a flag); fields that are no column are `given`.
    """
    values = {name: row[name] for name in _field_names(cls) if name not in given}
    for name, function in convert.items():
        values[name] = function(values[name])  # a KeyError names a field `cls` does not have
    return cls(**values, **given)


def facts_from_row(row: sqlite3.Row) -> ThreadFacts:
    """What the clock needs to know of a stored thread."""
    return from_columns(
        ThreadFacts,
        row,
        {
            "state": ThreadState,
            "pending_since": maybe_time,
            "first_reply_at": maybe_time,
            "last_out_at": maybe_time,
            "escalated_at": maybe_time,
            "promise_at": maybe_time,
        },
    )


def thread_from_row(row: sqlite3.Row) -> Thread:
    return from_columns(
        Thread,
        row,
        {
            "state": ThreadState,
            "created_at": from_db,
            "updated_at": from_db,
            "escalated_at": maybe_time,
        },
        clock=running_clock_from_row(row),
        escalated_to=row["escalated_to"] if row["state"] == ThreadState.ESCALATED else None,
    )


def running_clock_from_row(row: sqlite3.Row) -> RunningClock | None:
    """The thread's running clock; the three columns are always written together."""
    kind, start, due = row["clock_kind"], row["clock_start"], row["due_at"]
    if kind is None or start is None or due is None:
        return None
    return RunningClock(ClockKind(kind), from_db(start), from_db(due))


def message_from_row(row: sqlite3.Row) -> Message:
    return from_columns(
        Message,
        row,
        {"direction": Direction, "created_at": from_db, "seen_at": from_db, "is_private": bool},
    )


def event_from_row(row: sqlite3.Row) -> Event:
    return from_columns(Event, row, {"at": from_db})


def note_from_row(row: sqlite3.Row) -> Note:
    return from_columns(Note, row, {"at": from_db})
