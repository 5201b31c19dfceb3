"""RSS and Atom feeds (a Google Alert, a review site, a forum): read-only mentions.

Cursor: `{"etag": ..., "last_modified": ..., "seen": [entry keys of the last document]}`. The
validators make the next fetch a conditional GET (304: nothing new); the keys keep an entry that
is still in the feed from being handed over twice. A feed is a sliding window, so the keys of the
current document are all that is needed.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import parse_qs, urljoin, urlsplit

import feedparser

from webcare_tui.connectors.base import (
    Connector,
    ConnectorError,
    ConnectorOptions,
    FetchResult,
    MalformedResponse,
    NonBlank,
)
from webcare_tui.connectors.html_text import html_to_text
from webcare_tui.connectors.http_errors import request
from webcare_tui.core.incoming import shown_id
from webcare_tui.core.length import PLAIN, LengthRule
from webcare_tui.core.model import IncomingMessage
from webcare_tui.core.sanitize import clean_line

__all__ = ["RssConnector", "entry_key", "parse_feed", "unwrap_link"]

PLATFORM = "rss"
MAX_SEEN = 1000  # keys kept in the cursor; far more than any feed document holds
_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]{1,12}|[0-9]{1,12});")
_GOOGLE_HOSTS = frozenset({"www.google.com", "google.com"})
_ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


def unwrap_link(link: str) -> str:
    """The real target of a Google Alerts redirect (`https://www.google.com/url?...&url=X`)."""
    try:
        parts = urlsplit(link)
    except ValueError:
        return link
    if parts.hostname in _GOOGLE_HOSTS and parts.path == "/url":
        query = parse_qs(parts.query)
        for name in ("url", "q"):
            target = query.get(name, [""])[0]
            if target.startswith(("http://", "https://")):
                return target
    return link


def _absolute(link: str, base_url: str | None) -> str:
    """A link an agent can open: relative ones are read against the feed's own address."""
    if base_url is None:
        return link
    try:
        return link if urlsplit(link).scheme else urljoin(base_url, link)
    except ValueError:
        return link


def _plain(value: Any) -> str:
    return html_to_text(value) if isinstance(value, str) else ""


def _summary(entry: Mapping[str, Any]) -> str:
    summary = entry.get("summary")
    if not summary:
        content = entry.get("content")
        if isinstance(content, list) and content and isinstance(content[0], Mapping):
            summary = content[0].get("value")
    return _plain(summary)


def entry_key(entry: Mapping[str, Any]) -> str:
    """What makes an entry itself: its id, else its (unwrapped) link, else a content hash."""
    entry_id = entry.get("id")
    if isinstance(entry_id, str) and entry_id.strip():
        return entry_id.strip()
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return unwrap_link(link.strip())
    text = f"{entry.get('title', '')}\n{entry.get('summary', '')}"
    return "sha256:" + hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()


def _entry_time(entry: Mapping[str, Any], now: datetime) -> datetime:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(name)
        if parsed:
            try:
                year, month, day, hour, minute, second = parsed[:6]
                # feedparser has already converted the time to UTC.
                return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
            except (TypeError, ValueError, OverflowError):
                continue
    return now


def parse_feed(
    content: bytes,
    headers: Mapping[str, str],
    *,
    keywords: list[str] | None = None,
    seen: frozenset[str] = frozenset(),
    now: datetime | None = None,
    base_url: str | None = None,
) -> tuple[list[IncomingMessage], list[str], list[str]]:
    """Parse a feed document: (new messages oldest first, warnings, keys of every entry).

    Raises `MalformedResponse` when nothing in `content` can be read as a feed.
    """
    now = now or datetime.now(UTC)
    try:
        # A file object, never bytes: feedparser would take bytes for a path and open that file.
        parsed = feedparser.parse(
            io.BytesIO(_CHARREF.sub(_no_impossible_charref, content)),
            response_headers={k.lower(): v for k, v in headers.items()},
        )
    except Exception as exc:  # its fallback parser trips over what the strict one refused
        raise MalformedResponse(f"rss: the feed could not be read ({type(exc).__name__})") from None
    warnings: list[str] = []
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        if not parsed.entries and not parsed.get("version"):
            raise MalformedResponse(f"rss: not a feed ({type(problem).__name__})")
        problem_text = clean_line(str(problem))[:160]
        warnings.append(f"rss: the feed has errors, read what could be ({problem_text})")
    elif not parsed.entries and not parsed.get("version"):
        raise MalformedResponse("rss: not a feed")
    feed = parsed.get("feed", {})
    feed_title = _plain(feed.get("title")) or "feed"
    wanted = [k.lower() for k in keywords or [] if k.strip()]
    keys: list[str] = []
    unique: set[str] = set()
    found: list[tuple[datetime, int, IncomingMessage]] = []
    for position, entry in enumerate(parsed.entries):
        try:
            key = entry_key(entry)
        except Exception as exc:  # no key, no way to skip it next time either: say so
            warnings.append(f"rss: an entry without a usable id ({type(exc).__name__})")
            continue
        if key in unique:
            continue  # the same entry twice in one document
        unique.add(key)
        keys.append(key)
        if key in seen:
            continue
        try:
            message = _message(entry, key, wanted, feed_title, now, base_url)
        except Exception as exc:  # a stranger's feed: this entry only
            warnings.append(f"rss: skipped entry {shown_id(key)} ({type(exc).__name__})")
            continue
        if message is not None:
            # Feeds list newest first; equal times keep that order, reversed.
            found.append((message.created_at, -position, message))
    found.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in found], warnings, keys


def _message(
    entry: Mapping[str, Any],
    key: str,
    wanted: list[str],
    feed_title: str,
    now: datetime,
    base_url: str | None,
) -> IncomingMessage | None:
    """One entry as a message; None when it names none of the `wanted` keywords."""
    title, summary = _plain(entry.get("title")), _summary(entry)
    if wanted and not any(k in f"{title}\n{summary}".lower() for k in wanted):
        return None
    text = title if not summary or summary == title else f"{title}\n\n{summary}".strip()
    link = entry.get("link")
    return IncomingMessage(
        remote_id=key,
        author=_plain(entry.get("author")) or feed_title,
        text=text,
        created_at=_entry_time(entry, now),
        url=_absolute(unwrap_link(link), base_url) if isinstance(link, str) and link else None,
        extra={"feed_title": feed_title},
    )


def _no_impossible_charref(match: re.Match[bytes]) -> bytes:
    # `&#xD800;` (half a surrogate pair) or past U+10FFFF: no character at all, and feedparser's
    # loose parser raises on it, losing the whole feed.
    digits = match.group(1)
    try:
        code = int(digits[1:], 16) if digits[:1] in (b"x", b"X") else int(digits)
    except ValueError:
        return match.group(0)
    return b"&#xFFFD;" if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else match.group(0)


def _load_cursor(cursor: str | None) -> dict[str, Any]:
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class RssOptions(ConnectorOptions, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """`url`: the feed; `keywords`: when given, an entry must contain one of them (any case)."""

    url_keys = ("url",)

    url: NonBlank
    keywords: list[NonBlank] = []


class RssConnector(Connector):
    """One RSS or Atom feed, polled with conditional GETs. It cannot send."""

    type: ClassVar[str] = "rss"
    Options = RssOptions
    length_rule: ClassVar[LengthRule] = PLAIN
    can_send: ClassVar[bool] = False
    options: RssOptions

    def _configure(self) -> None:
        self.url = self.options.url
        self.keywords = list(self.options.keywords)

    async def fetch(self, cursor: str | None) -> FetchResult:
        """Entries not handed over before (and matching `keywords`, if set), oldest first."""
        if not self.url:
            raise ConnectorError(f"rss connector {self.name!r} has no url configured")
        state = _load_cursor(cursor)
        headers = {"Accept": _ACCEPT, "User-Agent": "webcare-tui (feed reader)"}
        if isinstance(state.get("etag"), str):
            headers["If-None-Match"] = state["etag"]
        if isinstance(state.get("last_modified"), str):
            headers["If-Modified-Since"] = state["last_modified"]
        response = await request(
            self.http, "GET", self.url, platform=PLATFORM, headers=headers, follow_redirects=True
        )
        if response.status_code == 304:
            return FetchResult(messages=[], cursor=None)
        seen = state.get("seen")
        seen_keys = frozenset(str(s) for s in seen) if isinstance(seen, list) else frozenset()
        # No content-location of our own: feedparser would resolve ids (RSS guids) against it,
        # and an id that changes with the feed's address would double every entry.
        # In a thread: a large feed is real work, and the TUI must keep answering meanwhile.
        messages, warnings, keys = await asyncio.to_thread(
            parse_feed,
            response.content,
            dict(response.headers),
            keywords=self.keywords,
            seen=seen_keys,
            base_url=str(response.url),
        )
        next_cursor = {
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
            "seen": keys[:MAX_SEEN],
        }
        return FetchResult(messages, json.dumps(next_cursor), warnings)
