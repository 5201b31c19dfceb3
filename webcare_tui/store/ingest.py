"""Storing a batch of incoming messages: idempotent, threaded, with the clocks set.

One batch is one transaction. Lookups are done per batch rather than per message so that a
backfill of 100k mentions stays close to raw insert speed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.incoming import BadItem, checked_message, shown_id
from webcare_tui.core.model import Direction, IncomingMessage, ThreadState
from webcare_tui.core.sanitize import first_line
from webcare_tui.core.threads import ThreadFacts, after_message, running_clock
from webcare_tui.core.timeutil import from_db, to_db, utc
from webcare_tui.store.base import chunks, sort_key
from webcare_tui.store.customers import BatchCustomers
from webcare_tui.store.orphans import drop_all_merged, find_orphans, keep_apart, move_all_into
from webcare_tui.store.priorities import unscore
from webcare_tui.store.rows import facts_from_row

_PAUSED = (ThreadState.REPLIED, ThreadState.RESOLVED, ThreadState.SNOOZED)


@dataclass(slots=True)
class _BatchThread:
    """A thread as this batch changes it, written back once at the end of the batch."""

    id: int
    is_new: bool
    connector: str
    channel: str
    root_remote_id: str
    author: str
    author_name: str | None
    assignee: str | None
    created_at: str
    updated_at: str
    facts: ThreadFacts
    escalated_to: str | None = None
    last_text: str = ""
    message_count: int = 0
    reopened: bool = False
    waiting_for: str | None = None  # the parent a first message answers, not stored yet
    last_in_at: str | None = None  # when the customer message in `last_text` was written
    # An answer of ours arrived that is older than a customer message already here: it does
    # not answer that one, and which customer message is still waiting needs the database.
    unsure_pending: bool = False

    def add(self, direction: Direction, created: datetime, created_db: str, text: str) -> None:
        """Fold one of the thread's messages into its facts, count and feed line."""
        before = self.facts.state
        if direction is Direction.OUT and self.last_in_at and created_db < self.last_in_at:
            self.unsure_pending = True
        self.facts = after_message(self.facts, direction, created)
        if before in _PAUSED and self.facts.state is ThreadState.OPEN:
            self.reopened = True
        self.message_count += 1
        if created_db > self.updated_at:
            self.updated_at = created_db
        if direction is Direction.IN and (self.last_in_at is None or created_db >= self.last_in_at):
            self.last_in_at = created_db
            self.last_text = first_line(text)


@dataclass(slots=True)
class IngestResult:
    """What a batch changed: new messages, threads created, reopened and merged.

    `skipped` counts messages stored already (or twice in the batch); `rejected` the ones that
    could not be stored at all, as (id as shown, why); `arrived` the ids stored by this batch.
    """

    new_messages: int = 0
    new_threads: list[int] = field(default_factory=list)
    reopened_threads: list[int] = field(default_factory=list)
    merged_threads: list[int] = field(default_factory=list)
    skipped: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    arrived: list[str] = field(default_factory=list)


def _known_remote_ids(
    conn: sqlite3.Connection, connector: str, ids: Sequence[str]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(ids):
        marks = ",".join("?" * len(chunk))
        for remote_id, thread_id in conn.execute(
            "SELECT remote_id, thread_id FROM messages "
            f"WHERE connector = ? AND remote_id IN ({marks})",
            (connector, *chunk),
        ):
            found[remote_id] = thread_id
    return found


def _load_threads(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, _BatchThread]:
    loaded: dict[int, _BatchThread] = {}
    id_list = [str(i) for i in set(ids)]
    for chunk in chunks(id_list):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT * FROM threads WHERE id IN ({marks})", tuple(chunk)):
            loaded[row["id"]] = _BatchThread(
                id=row["id"],
                is_new=False,
                connector=row["connector"],
                channel=row["channel"],
                root_remote_id=row["root_remote_id"],
                author=row["author"],
                author_name=row["author_name"],
                assignee=row["assignee"],
                created_at=row["created_at"],
                updated_at=row["updated_at"],
                escalated_to=row["escalated_to"],
                last_text=row["last_text"],
                message_count=row["message_count"],
                facts=facts_from_row(row),
                last_in_at=row["last_in_at"],
            )
    return loaded


def _parents_first(messages: list[IncomingMessage]) -> list[IncomingMessage]:
    """Keep time order, but put a message after the one it answers even when the clocks of
    two servers disagree about which was written first."""
    by_id = {m.remote_id: m for m in messages}
    placed: set[str] = set()
    ordered: list[IncomingMessage] = []
    for message in messages:
        chain: list[IncomingMessage] = []
        current: IncomingMessage | None = message
        while current is not None and current.remote_id not in placed:
            chain.append(current)
            placed.add(current.remote_id)
            parent = current.in_reply_to
            current = by_id.get(parent) if parent else None
        ordered.extend(reversed(chain))
    return ordered


class _Stamps(dict[datetime, str]):
    """Stored text of each time, made once: a thread's facts reuse its messages' times."""

    def __missing__(self, moment: datetime) -> str:
        text = self[moment] = to_db(moment)
        return text


def ingest_batch(
    conn: sqlite3.Connection,
    *,
    connector: str,
    channel: str,
    messages: Sequence[IncomingMessage],
    clock: ResponseClock,
    seen_at: datetime,
    checked: bool = False,
) -> IngestResult:
    """Store `messages` inside the caller's open transaction. Already stored ones are skipped;
    one that cannot be stored is left out, and named in `rejected`, without failing the rest.
    `checked` says every message comes from `checked_message` already (the importer checks
    each line to report it by number), so it is not checked twice."""
    result = IngestResult()
    messages = list(messages) if checked else _storable(messages, seen_at, result.rejected)
    created_of = {id(m): utc(m.created_at) for m in messages}
    ordered = _parents_first(sorted(messages, key=lambda m: (created_of[id(m)], m.remote_id)))
    result.skipped += len(messages) - len(ordered)  # the same id twice in this batch
    known = _known_remote_ids(conn, connector, [m.remote_id for m in ordered])
    parents_wanted = [
        m.in_reply_to for m in ordered if m.in_reply_to and m.in_reply_to not in known
    ]
    known.update(_known_remote_ids(conn, connector, parents_wanted))
    stored_ids = set(known)
    threads = _load_threads(conn, known.values())
    next_id = (conn.execute("SELECT COALESCE(MAX(id), 0) FROM threads").fetchone()[0]) + 1
    seen = to_db(seen_at)
    stamps = _Stamps()
    message_rows: list[tuple[object, ...]] = []
    customers = BatchCustomers()
    touched_ids: dict[int, None] = {}
    arrived = result.arrived

    for incoming in ordered:
        remote_id = incoming.remote_id
        if remote_id in stored_ids:
            result.skipped += 1
            continue
        stored_ids.add(remote_id)
        arrived.append(remote_id)
        created = created_of[id(incoming)]
        created_db = stamps[created]
        author, author_name, text = incoming.author, incoming.author_name, incoming.text
        direction = incoming.direction
        parent = incoming.in_reply_to
        thread_id = known.get(parent) if parent else None
        if thread_id is None:
            thread_id = next_id
            next_id += 1
            draft = threads[thread_id] = _BatchThread(
                id=thread_id,
                is_new=True,
                connector=connector,
                channel=channel,
                root_remote_id=remote_id,
                author=author,
                author_name=author_name,
                assignee=None,
                created_at=created_db,
                updated_at=created_db,
                facts=ThreadFacts(channel=channel, state=ThreadState.OPEN),
                waiting_for=parent,
            )
            result.new_threads.append(thread_id)
        else:
            draft = threads[thread_id]
        known[remote_id] = thread_id
        touched_ids[thread_id] = None
        draft.add(direction, created, created_db, text)
        if direction is Direction.IN:
            if author_name and author == draft.author:
                draft.author_name = author_name
            customers.add(author, created_db, author_name, incoming.followers)
        extra = incoming.extra
        message_rows.append(
            (
                thread_id,
                connector,
                remote_id,
                direction,
                author,
                author_name,
                text,
                created_db,
                seen,
                parent,
                incoming.url,
                extra.get("agent") or None if extra else None,
                int(incoming.is_private),
                json.dumps(dict(extra), ensure_ascii=False) if extra else "{}",
            )
        )
    result.new_messages = len(message_rows)

    touched = [threads[tid] for tid in touched_ids]
    _write_threads(conn, touched, clock, seen, stamps)
    conn.executemany(
        "INSERT INTO messages (thread_id, connector, remote_id, direction, author, author_name, "
        "text, created_at, seen_at, in_reply_to, url, agent, is_private, extra) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        message_rows,
    )
    since = to_db(min(created_of.values())) if created_of else seen
    unscore(conn, connector, touched_ids, since, customers.followers())
    customers.write(conn, connector, seen)
    result.reopened_threads = [t.id for t in touched if t.reopened]
    unsure = [t for t in touched if t.unsure_pending]
    if unsure:
        _settle_pending(conn, unsure)
        for draft in unsure:  # written once already, reopening said then
            draft.is_new = draft.reopened = False
        _write_threads(conn, unsure, clock, seen, stamps)
    result.merged_threads = _adopt_orphans(conn, connector, arrived, known, clock, seen, stamps)
    return result


def _storable(
    messages: Sequence[IncomingMessage], seen_at: datetime, rejected: list[tuple[str, str]]
) -> list[IncomingMessage]:
    """The messages that can be stored, cleaned; the others go to `rejected` with a reason."""
    good: list[IncomingMessage] = []
    for message in messages:
        try:
            good.append(checked_message(message, seen_at))
        except BadItem as error:
            rejected.append((shown_id(message.remote_id), str(error)))
    return good


def _adopt_orphans(
    conn: sqlite3.Connection,
    connector: str,
    arrived: Sequence[str],
    known: dict[str, int],
    clock: ResponseClock,
    seen: str,
    stamps: _Stamps,
) -> list[int]:
    """Threads waiting for a message that just arrived join its thread (see `orphans`).

    Runs once the batch is written, so every row it moves or folds is in the database. All
    merges of the batch are done together: a backfill can bring thousands.
    Returns the threads merged away.
    """
    merged_into: dict[int, int] = {}
    for orphan in find_orphans(conn, connector, arrived):
        target = known.get(orphan.parent_remote_id)
        while target in merged_into:  # the parent's thread itself joined another just now
            target = merged_into[target]
        if target is None or target == orphan.thread_id:
            continue
        if not orphan.mergeable:
            keep_apart(conn, orphan.thread_id, target, seen)
            continue
        merged_into[orphan.thread_id] = target
    if not merged_into:
        return []
    moves = []
    for orphan_id, target in merged_into.items():
        while target in merged_into:  # a thread that joined one that joined another later
            target = merged_into[target]
        moves.append((orphan_id, target))
    moved = move_all_into(conn, moves)
    drafts = _load_threads(conn, moved)
    for target, messages in moved.items():
        draft = drafts[target]
        for direction, created_db, text in messages:
            draft.add(direction, from_db(created_db), created_db, text)
    unsure = [d for d in drafts.values() if d.unsure_pending]
    _settle_pending(conn, unsure)
    for draft in unsure:
        draft.reopened = False  # as when each merge was written on its own
    drop_all_merged(conn, moves, seen)
    _write_threads(conn, list(drafts.values()), clock, seen, stamps)
    return list(merged_into)


def _settle_pending(conn: sqlite3.Connection, drafts: Sequence[_BatchThread]) -> None:
    """What the clock waits on once the threads' messages are all stored: the oldest customer
    message after our latest answer, as if every message had arrived in order. Call with the
    messages stored; the next write of the drafts stores the result."""
    oldest: dict[int, str] = {}
    for chunk in chunks([str(d.id) for d in drafts]):
        marks = ",".join("?" * len(chunk))
        oldest.update(
            conn.execute(
                "SELECT thread_id, MIN(created_at) FROM messages m "
                f"WHERE thread_id IN ({marks}) AND direction = 'in' "
                "AND created_at > (SELECT MAX(created_at) FROM messages "
                "WHERE thread_id = m.thread_id AND direction = 'out') GROUP BY thread_id",
                tuple(chunk),
            ).fetchall()
        )
    for draft in drafts:
        draft.unsure_pending = False
        if draft.id not in oldest:
            continue
        facts = draft.facts
        state = ThreadState.OPEN if facts.state is ThreadState.REPLIED else facts.state
        draft.facts = replace(facts, pending_since=from_db(oldest[draft.id]), state=state)


def _write_threads(
    conn: sqlite3.Connection,
    drafts: Sequence[_BatchThread],
    clock: ResponseClock,
    seen: str,
    stamps: _Stamps,
) -> None:
    inserts: list[tuple[object, ...]] = []
    updates: list[tuple[object, ...]] = []
    events: list[tuple[object, ...]] = []
    for draft in drafts:
        facts = draft.facts
        running = running_clock(facts, clock)
        if running is None:
            kind = start = due = None
        else:
            kind, start, due = running.kind, stamps[running.start], to_db(running.due_at)
        state = facts.state
        pending, first_reply, last_out = (
            facts.pending_since,
            facts.first_reply_at,
            facts.last_out_at,
        )
        values = (
            state,
            draft.author_name,
            draft.updated_at,
            stamps[pending] if pending else None,
            stamps[first_reply] if first_reply else None,
            stamps[last_out] if last_out else None,
            kind,
            start,
            due,
            int(state.is_active),
            sort_key(due, draft.updated_at),
            draft.last_text,
            draft.message_count,
            draft.last_in_at,
        )
        if draft.is_new:
            inserts.append(
                (
                    draft.id,
                    draft.connector,
                    draft.channel,
                    draft.root_remote_id,
                    draft.author,
                    draft.created_at,
                    draft.waiting_for,
                    *values,
                )
            )
        else:
            updates.append((*values, draft.id))
        if draft.reopened:
            events.append((draft.id, seen, "customer", "reopened", "the customer wrote again"))
    conn.executemany(
        "INSERT INTO threads (id, connector, channel, root_remote_id, author, created_at, "
        "waiting_for, state, author_name, updated_at, pending_since, first_reply_at, "
        "last_out_at, clock_kind, clock_start, due_at, active, sort_key, last_text, "
        "message_count, last_in_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        inserts,
    )
    conn.executemany(
        "UPDATE threads SET state = ?, author_name = ?, updated_at = ?, pending_since = ?, "
        "first_reply_at = ?, last_out_at = ?, clock_kind = ?, clock_start = ?, due_at = ?, "
        "active = ?, sort_key = ?, last_text = ?, message_count = ?, last_in_at = ? "
        "WHERE id = ?",
        updates,
    )
    conn.executemany(
        "INSERT INTO events (thread_id, at, actor, kind, detail) VALUES (?, ?, ?, ?, ?)", events
    )
