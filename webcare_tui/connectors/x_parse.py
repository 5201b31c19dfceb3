"""X API v2 answers read into plain values: posts and DM events as messages, and our cursor.

Everything a stranger wrote (texts, names, handles, error details) is cleaned of control,
bidi and escape characters here, before anything else sees it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from webcare_tui.connectors.http_errors import expect, platform_time
from webcare_tui.core.incoming import shown_id
from webcare_tui.core.model import Direction, IncomingMessage
from webcare_tui.core.sanitize import clean_line, clean_text

__all__ = [
    "DM_FIELDS",
    "TWEET_FIELDS",
    "USER_FIELDS",
    "Page",
    "XCursor",
    "newest_id",
    "parse_dm",
    "parse_page",
    "parse_post",
    "since_with_overlap",
]

PLATFORM = "x"
TWEET_FIELDS = "author_id,conversation_id,created_at,in_reply_to_user_id,referenced_tweets"
USER_FIELDS = "public_metrics,username,name"
DM_FIELDS = "id,text,event_type,created_at,sender_id,dm_conversation_id"
# X's ids are snowflakes: milliseconds since this moment, shifted left by 22 bits.
_TWITTER_EPOCH_MS = 1288834974657
_MAX_ID = 2**63 - 1
_KEPT_CONVERSATIONS = 200


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20


def snowflake_time(post_id: str) -> datetime | None:
    """When a post or DM event with this id was created, or None if the id is no snowflake."""
    if not _is_id(post_id) or int(post_id) > _MAX_ID:
        return None
    millis = (int(post_id) >> 22) + _TWITTER_EPOCH_MS
    return datetime.fromtimestamp(millis / 1000, UTC)


def since_with_overlap(newest: str, overlap: timedelta) -> str:
    """A `since_id` that reaches `overlap` back before `newest`: posts can show up in X's
    index later than newer ones (users of other tools miss mentions with `since_id` alone)."""
    moment = snowflake_time(newest)
    if moment is None:
        return newest
    millis = int((moment - overlap).timestamp() * 1000) - _TWITTER_EPOCH_MS
    return str(millis << 22) if millis > 0 else newest


@dataclass(frozen=True, slots=True)
class Page:
    """One answer of a list endpoint: its items, the users it expanded, and what comes next;
    `skipped` are the items left out for want of an id, as (id as it may be shown, why)."""

    items: list[dict[str, Any]]
    users: dict[str, dict[str, Any]]
    next_token: str | None
    warnings: list[str]
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _problem_text(problem: Any) -> str:
    if not isinstance(problem, dict):
        return "?"
    parts = [problem.get(k) for k in ("title", "detail", "message")]
    return clean_line(": ".join(dict.fromkeys(p for p in parts if isinstance(p, str))))[:200]


def parse_page(body: Any) -> Page:
    """A list answer (`data`, `includes.users`, `meta.next_token`, partial `errors`).

    A missing `data` is an empty page (X leaves it out when nothing matched); an item without
    an id is left out (in `skipped`), unless the page has nothing else. Raises
    `MalformedResponse` when the answer is not of that shape.
    """
    expect(isinstance(body, dict), PLATFORM, "the answer is not an object")
    data = body.get("data", [])
    expect(isinstance(data, list), PLATFORM, "data is not a list")
    items: list[dict[str, Any]] = []
    skipped: list[tuple[str, str]] = []
    for item in data:
        if isinstance(item, dict) and _is_id(item.get("id")):
            items.append(item)
        else:
            shown = shown_id(item.get("id") if isinstance(item, dict) else None)
            skipped.append((shown, "an item without id"))
    expect(bool(items) or not data, PLATFORM, "an item without id")
    includes = body.get("includes", {})
    expect(isinstance(includes, dict), PLATFORM, "includes is not an object")
    users_list = includes.get("users", [])
    expect(isinstance(users_list, list), PLATFORM, "includes.users is not a list")
    users = {
        str(user["id"]): user
        for user in users_list
        if isinstance(user, dict) and _is_id(user.get("id"))
    }
    meta = body.get("meta", {})
    expect(isinstance(meta, dict), PLATFORM, "meta is not an object")
    token = meta.get("next_token")
    errors = body.get("errors", [])
    warnings = [f"X: {_problem_text(e)}" for e in errors] if isinstance(errors, list) else []
    return Page(
        items=items,
        users=users,
        next_token=token if isinstance(token, str) and token else None,
        warnings=warnings,
        skipped=skipped,
    )


def _user_facts(user: Mapping[str, Any] | None, user_id: str) -> tuple[str, str | None, int | None]:
    """(handle, display name, followers) of an expanded user; the id when X did not expand it."""
    if not user:
        return user_id, None, None
    handle = clean_line(user.get("username") if isinstance(user.get("username"), str) else "")
    name = clean_line(user.get("name") if isinstance(user.get("name"), str) else "") or None
    metrics = user.get("public_metrics")
    followers = metrics.get("followers_count") if isinstance(metrics, dict) else None
    return handle or user_id, name, followers if type(followers) is int else None


def _text_of(item: Mapping[str, Any]) -> str:
    text = item.get("text")
    expect(isinstance(text, str), PLATFORM, "an item without text")
    return clean_text(str(text))


def _created(item: Mapping[str, Any]) -> datetime:
    if "created_at" in item:
        return platform_time(item["created_at"], PLATFORM)
    moment = snowflake_time(str(item["id"]))
    expect(moment is not None, PLATFORM, "an item without created_at")
    assert moment is not None
    return moment


def _message(
    item: Mapping[str, Any],
    author_id: str,
    users: Mapping[str, Mapping[str, Any]],
    brand_id: str,
    *,
    in_reply_to: str | None,
    extra: dict[str, str],
    private: bool,
) -> IncomingMessage:
    handle, name, followers = _user_facts(users.get(author_id), author_id)
    return IncomingMessage(
        remote_id=item["id"],
        author=handle,
        author_name=name,
        text=_text_of(item),
        created_at=_created(item),
        direction=Direction.OUT if author_id == brand_id else Direction.IN,
        in_reply_to=in_reply_to,
        url=None if private else f"https://x.com/{handle}/status/{item['id']}",
        followers=followers,
        is_private=private,
        extra={"author_id": author_id, "username": handle, **extra},
    )


def parse_post(post: Any, users: Mapping[str, Mapping[str, Any]], brand_id: str) -> IncomingMessage:
    """A post from the mentions timeline; `in_reply_to` is the post it replies to.

    Raises `MalformedResponse` when the post lacks what a message needs.
    """
    expect(isinstance(post, dict) and _is_id(post.get("id")), PLATFORM, "a post without id")
    author_id = post.get("author_id")
    expect(_is_id(author_id), PLATFORM, "a post without author_id")
    replied_to = None
    references = post.get("referenced_tweets", [])
    expect(isinstance(references, list), PLATFORM, "referenced_tweets is not a list")
    for reference in references:
        if isinstance(reference, dict) and reference.get("type") == "replied_to":
            replied_to = reference.get("id") if _is_id(reference.get("id")) else None
    conversation = post.get("conversation_id")
    extra = {"conversation_id": conversation} if _is_id(conversation) else {}
    return _message(
        post, author_id, users, brand_id, in_reply_to=replied_to, extra=extra, private=False
    )


def parse_dm(
    event: Any, users: Mapping[str, Mapping[str, Any]], brand_id: str, previous: str | None
) -> IncomingMessage:
    """A DM event (`MessageCreate`) as a private message answering `previous`, the event before
    it in the same conversation (so a customer's DM joins the thread our DM belongs to)."""
    expect(isinstance(event, dict) and _is_id(event.get("id")), PLATFORM, "a DM without id")
    sender = event.get("sender_id")
    expect(_is_id(sender), PLATFORM, "a DM without sender_id")
    extra = {"dm": "1"}
    conversation = event.get("dm_conversation_id")
    if isinstance(conversation, str) and conversation:
        extra["dm_conversation_id"] = clean_line(conversation)[:60]
    return _message(event, sender, users, brand_id, in_reply_to=previous, extra=extra, private=True)


@dataclass(slots=True)
class XCursor:
    """Where the X connector stands: the newest mention and DM seen, a backlog of mentions
    still to read (`since`, `until`) when one poll found more than it reads at once, and the
    last DM event of each recent conversation (so a DM polled later still finds its thread)."""

    mention: str | None = None
    backlog: tuple[str, str] | None = None
    dm: str | None = None
    conversations: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, text: str | None) -> XCursor:
        """The cursor `dump` wrote; an unreadable one starts afresh, as a first run would."""
        if not text:
            return cls()
        try:
            data = json.loads(text)
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        backlog = data.get("backlog")
        conversations = data.get("conversations")
        return cls(
            mention=data.get("mention") if _is_id(data.get("mention")) else None,
            backlog=(backlog[0], backlog[1])
            if isinstance(backlog, list) and len(backlog) == 2 and all(map(_is_id, backlog))
            else None,
            dm=data.get("dm") if _is_id(data.get("dm")) else None,
            conversations={
                str(k): v for k, v in conversations.items() if isinstance(k, str) and _is_id(v)
            }
            if isinstance(conversations, dict)
            else {},
        )

    def dump(self) -> str:
        newest = sorted(self.conversations.items(), key=lambda kv: int(kv[1]))
        kept = dict(newest[-_KEPT_CONVERSATIONS:])
        data = {
            "mention": self.mention,
            "backlog": list(self.backlog) if self.backlog else None,
            "dm": self.dm,
            "conversations": kept,
        }
        return json.dumps({k: v for k, v in data.items() if v}, separators=(",", ":"))


def newest_id(*ids: str | None) -> str | None:
    """The highest of these numeric ids (X's ids grow with time)."""
    present = [i for i in ids if i and _is_id(i)]
    return max(present, key=int) if present else None
