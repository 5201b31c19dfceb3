"""Parsing the JSON Lines of `webcare import`: one mention per line, from a stranger's export."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from webcare_tui.core.incoming import MAX_TEXT
from webcare_tui.core.model import Direction, IncomingMessage
from webcare_tui.core.timeutil import parse_time, utc

REQUIRED = ("remote_id", "author", "text", "created_at")


def _string(obj: dict[str, Any], key: str, *, required: bool) -> str | None:
    value = obj.get(key)
    if type(value) is str and (not required or key == "text" or value.strip()):
        return value  # nearly every field of every line: no further questions
    if value is None:
        if required:
            raise ValueError(f"missing {key}")
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "remote_id":
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be a string, got {type(value).__name__}")
    if required and not value.strip() and key != "text":
        raise ValueError(f"{key} is empty")
    return value


def _created_at(text: str) -> datetime:
    """The common `2026-11-23T09:05:00+00:00` form is read by the standard library, ten times
    faster than the general parser, which still reads every other form (and `24:00`)."""
    try:
        if len(text) >= 19 and text[4] == "-" and text[10] == "T":
            try:
                return utc(datetime.fromisoformat(text))
            except ValueError:
                pass
        return parse_time(text)
    except OverflowError:  # year 1 at +01:00, 9999 at -01:00: no such time in UTC
        raise ValueError(f"created_at is out of range: {text[:40]!r}") from None


def parse_import_line(line: str) -> IncomingMessage:
    """One line of an import file as a message. Raises ValueError saying what is wrong."""
    try:
        obj = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as error:
        raise ValueError(f"not valid JSON ({getattr(error, 'msg', error)})") from None
    if not isinstance(obj, dict):
        raise ValueError("expected a JSON object")
    remote_id = _string(obj, "remote_id", required=True)
    author = _string(obj, "author", required=True)
    text = _string(obj, "text", required=True)
    created = _string(obj, "created_at", required=True)
    assert remote_id is not None and author is not None and text is not None and created
    if len(text) > MAX_TEXT:
        raise ValueError(f"text is longer than {MAX_TEXT} characters")
    followers = obj.get("followers")
    if followers is not None and (
        not isinstance(followers, int) or isinstance(followers, bool) or followers < 0
    ):
        raise ValueError("followers must be a whole number of 0 or more")
    direction = obj.get("direction", "in")
    if direction not in ("in", "out"):
        raise ValueError('direction must be "in" or "out"')
    in_reply_to = obj.get("in_reply_to")
    if in_reply_to is not None and not isinstance(in_reply_to, str | int):
        raise ValueError("in_reply_to must be a remote_id")
    return IncomingMessage(
        remote_id=remote_id,
        author=author,
        text=text,
        created_at=_created_at(created),
        direction=Direction(direction),
        in_reply_to=str(in_reply_to) if in_reply_to is not None else None,
        url=_string(obj, "url", required=False),
        author_name=_string(obj, "author_name", required=False),
        followers=followers,
    )


class ParentsFirst:
    """Hands over an import's messages so that no reply is stored before its parent when the
    parent is further down the file.

    Such a reply would start a thread of its own, and be merged into its parent's thread when
    the parent came: the same threads in the end, at the cost of a thread written, moved and
    deleted per reply. A reply whose parent has not been handed over yet is held back until it
    is; `rest` hands over what is still held at the end of the file (replies to messages stored
    before, or to none at all), parents first. Each item carries its line number along.
    """

    def __init__(self) -> None:
        self._handed: set[str] = set()
        self._waiting: dict[str, list[tuple[IncomingMessage, int]]] = {}

    def offer(self, message: IncomingMessage, line: int) -> list[tuple[IncomingMessage, int]]:
        """`message` and the replies it releases, in an order parents-first; or nothing, when
        it waits for its own parent."""
        parent = message.in_reply_to
        if parent is not None and parent != message.remote_id and parent not in self._handed:
            self._waiting.setdefault(parent, []).append((message, line))
            return []
        return self._release([(message, line)])

    def rest(self) -> list[tuple[IncomingMessage, int]]:
        """Everything still held, parents before their replies; empties the holder."""
        held = {m.remote_id for group in self._waiting.values() for m, _ in group}
        out: list[tuple[IncomingMessage, int]] = []
        for parent in [p for p in self._waiting if p not in held]:
            out += self._release(self._waiting.pop(parent, []))
        while self._waiting:  # replies to each other in a circle: no first one to find
            out += self._release(self._waiting.pop(next(iter(self._waiting))))
        return out

    def _release(
        self, items: list[tuple[IncomingMessage, int]]
    ) -> list[tuple[IncomingMessage, int]]:
        out: list[tuple[IncomingMessage, int]] = []
        stack = list(reversed(items))
        while stack:
            message, line = stack.pop()
            out.append((message, line))
            self._handed.add(message.remote_id)
            stack += reversed(self._waiting.pop(message.remote_id, []))
        return out
