"""The outbox's SQL, run by the Store inside its own short transactions.

Every function here takes an open connection and is called by a `Store` method that holds a
`BEGIN IMMEDIATE` transaction, so each state change is atomic against every other process: a
claim and an undo can never both win, and two processes never claim one item.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.model import Direction, IncomingMessage
from webcare_tui.core.outbox import PENDING, OutboxItem, Override
from webcare_tui.core.timeutil import from_db, to_db
from webcare_tui.store.base import OutboxItemNotFound
from webcare_tui.store.rows import from_columns

__all__ = [
    "ReplyTarget",
    "answered_since",
    "anything_due",
    "claim_due",
    "claim_is_over",
    "item_by_id",
    "item_from_row",
    "last_answer",
    "override_json",
    "pending_items",
    "reply_target",
    "sent_message",
    "take",
]


@dataclass(frozen=True, slots=True)
class ReplyTarget:
    """What a reply answers: the thread's first message, the customer's latest message and
    what the connector stored with it (URIs, CIDs, visibility), and who the customer is."""

    thread_id: int
    connector: str
    channel: str
    customer: str
    root: str
    in_reply_to: str
    answered_at: datetime
    is_private: bool
    extra: dict[str, str]


def override_json(override: tuple[Override, ...]) -> str | None:
    if not override:
        return None
    return json.dumps([{"code": o.code, "message": o.message} for o in override])


def _override(value: str | None) -> tuple[Override, ...]:
    if not value:
        return ()
    try:
        raw = json.loads(value)
    except ValueError:
        return ()
    if not isinstance(raw, list):
        return ()
    return tuple(
        Override(str(entry.get("code", "")), str(entry.get("message", "")))
        for entry in raw
        if isinstance(entry, dict)
    )


def item_from_row(row: sqlite3.Row) -> OutboxItem:
    return from_columns(OutboxItem, row, override=_override(row["override"]))


def anything_due(conn: sqlite3.Connection, now: datetime) -> bool:
    """A cheap read before `claim_due`: the TUI asks every second, and a write transaction
    each time would make every agent's TUI queue for the database lock for nothing."""
    stamp = to_db(now)
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'sending' "
        "OR (state = 'queued' AND send_after <= ?) "
        "OR (state IN ('failed', 'unconfirmed') AND retry_at IS NOT NULL AND retry_at <= ?))",
        (stamp, stamp),
    ).fetchone()
    return bool(row[0])


def claim_due(
    conn: sqlite3.Connection,
    *,
    now: datetime,
    holder: str,
    stale_before: datetime,
    is_dead: Callable[[str], bool],
    item_id: int | None = None,
) -> OutboxItem | None:
    """Move the next due item to `sending` for `holder` and return it, or None.

    Due: queued with its undo window over; failed or unconfirmed with its `retry_at` passed; or
    sending for a holder that died (`is_dead`) or whose claim is older than `stale_before`. The
    last case is the crash recovery: the item is sent again under the same idempotency key.

    With `item_id`, only that item, and a queued or unconfirmed one at once: the CLI sends its
    reply now (or resumes it), and the window only covers its process dying before it could.
    """
    stamp = to_db(now)
    if item_id is None:
        row = conn.execute(
            "SELECT * FROM outbox WHERE (state = 'queued' AND send_after <= ?) OR "
            "(state IN ('failed', 'unconfirmed') AND retry_at IS NOT NULL AND retry_at <= ?) "
            "ORDER BY send_after, id LIMIT 1",
            (stamp, stamp),
        ).fetchone()
        candidates = "SELECT * FROM outbox WHERE state = 'sending' ORDER BY claimed_at, id"
        extra: tuple[object, ...] = ()
    else:
        row = conn.execute(
            "SELECT * FROM outbox WHERE id = ? AND (state IN ('queued', 'unconfirmed') OR "
            "(state = 'failed' AND retry_at IS NOT NULL AND retry_at <= ?))",
            (item_id, stamp),
        ).fetchone()
        candidates = "SELECT * FROM outbox WHERE state = 'sending' AND id = ?"
        extra = (item_id,)
    if row is None:
        for candidate in conn.execute(candidates, extra):
            if claim_is_over(item_from_row(candidate), stale_before, is_dead):
                row = candidate
                break
    if row is None:
        return None
    return take(conn, int(row["id"]), holder=holder, now=now)


def claim_is_over(item: OutboxItem, stale_before: datetime, is_dead: Callable[[str], bool]) -> bool:
    """Whether a `sending` item's holder is gone: dead on this host, or silent for too long."""
    claimed_at = item.claimed_at
    return claimed_at is None or claimed_at <= stale_before or is_dead(item.claimed_by or "")


def take(conn: sqlite3.Connection, item_id: int, *, holder: str, now: datetime) -> OutboxItem:
    """Claim item `item_id` for `holder`: `sending`, one attempt more. The caller checked it may."""
    conn.execute(
        "UPDATE outbox SET state = 'sending', claimed_by = ?, claimed_at = ?, "
        "attempts = attempts + 1, retry_at = NULL WHERE id = ?",
        (holder, to_db(now), item_id),
    )
    return item_by_id(conn, item_id)


def item_by_id(conn: sqlite3.Connection, item_id: int) -> OutboxItem:
    """Outbox item `item_id`; OutboxItemNotFound when there is none."""
    row = conn.execute("SELECT * FROM outbox WHERE id = ?", (item_id,)).fetchone()
    if row is None:
        raise OutboxItemNotFound(f"there is no outbox item {item_id}")
    return item_from_row(row)


def pending_items(conn: sqlite3.Connection, thread_id: int) -> list[OutboxItem]:
    """The thread's replies that may still go out, oldest first."""
    states = ", ".join(f"'{state.value}'" for state in PENDING)
    rows = conn.execute(
        f"SELECT * FROM outbox WHERE thread_id = ? AND state IN ({states}) ORDER BY id",
        (thread_id,),
    ).fetchall()
    return [item_from_row(row) for row in rows]


def last_answer(conn: sqlite3.Connection, thread_id: int) -> tuple[str, datetime] | None:
    """Who answered the customer's latest message, and when; None while it waits for us."""
    row = conn.execute(
        "SELECT direction, COALESCE(agent, author) AS who, created_at "
        "FROM messages WHERE thread_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        (thread_id,),
    ).fetchone()
    if row is None or row["direction"] != Direction.OUT.value:
        return None
    return str(row["who"]), from_db(row["created_at"])


def reply_target(conn: sqlite3.Connection, thread_id: int) -> ReplyTarget | None:
    """What a reply to thread `thread_id` answers; None when there is no such thread."""
    thread = conn.execute(
        "SELECT id, connector, channel, author, root_remote_id, created_at FROM threads "
        "WHERE id = ?",
        (thread_id,),
    ).fetchone()
    if thread is None:
        return None
    # The customer's latest message; a thread that somehow has none answers its first message.
    message = conn.execute(
        "SELECT remote_id, created_at, is_private, extra FROM messages "
        "WHERE thread_id = ? ORDER BY direction = 'in' DESC, created_at DESC, id DESC LIMIT 1",
        (thread_id,),
    ).fetchone()
    try:
        extra = json.loads(message["extra"]) if message else {}
    except ValueError:
        extra = {}
    return ReplyTarget(
        thread_id=thread["id"],
        connector=thread["connector"],
        channel=thread["channel"],
        customer=thread["author"],
        root=thread["root_remote_id"],
        in_reply_to=message["remote_id"] if message else thread["root_remote_id"],
        answered_at=from_db(message["created_at"] if message else thread["created_at"]),
        is_private=bool(message["is_private"]) if message else False,
        extra={str(k): str(v) for k, v in extra.items()} if isinstance(extra, dict) else {},
    )


def answered_since(conn: sqlite3.Connection, thread_id: int, since: datetime) -> list[str]:
    """Who answered the thread after `since`: senders of our replies, and of replies still in
    the outbox (another agent's reply in its undo window counts: it is about to go out)."""
    stamp = to_db(since)
    rows = conn.execute(
        "SELECT COALESCE(agent, author) AS who, created_at FROM messages "
        "WHERE thread_id = ? AND direction = 'out' AND created_at > ? "
        "UNION ALL SELECT agent AS who, created_at FROM outbox "
        "WHERE thread_id = ? AND state IN ('queued', 'sending', 'sent') AND created_at > ? "
        "ORDER BY created_at",
        (thread_id, stamp, thread_id, stamp),
    ).fetchall()
    return list(dict.fromkeys(str(row["who"]) for row in rows))


def sent_message(
    conn: sqlite3.Connection,
    item: OutboxItem,
    target: ReplyTarget,
    *,
    remote_id: str,
    url: str | None,
    created_at: datetime,
) -> IncomingMessage:
    """The sent reply as a message of its thread, to store through the ingest path."""
    # Our own account's handle, as the connector wrote it on earlier replies; else its name.
    brand = conn.execute(
        "SELECT author, author_name FROM messages WHERE connector = ? AND direction = 'out' "
        "ORDER BY id DESC LIMIT 1",
        (target.connector,),
    ).fetchone()
    extra = {"agent": item.agent, "outbox_id": str(item.id)}
    if item.override:
        extra["override"] = override_json(item.override) or ""
    return IncomingMessage(
        remote_id=remote_id,
        author=brand["author"] if brand else target.connector,
        author_name=brand["author_name"] if brand else None,
        text=item.text,
        # Never before the message it answers: the platform's clock and ours may disagree, and
        # a reply dated before the question would not stop the response clock.
        created_at=max(created_at, target.answered_at),
        direction=Direction.OUT,
        in_reply_to=target.in_reply_to,
        url=url,
        is_private=item.private,
        extra=extra,
    )
