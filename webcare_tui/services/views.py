"""Plain dict views of threads and messages, for `--json` output and reports."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import Event, Message, Note, Thread

if TYPE_CHECKING:
    from webcare_tui.services.insights import ThreadInsight


def seconds_left(thread: Thread, clock: ResponseClock, now: datetime) -> int | None:
    """Open time left until the thread is due, negative when overdue; None when nothing is owed."""
    if thread.due_at is None:
        return None
    return round(clock.open_seconds_between(thread.channel, now, thread.due_at))


def thread_view(
    thread: Thread, clock: ResponseClock, now: datetime, insight: ThreadInsight | None = None
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": thread.id,
        "channel": thread.channel,
        "connector": thread.connector,
        "author": thread.author,
        "author_name": thread.author_name,
        "state": thread.state.value,
        "assignee": thread.assignee,
        "created_at": thread.created_at.isoformat(),
        "updated_at": thread.updated_at.isoformat(),
        "due_at": thread.due_at.isoformat() if thread.due_at else None,
        "clock": thread.clock.kind.value if thread.clock else None,
        "seconds_left": seconds_left(thread, clock, now),
        "last_message": thread.last_text,
        "messages": thread.message_count,
        "followers": thread.followers,
        **({"escalated_to": thread.escalated_to} if thread.escalated_to else {}),
    }
    if insight is not None:
        view["tags"] = list(insight.tags)
        view["priority"] = insight.priority.score
        view["priority_reason"] = insight.priority.reason
    return view


def message_view(message: Message) -> dict[str, Any]:
    return {
        "id": message.id,
        "remote_id": message.remote_id,
        "direction": message.direction.value,
        "author": message.author,
        "author_name": message.author_name,
        "text": message.text,
        "created_at": message.created_at.isoformat(),
        "seen_at": message.seen_at.isoformat(),
        "in_reply_to": message.in_reply_to,
        "url": message.url,
        "agent": message.agent,
        "private": message.is_private,
    }


def event_view(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "kind": event.kind,
        "detail": event.detail,
    }


def note_view(note: Note) -> dict[str, Any]:
    return {"id": note.id, "at": note.at.isoformat(), "author": note.author, "text": note.text}
