"""Turning SQLite rows into the core's plain values."""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
import typing
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from webcare_tui.core.clock import ClockKind
from webcare_tui.core.model import (
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


Reader = Callable[[Any], object]


def _reader(hint: object) -> Reader | None:
    """How a column is read into a field of type `hint`; None: as it is (text, numbers)."""
    args = typing.get_args(hint)
    optional = type(None) in args and len(args) == 2
    base = next(a for a in args if a is not type(None)) if optional else hint
    if base is datetime:
        return maybe_time if optional else from_db
    if base is bool:
        return bool
    if isinstance(base, type) and issubclass(base, Enum):
        enum = base
        return (lambda value: None if value is None else enum(value)) if optional else enum
    return None


@functools.cache
def _readers(cls: type[DataclassInstance]) -> tuple[tuple[str, Reader | None], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _reader(hints[f.name])) for f in dataclasses.fields(cls))


def from_columns(cls: type[_Record], row: sqlite3.Row, /, **given: object) -> _Record:
    """A `cls` whose fields are read from the row's columns of the same names, each as its
    type says: a time from its stored text (None for an empty optional one), an enum from its
    value, a flag from 0 or 1. Fields that are no column, or read otherwise, are `given`."""
    values = {
        name: row[name] if read is None else read(row[name])
        for name, read in _readers(cls)
        if name not in given
    }
    return cls(**values, **given)


def facts_from_row(row: sqlite3.Row) -> ThreadFacts:
    """What the clock needs to know of a stored thread."""
    return from_columns(ThreadFacts, row)


def thread_from_row(row: sqlite3.Row) -> Thread:
    return from_columns(
        Thread,
        row,
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
    return from_columns(Message, row)


def event_from_row(row: sqlite3.Row) -> Event:
    return from_columns(Event, row)


def note_from_row(row: sqlite3.Row) -> Note:
    return from_columns(Note, row)
