"""Pure helpers for the Bluesky connector: notifications to messages, facets, record keys.

Kept apart from the HTTP code so that each can be tested (and fuzzed) on its own.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from webcare_tui.connectors.base import MalformedResponse
from webcare_tui.connectors.http_errors import expect, platform_time
from webcare_tui.core.incoming import shown_id
from webcare_tui.core.model import IncomingMessage
from webcare_tui.core.sanitize import clean_line

__all__ = [
    "REASONS",
    "SeenUntil",
    "build_facets",
    "parse_notification",
    "parse_notifications",
    "parse_time",
    "post_url",
    "tid_for_key",
]

PLATFORM = "bluesky"
# The notifications that are someone talking to us; likes, reposts and follows are not.
REASONS = ("mention", "reply", "quote")
_B32 = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable, as TIDs use it
# A record key's time part sits in a fixed past year: plausible, and it never lies ahead.
_TID_BASE_US = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp() * 1_000_000)
_TID_SPAN_US = int(timedelta(days=365).total_seconds() * 1_000_000)
_TRAILING = ".,;:!?)]}'\""


def parse_time(value: Any) -> datetime:
    """An AT Protocol datetime (RFC 3339) as an aware UTC datetime."""
    return platform_time(value, PLATFORM)


def rkey_of(uri: str) -> str:
    """The record key: the last part of `at://did/collection/rkey`."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def post_url(handle: str, uri: str) -> str:
    """The bsky.app address of a post, for an agent to open in a browser."""
    return clean_line(f"https://bsky.app/profile/{handle}/post/{rkey_of(uri)}")


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _embed_lines(embed: Any) -> list[str]:
    """Links and image descriptions a post carries beside its text."""
    if not isinstance(embed, dict):
        return []
    lines: list[str] = []
    external = embed.get("external")
    if isinstance(external, dict) and _str(external.get("uri")):
        lines.append(f"[link] {external['uri']}")
    images = embed.get("images")
    if isinstance(images, list):
        for image in images:
            if isinstance(image, dict):
                lines.append(f"[image] {_str(image.get('alt')) or '(no description)'}")
    media = embed.get("media")  # recordWithMedia
    if isinstance(media, dict):
        lines.extend(_embed_lines(media))
    return lines


def parse_notification(notification: Any) -> IncomingMessage | None:
    """The customer message in one notification; None for likes, follows and the like.

    Raises `MalformedResponse` when a mention, reply or quote lacks what a message needs.
    """
    expect(isinstance(notification, dict), PLATFORM, "notification is not an object")
    if notification.get("reason") not in REASONS:
        return None
    uri, cid = _str(notification.get("uri")), _str(notification.get("cid"))
    record, author = notification.get("record"), notification.get("author")
    expect(uri is not None and cid is not None, PLATFORM, "notification without uri/cid")
    expect(isinstance(record, dict), PLATFORM, "notification without record")
    expect(isinstance(author, dict), PLATFORM, "notification without author")
    assert isinstance(record, dict) and isinstance(author, dict) and uri and cid  # for mypy
    handle, did = _str(author.get("handle")), _str(author.get("did"))
    expect(handle is not None and did is not None, PLATFORM, "author without handle/did")
    assert handle and did
    text = record.get("text", "")
    expect(isinstance(text, str), PLATFORM, "post text is not a string")
    indexed = notification.get("indexedAt")
    created = parse_time(record.get("createdAt", indexed))
    if indexed is not None:
        # createdAt is the poster's own clock; one set in the future would stall the
        # response clock, so it may be no later than when the network saw the post.
        created = min(created, parse_time(indexed))
    parent_uri = root_uri = root_cid = None
    reply = record.get("reply")
    if isinstance(reply, dict):
        parent, root = reply.get("parent"), reply.get("root")
        if isinstance(parent, dict):
            parent_uri = _str(parent.get("uri"))
        if isinstance(root, dict):
            root_uri, root_cid = _str(root.get("uri")), _str(root.get("cid"))
    body = "\n".join([str(text).strip(), *_embed_lines(record.get("embed"))]).strip()
    return IncomingMessage(
        remote_id=uri,
        author=handle,
        author_name=_str(author.get("displayName")),
        text=body,
        created_at=created,
        in_reply_to=parent_uri,
        url=post_url(handle, uri),
        followers=None,  # notifications do not carry follower counts
        extra={
            "uri": uri,
            "cid": cid,
            "root_uri": root_uri or uri,
            "root_cid": root_cid or cid,
            "author_did": did,
            "reason": str(notification.get("reason")),
        },
    )


def parse_notifications(
    notifications: list[Any],
) -> tuple[list[IncomingMessage], list[tuple[str, str]]]:
    """The messages among `notifications`, and the ones that could not be read as (uri, why):
    one bad notification never costs the rest of the page."""
    messages: list[IncomingMessage] = []
    skipped: list[tuple[str, str]] = []
    for item in notifications:
        uri = item.get("uri") if isinstance(item, dict) else None
        try:
            message = parse_notification(item)
        except MalformedResponse as exc:
            skipped.append((shown_id(uri), str(exc)))
            continue
        except Exception as exc:  # a shape nobody foresaw: this notification only
            skipped.append((shown_id(uri), f"unreadable ({type(exc).__name__})"))
            continue
        if message is not None:
            messages.append(message)
    return messages, skipped


def _byte_span(text: str, start: int, end: int) -> dict[str, int]:
    # Facet indexes count UTF-8 bytes, not characters: "é" is two, "☕" three.
    byte_start = len(text[:start].encode("utf-8"))
    return {"byteStart": byte_start, "byteEnd": byte_start + len(text[start:end].encode("utf-8"))}


def build_facets(text: str, handle: str | None, did: str | None) -> list[dict[str, Any]]:
    """Rich-text facets: a mention of the customer (`@handle` -> their DID) and plain links."""
    facets: list[dict[str, Any]] = []
    if handle and did:
        pattern = rf"(?<![\w@.])@{re.escape(handle.lstrip('@'))}(?![\w-]|\.\w)"
        for match in re.finditer(pattern, text, re.IGNORECASE):
            facets.append(
                {
                    "index": _byte_span(text, match.start(), match.end()),
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                }
            )
    for match in re.finditer(r"https?://[^\s<>\"]+", text):
        url = match.group().rstrip(_TRAILING)
        facets.append(
            {
                "index": _byte_span(text, match.start(), match.start() + len(url)),
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": url}],
            }
        )
    facets.sort(key=lambda facet: facet["index"]["byteStart"])
    return facets


def tid_for_key(key: str) -> str:
    """A valid TID record key derived from an idempotency key: the same key, the same rkey.

    createRecord has no idempotency key of its own, so a retried send writes to the same
    record key and meets the first attempt's record instead of posting twice.
    """
    digest = hashlib.sha256(f"webcare-tui reply {key}".encode()).digest()
    micros = _TID_BASE_US + int.from_bytes(digest[:8], "big") % _TID_SPAN_US
    clock_id = int.from_bytes(digest[8:10], "big") & 0x3FF
    value = (micros << 10) | clock_id  # top bit stays 0
    chars = []
    for _ in range(13):
        chars.append(_B32[value & 31])
        value >>= 5
    return "".join(reversed(chars))


@dataclass(frozen=True, slots=True)
class SeenUntil:
    """Our Bluesky cursor: the newest `indexedAt` stored and the post URIs at that instant.

    listNotifications pages back in time from now; this says where to stop.
    """

    at: datetime
    uris: frozenset[str]

    def dump(self) -> str:
        stamp = self.at.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
        return json.dumps({"seen_until": stamp, "uris": sorted(self.uris)})

    @classmethod
    def load(cls, cursor: str | None) -> SeenUntil | None:
        """None for no cursor; raises `MalformedResponse` for one that is not ours."""
        if not cursor:
            return None
        try:
            data = json.loads(cursor)
            uris = data.get("uris", [])
            if not isinstance(uris, list):
                raise ValueError
            return cls(parse_time(data["seen_until"]), frozenset(str(u) for u in uris))
        except (ValueError, KeyError, TypeError, AttributeError, MalformedResponse):
            raise MalformedResponse(f"{PLATFORM}: unreadable cursor") from None

    def covers(self, at: datetime, uri: str) -> bool:
        """True when a notification at `at` was already handed over by an earlier fetch."""
        return at < self.at or (at == self.at and uri in self.uris)
