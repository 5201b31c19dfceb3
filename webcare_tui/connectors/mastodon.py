"""Mastodon: mentions in through the notifications API, replies out as statuses.

Cursor: the id of the newest mention notification seen, as the server wrote it (ids are opaque
strings). The next fetch asks for `min_id=<cursor>`, which returns the page right after it, and
follows `Link: rel="prev"` forward, so a fetch resumes exactly where the last stored one ended.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

import httpx

from webcare_tui.connectors.base import (
    Connector,
    ConnectorError,
    ConnectorOptions,
    FetchResult,
    MalformedResponse,
    NonBlank,
    OutgoingReply,
    SentReply,
    env_secret,
)
from webcare_tui.connectors.html_text import html_to_text
from webcare_tui.connectors.http_errors import expect, parse_json, platform_time, request
from webcare_tui.core.incoming import shown_id
from webcare_tui.core.length import MASTODON, LengthRule
from webcare_tui.core.model import IncomingMessage
from webcare_tui.core.sanitize import clean_line

__all__ = ["MastodonConnector", "ensure_mention", "parse_mention", "parse_mentions"]

PLATFORM = "mastodon"
PAGE_SIZE = 40  # Mastodon's default page for notifications (the maximum is 80)
BACKFILL_PAGES = 3  # first run: the newest few pages, not the account's whole history
FORWARD_PAGES = 10  # per fetch; the cursor moves past what was read and the rest comes next time


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _parse_time(value: Any) -> datetime:
    return platform_time(value, PLATFORM)


def _status_text(status: Mapping[str, Any]) -> str:
    text = html_to_text(_text(status.get("content")) or "")
    spoiler = _text(status.get("spoiler_text"))
    if spoiler:
        # The content warning is part of what the customer wrote, and often the subject.
        text = f"CW: {spoiler}\n\n{text}".strip()
    attachments = status.get("media_attachments")
    if isinstance(attachments, list):
        for media in attachments:
            if not isinstance(media, dict):
                continue
            link = _text(media.get("url")) or _text(media.get("remote_url"))
            kind = _text(media.get("type")) or "media"
            if link:
                label = _text(media.get("description"))
                text += f"\n[{kind}] {link}" + (f" ({label})" if label else "")
    return text.strip()


def parse_mention(notification: Any) -> IncomingMessage | None:
    """The customer message in one mention notification; None if it carries no status.

    Raises `MalformedResponse` when the notification lacks what a message needs.
    """
    expect(isinstance(notification, dict), PLATFORM, "notification is not an object")
    if notification.get("type") != "mention":
        return None
    status = notification.get("status")
    if status is None:
        return None  # the status was deleted before we saw it
    expect(isinstance(status, dict), PLATFORM, "status is not an object")
    account = status.get("account")
    expect(isinstance(account, dict), PLATFORM, "status without account")
    status_id = status.get("id")
    acct = _text(account.get("acct")) or ""
    expect(isinstance(status_id, str | int) and bool(str(status_id)), PLATFORM, "status id")
    expect(bool(acct), PLATFORM, "account without acct")
    visibility = _text(status.get("visibility")) or "public"
    followers = account.get("followers_count")
    reply_to = status.get("in_reply_to_id")
    return IncomingMessage(
        remote_id=str(status_id),
        author=acct,
        author_name=_text(account.get("display_name")) or None,
        text=_status_text(status),
        created_at=_parse_time(status.get("created_at")),
        in_reply_to=str(reply_to) if isinstance(reply_to, str | int) else None,
        url=_text(status.get("url")) or _text(status.get("uri")),
        followers=followers if type(followers) is int else None,
        is_private=visibility == "direct",
        extra={
            "visibility": visibility,
            "acct": acct,
            "notification_id": str(notification.get("id", "")),
        },
    )


def ensure_mention(text: str, acct: str) -> str:
    """`text` beginning with `@acct`, prefixed if it does not already start with it.

    The full `user@domain` is required: a bare `@user` could reach a different local account.
    """
    acct = acct.lstrip("@")
    if not acct:
        return text
    stripped = text.lstrip()
    if re.match(rf"@{re.escape(acct)}(?![\w@.-])", stripped, re.IGNORECASE) or (
        stripped.lower() == f"@{acct.lower()}"
    ):
        return stripped
    return f"@{acct} {stripped}"


def _all_digits(ids: list[str]) -> bool:
    # ASCII and short: int() refuses a 5000-digit string, and "٣" is a digit to isdigit().
    return bool(ids) and all(i.isascii() and i.isdigit() and len(i) < 40 for i in ids)


def _has_id(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    value = item.get("id")
    return type(value) is int or (isinstance(value, str) and bool(value))


def _item_id(notification: dict[str, Any]) -> str:
    """The id an agent can look up: the status's, else the notification's."""
    status = notification.get("status")
    if isinstance(status, dict) and isinstance(status.get("id"), str | int):
        return shown_id(str(status["id"]))
    return shown_id(str(notification["id"]))


def parse_mentions(
    notifications: list[Any],
) -> tuple[list[IncomingMessage], list[tuple[str, str]]]:
    """The messages in `notifications` (oldest first, one per status) and the ones that could
    not be read, as (notification id, why): one bad item never costs the rest of the page."""
    messages: list[IncomingMessage] = []
    skipped: list[tuple[str, str]] = []
    seen_status: set[str] = set()
    for notification in notifications:
        try:
            message = parse_mention(notification)
        except MalformedResponse as exc:
            skipped.append((_item_id(notification), str(exc)))
            continue
        except Exception as exc:  # a stranger's shape we did not foresee: this item only
            skipped.append((_item_id(notification), f"unreadable ({type(exc).__name__})"))
            continue
        if message is not None and message.remote_id not in seen_status:
            seen_status.add(message.remote_id)
            messages.append(message)
    return messages, skipped


def _page_param(response: httpx.Response, rel: str, name: str) -> str | None:
    """The `min_id`/`max_id` the server's `Link` header gives for the next page, if any.

    Only the parameter is taken: the request is rebuilt against our own base URL, so a Link to
    another host can never receive the bearer token.
    """
    link = response.links.get(rel, {}).get("url")
    if not link:
        return None
    try:
        return httpx.URL(link).params.get(name)
    except httpx.InvalidURL:
        return None


class MastodonOptions(ConnectorOptions, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """`base_url`: the instance (`https://social.example`); `token_env`: the variable that
    holds the account's access token."""

    url_keys = ("base_url",)

    base_url: NonBlank
    token_env: NonBlank


class MastodonConnector(Connector):
    """A Mastodon account: its mentions in, replies out as statuses."""

    type: ClassVar[str] = "mastodon"
    Options = MastodonOptions
    length_rule: ClassVar[LengthRule] = MASTODON
    options: MastodonOptions
    idempotent_send: ClassVar[bool] = True

    def _configure(self) -> None:
        self.base_url = self.options.base_url.rstrip("/")
        self.token_env = self.options.token_env
        self._length_limit: int | None = None

    # -- plumbing ------------------------------------------------------------------------------
    def _token(self) -> str:
        return env_secret(
            self.environ,
            self.token_env,
            owner=f"mastodon connector {self.name!r}",
            holds="an access token",
        )

    def _url(self, path: str) -> str:
        if not self.base_url:
            raise ConnectorError(f"mastodon connector {self.name!r} has no base_url configured")
        return f"{self.base_url}{path}"

    async def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        token = self._token()
        headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
        return await request(
            self.http,
            method,
            self._url(path),
            platform=PLATFORM,
            secrets=(token,),
            headers=headers,
            **kwargs,
        )

    async def _page(
        self, skipped: list[tuple[str, str]], **params: str
    ) -> tuple[list[Any], httpx.Response]:
        """One page of notifications, newest first; one without an id is left out (noted in
        `skipped`), unless the page has nothing else."""
        query: dict[str, str | list[str]] = {"types[]": ["mention"], "limit": str(PAGE_SIZE)}
        query.update(params)
        response = await self._call("GET", "/api/v1/notifications", params=query)
        page = parse_json(response, PLATFORM)
        expect(isinstance(page, list), PLATFORM, "notifications is not a list")
        usable = [item for item in page if _has_id(item)]
        expect(bool(usable) or not page, PLATFORM, "notifications without id")
        if len(usable) < len(page):
            skipped.append(("(no id)", f"{len(page) - len(usable)} notification(s) without id"))
        return usable, response

    # -- the interface -------------------------------------------------------------------------
    async def fetch(self, cursor: str | None) -> FetchResult:
        """Mention notifications after `cursor` (or a bounded backfill), oldest first."""
        skipped: list[tuple[str, str]] = []
        if cursor:
            notifications = await self._forward(cursor, skipped)
        else:
            notifications = await self._backfill(skipped)
        ids = [str(n["id"]) for n in notifications]
        if _all_digits(ids):
            notifications.sort(key=lambda n: int(n["id"]))
        # Off the event loop: a page of big statuses is real work, and the TUI must keep answering.
        messages, bad = await asyncio.to_thread(parse_mentions, notifications)
        skipped += bad
        warnings = [f"skipped notification {i}: {why}" for i, why in skipped]
        newest = str(notifications[-1]["id"]) if notifications else None
        return FetchResult(messages, newest or cursor, warnings, skipped)

    async def _forward(self, cursor: str, skipped: list[tuple[str, str]]) -> list[Any]:
        """Every notification after `cursor`, oldest first, paging forward with `min_id`."""
        collected: list[Any] = []
        seen: set[str] = set()
        min_id = cursor
        for _ in range(FORWARD_PAGES):
            page, response = await self._page(skipped, min_id=min_id)
            fresh = [n for n in page if str(n["id"]) not in seen and str(n["id"]) != cursor]
            if not fresh:
                break  # the end, or the same page served again
            seen.update(str(n["id"]) for n in fresh)
            collected.extend(reversed(fresh))  # each page is newest first
            following = _page_param(response, "prev", "min_id") or str(page[0]["id"])
            if following == min_id:
                break
            min_id = following
        return collected

    async def _backfill(self, skipped: list[tuple[str, str]]) -> list[Any]:
        """The newest few pages, oldest first: a first run starts from now, not from 2017."""
        collected: list[Any] = []
        seen: set[str] = set()
        max_id: str | None = None
        for _ in range(BACKFILL_PAGES):
            page, response = await self._page(skipped, **({"max_id": max_id} if max_id else {}))
            fresh = [n for n in page if str(n["id"]) not in seen]
            if not fresh:
                break
            seen.update(str(n["id"]) for n in fresh)
            collected.extend(fresh)
            following = _page_param(response, "next", "max_id")
            if not following or following == max_id:
                break
            max_id = following
        collected.reverse()
        return collected

    async def send(self, reply: OutgoingReply) -> SentReply:
        """Post a reply status; the `Idempotency-Key` makes a retried send post once."""
        acct = reply.customer.lstrip("@") or reply.reply_to_extra.get("acct", "")
        replied_visibility = reply.reply_to_extra.get("visibility", "public")
        if reply.private:
            visibility = "direct"
        elif replied_visibility in ("unlisted", "private"):
            visibility = replied_visibility  # never widen who sees the conversation
        else:
            visibility = "public"
        payload = {
            "status": ensure_mention(reply.text, acct),
            "in_reply_to_id": reply.in_reply_to,
            "visibility": visibility,
        }
        response = await self._call(
            "POST",
            "/api/v1/statuses",
            json=payload,
            headers={"Idempotency-Key": reply.idempotency_key},
        )
        status = parse_json(response, PLATFORM)
        expect(isinstance(status, dict), PLATFORM, "status is not an object")
        status_id = status.get("id")
        expect(isinstance(status_id, str | int), PLATFORM, "status without id")
        remote_id = clean_line(str(status_id))
        expect(bool(remote_id), PLATFORM, "status without id")
        created = status.get("created_at")
        try:
            created_at = _parse_time(created) if created is not None else None
        except MalformedResponse:
            created_at = None  # the reply went out; a garbled time must not make it look lost
        return SentReply(
            remote_id=remote_id,
            url=clean_line(_text(status.get("url")) or _text(status.get("uri"))) or None,
            created_at=created_at,
        )

    async def length_limit(self) -> int:
        """The instance's `max_characters`, asked once; the rule's 500 when it will not say."""
        if self._length_limit is not None:
            return self._length_limit
        try:
            response = await self._call("GET", "/api/v2/instance")
            instance = parse_json(response, PLATFORM)
            limit = instance["configuration"]["statuses"]["max_characters"]
        except (ConnectorError, KeyError, TypeError):
            return self.length_rule.limit  # not cached: the next call asks again
        if type(limit) is not int or limit <= 0:
            return self.length_rule.limit
        self._length_limit = limit
        return limit
