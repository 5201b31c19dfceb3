"""Threads that began with an answer to a message that was not stored yet.

A reply can arrive before the message it answers: pages fetched out of order, a backfill
imported after the live poll ran. It then starts a thread of its own that waits for its parent
(`threads.waiting_for`). When the parent arrives, the waiting thread joins the parent's thread,
messages, events and tags, unless agents already worked on it (an assignee, an agent's event,
notes, a draft or a reply on its way): then both stay, each with an event that points at the
other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from webcare_tui.core.model import Direction
from webcare_tui.store.base import chunks

ACTOR = "webcare"


@dataclass(frozen=True, slots=True)
class Orphan:
    thread_id: int
    parent_remote_id: str
    mergeable: bool


def find_orphans(conn: sqlite3.Connection, connector: str, arrived: Sequence[str]) -> list[Orphan]:
    """The threads of `connector` waiting for one of the messages that just `arrived`."""
    found: list[Orphan] = []
    for chunk in chunks(arrived):
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT id, waiting_for, assignee IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM events WHERE thread_id = t.id "
            f"AND actor NOT IN ('customer', '{ACTOR}')) "
            "AND NOT EXISTS (SELECT 1 FROM notes WHERE thread_id = t.id) "
            "AND NOT EXISTS (SELECT 1 FROM drafts WHERE thread_id = t.id) "
            "AND NOT EXISTS (SELECT 1 FROM outbox WHERE thread_id = t.id) "
            f"FROM threads t WHERE connector = ? AND waiting_for IN ({marks}) ORDER BY id",
            (connector, *chunk),
        )
        found += [Orphan(row[0], row[1], bool(row[2])) for row in rows]
    return found


def move_all_into(
    conn: sqlite3.Connection, moves: Sequence[tuple[int, int]]
) -> dict[int, list[tuple[Direction, str, str]]]:
    """Move each orphan's messages, events and tags into its target thread, for every
    (orphan, target) pair at once; returns per target what its facts need of the messages
    that arrived (direction, stored time, text), oldest first."""
    target_of = dict(moves)
    found: list[tuple[str, int, int, Direction, str]] = []
    for chunk in chunks([str(orphan) for orphan in target_of]):
        marks = ",".join("?" * len(chunk))
        found += [
            (row[2], row[3], target_of[row[0]], Direction(row[1]), row[4])
            for row in conn.execute(
                "SELECT thread_id, direction, created_at, id, text FROM messages "
                f"WHERE thread_id IN ({marks})",
                tuple(chunk),
            )
        ]
    pairs = [(target, orphan) for orphan, target in moves]
    conn.executemany("UPDATE messages SET thread_id = ? WHERE thread_id = ?", pairs)
    conn.executemany("UPDATE events SET thread_id = ? WHERE thread_id = ?", pairs)
    # Copied, not moved: the target may have the same tag, and the orphan's go with it.
    conn.executemany(
        "INSERT OR IGNORE INTO thread_tags (thread_id, tag) "
        "SELECT ?, tag FROM thread_tags WHERE thread_id = ?",
        pairs,
    )
    moved: dict[int, list[tuple[Direction, str, str]]] = {}
    for _created, _id, target, direction, text in sorted(found, key=lambda m: m[:2]):
        moved.setdefault(target, []).append((direction, _created, text))
    return moved


def drop_all_merged(conn: sqlite3.Connection, moves: Sequence[tuple[int, int]], at: str) -> None:
    """Remove the emptied orphan threads and say so in each target's history."""
    conn.executemany("DELETE FROM threads WHERE id = ?", [(orphan,) for orphan, _ in moves])
    _say(
        conn,
        at,
        *(
            (
                target,
                "merged",
                f"thread #{orphan} joined: it began with an answer to a message here",
            )
            for orphan, target in moves
        ),
    )


def keep_apart(conn: sqlite3.Connection, orphan_id: int, target_id: int, at: str) -> None:
    """The orphan was already worked on: leave both threads, each pointing at the other."""
    conn.execute("UPDATE threads SET waiting_for = NULL WHERE id = ?", (orphan_id,))
    why = "kept apart because it was already worked on"
    there = f"the message this thread answers arrived in thread #{target_id}; {why}"
    here = f"thread #{orphan_id} answers a message here; {why}"
    _say(conn, at, (orphan_id, "related", there), (target_id, "related", here))


def _say(conn: sqlite3.Connection, at: str, *events: tuple[int, str, str]) -> None:
    """Write webcare's own events, each (thread id, kind, detail), in the threads' histories."""
    conn.executemany(
        "INSERT INTO events (thread_id, at, actor, kind, detail) VALUES (?, ?, ?, ?, ?)",
        [(thread_id, at, ACTOR, kind, detail) for thread_id, kind, detail in events],
    )
