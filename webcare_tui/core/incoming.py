"""One stranger's item at a time: is it a message we can store, and what is it once cleaned.

Every connector and the importer hand over `IncomingMessage`s built from what a server or a
file said. A single one that cannot be stored (a time in year 1, a follower count SQLite cannot
hold, a text that is not a string) must not take the rest of its page down with it: it is
refused here, with a reason, and the others go on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from webcare_tui.core.model import Direction, IncomingMessage
from webcare_tui.core.sanitize import clean_line, clean_text, cut

__all__ = ["EARLIEST", "MAX_ID_CHARS", "MAX_TEXT", "BadItem", "checked_message", "shown_id"]

# No platform we read is older; a time before this is a server's or an export's bug.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
# Clocks disagree a little; a message from further ahead would stall its thread's clock.
MAX_AHEAD = timedelta(days=1)
MAX_TEXT = 1_000_000
MAX_ID_CHARS = 1000
_MAX_INT = 2**63 - 1  # SQLite's INTEGER


class BadItem(ValueError):
    """An item that cannot be stored; the message says why, for the agent who reads it."""


def shown_id(value: object, width: int = 120) -> str:
    """An id as it may be shown: cleaned, cut short, `(no id)` when there is none."""
    text = clean_line(value if isinstance(value, str) else repr(value) if value is not None else "")
    if not text:
        return "(no id)"
    return cut(text, width)


def _identifier(value: object, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadItem(f"{what} is missing or not a string")
    if len(value) > MAX_ID_CHARS:
        raise BadItem(f"{what} is longer than {MAX_ID_CHARS} characters")
    if clean_line(value) != value:
        # Cleaning an id would change it: two ids could become one, a reply could go astray.
        raise BadItem(f"{what} holds control or invisible characters")
    return value


def _optional_line(value: object, what: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadItem(f"{what} is not a string")
    return clean_line(value) or None


def checked_message(message: IncomingMessage, now: datetime) -> IncomingMessage:
    """`message` with every text field cleaned, or `BadItem` saying why it cannot be stored.

    `now` is when it was received: a `created_at` more than a day after it, or before 2000,
    is refused rather than stored (it would stall or overflow the response clock).
    """
    remote_id = _identifier(message.remote_id, "the id")
    in_reply_to = message.in_reply_to
    if in_reply_to is not None:
        in_reply_to = _identifier(in_reply_to, "in_reply_to")
    if not isinstance(message.text, str):
        raise BadItem("the text is not a string")
    if len(message.text) > MAX_TEXT:
        raise BadItem(f"the text is longer than {MAX_TEXT} characters")
    if not isinstance(message.author, str):
        raise BadItem("the author is not a string")
    created = message.created_at
    if not isinstance(created, datetime):
        raise BadItem("created_at is not a time")
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    try:
        created = created.astimezone(UTC)
        latest = now + MAX_AHEAD
    except OverflowError:
        raise BadItem("created_at is out of range") from None
    if created < EARLIEST:
        raise BadItem(f"created_at {created:%Y-%m-%d} is before {EARLIEST:%Y}")
    if created > latest:
        raise BadItem(f"created_at {created:%Y-%m-%d} lies in the future")
    followers = message.followers
    if followers is not None and (
        type(followers) is not int or not 0 <= followers <= _MAX_INT  # bool is not a count
    ):
        raise BadItem("the follower count is not a whole number SQLite can hold")
    if not isinstance(message.direction, Direction):
        raise BadItem("the direction is neither in nor out")
    if not isinstance(message.extra, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in message.extra.items()
    ):
        raise BadItem("the platform details are not text")
    # Built anew rather than by `dataclasses.replace`, which took a third of this check.
    return IncomingMessage(
        remote_id=remote_id,
        author=clean_line(message.author) or "unknown",
        text=clean_text(message.text),
        created_at=created,
        direction=message.direction,
        in_reply_to=in_reply_to,
        url=_optional_line(message.url, "the url"),
        author_name=_optional_line(message.author_name, "the author's name"),
        followers=followers,
        is_private=bool(message.is_private),
        extra={clean_line(k): clean_text(v) for k, v in message.extra.items()},
    )
