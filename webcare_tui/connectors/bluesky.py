"""Bluesky (AT Protocol): mentions, replies and quotes in; replies or DMs out.

Cursor: `{"seen_until": <indexedAt of the newest notification seen>, "uris": [...]}` (see
`SeenUntil`). listNotifications has no "since" and pages back in time, so a fetch pages back
until it meets a notification older than `seen_until`, skipping the URIs it already handed over
at that very instant.

The session (access and refresh JWTs) lives in memory only. An expired access token is
refreshed with the refresh JWT; when that fails too, the connector logs in again.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from webcare_tui.connectors.base import (
    Connector,
    ConnectorError,
    ConnectorOptions,
    FetchResult,
    MalformedResponse,
    NonBlank,
    OutgoingReply,
    SentReply,
    TransientError,
)
from webcare_tui.connectors.bluesky_chat import fetch_chat, join_cursor, split_cursor
from webcare_tui.connectors.bluesky_records import (
    REASONS,
    SeenUntil,
    build_facets,
    parse_notifications,
    parse_time,
    post_url,
    tid_for_key,
)
from webcare_tui.connectors.bluesky_session import XrpcSession
from webcare_tui.connectors.http_errors import RequestRejected, expect
from webcare_tui.core.incoming import shown_id
from webcare_tui.core.length import BLUESKY, LengthRule
from webcare_tui.core.sanitize import clean_line

__all__ = ["BlueskyConnector"]

PLATFORM = "bluesky"
DEFAULT_SERVICE = "https://bsky.social"
LIST_NOTIFICATIONS = "app.bsky.notification.listNotifications"
CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
PAGE_SIZE = 50
BACKFILL_PAGES = 3  # first run: recent notifications only
MAX_PAGES = 40  # a safety stop; 2000 notifications between two polls would be a flood
DM_DEDUPE_WINDOW = timedelta(minutes=15)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class BlueskyOptions(ConnectorOptions, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """`service`: the PDS (default `https://bsky.social`); `handle`: the account
    (`acme.bsky.social`); `password_env`: the variable that holds its app password."""

    url_keys = ("service",)

    handle: NonBlank
    password_env: NonBlank
    service: NonBlank = DEFAULT_SERVICE


class BlueskyConnector(Connector):
    """A Bluesky account (handle + app password) on its PDS."""

    type: ClassVar[str] = "bluesky"
    Options = BlueskyOptions
    length_rule: ClassVar[LengthRule] = BLUESKY
    options: BlueskyOptions
    idempotent_send: ClassVar[bool] = True

    def _configure(self) -> None:
        self.service = self.options.service.rstrip("/")
        self.handle = self.options.handle.lstrip("@")
        self.password_env = self.options.password_env
        self.session = XrpcSession(
            connector=self.name,
            service=self.service,
            handle=self.handle,
            password_env=self.password_env,
            environ=self.environ,
            http=lambda: self.http,
        )

    # -- session -------------------------------------------------------------------------------
    # -- fetch ---------------------------------------------------------------------------------
    async def fetch(self, cursor: str | None) -> FetchResult:
        """Mentions, replies and quotes not handed over before, oldest first; then the
        customers' direct messages from chat (see `bluesky_chat`)."""
        chat_cursor, cursor = split_cursor(cursor)
        found = await self._fetch_notifications(cursor)
        try:
            chat = await fetch_chat(self.session, chat_cursor)
        except ConnectorError as error:
            # An app password without DM access, or chat down: the mentions still count.
            return FetchResult(
                found.messages,
                join_cursor(found.cursor, chat_cursor),
                [*found.warnings, f"bluesky chat: {error}"],
                found.skipped,
            )
        return FetchResult(
            [*found.messages, *chat.messages],
            join_cursor(found.cursor, chat.cursor),
            [*found.warnings, *(f"skipped chat message {i}: {why}" for i, why in chat.skipped)],
            [*found.skipped, *chat.skipped],
        )

    async def _fetch_notifications(self, cursor: str | None) -> FetchResult:
        warnings: list[str] = []
        try:
            seen = SeenUntil.load(cursor)
        except MalformedResponse:
            # Not ours (or damaged): start over with a bounded backfill; the store drops doubles.
            seen = None
            warnings.append("bluesky: the stored cursor was unreadable; fetched recent ones again")
        found: list[tuple[datetime, Any]] = []
        skipped: list[tuple[str, str]] = []
        handed: set[str] = set()
        newest: SeenUntil | None = None
        server_cursor: str | None = None
        limit = BACKFILL_PAGES if seen is None else MAX_PAGES
        for page_number in range(1, limit + 1):
            params: dict[str, Any] = {"limit": PAGE_SIZE, "reasons": list(REASONS)}
            if server_cursor:
                params["cursor"] = server_cursor
            page = await self.session.call(
                "GET", "app.bsky.notification.listNotifications", params=params
            )
            expect(isinstance(page, dict), PLATFORM, "listNotifications is not an object")
            items = page.get("notifications")
            expect(isinstance(items, list), PLATFORM, "notifications is not a list")
            reached_seen = False
            for item in items:
                uri = item.get("uri") if isinstance(item, dict) else None
                if not isinstance(uri, str) or not uri:
                    skipped.append(("(no uri)", "a notification without uri"))
                    continue
                try:
                    at = parse_time(item.get("indexedAt"))
                except MalformedResponse as exc:
                    skipped.append((shown_id(uri), str(exc)))
                    continue
                if newest is None or at > newest.at:
                    newest = SeenUntil(at, frozenset({uri}))
                elif at == newest.at:
                    newest = SeenUntil(at, newest.uris | {uri})
                if seen is not None and seen.covers(at, uri):
                    reached_seen = reached_seen or at < seen.at
                    continue
                if uri not in handed:  # the same page served twice, or a shifted page
                    handed.add(uri)
                    found.append((at, item))
            next_cursor = page.get("cursor")
            if reached_seen or not items or not isinstance(next_cursor, str):
                break
            if next_cursor == server_cursor:
                if seen is not None:
                    # Stopping here would leave a gap between this page and what was seen,
                    # and the cursor would move past it. Better to try the whole walk again.
                    raise TransientError("bluesky: the server repeated a page of notifications")
                break  # a first run just ends its backfill here
            server_cursor = next_cursor
            if page_number == limit and seen is not None:
                warnings.append(
                    f"bluesky: stopped after {limit} pages; older notifications may be missing"
                )
        found.reverse()  # server order is newest first
        found.sort(key=lambda pair: pair[0])  # stable: equal instants keep that order
        # Off the event loop: the TUI keeps answering keys while a long catch-up is read.
        messages, bad = await asyncio.to_thread(parse_notifications, [i for _, i in found])
        skipped += bad
        warnings += [f"skipped notification {i}: {why}" for i, why in skipped]
        return FetchResult(messages, self._next_cursor(seen, newest), warnings, skipped)

    @staticmethod
    def _next_cursor(seen: SeenUntil | None, newest: SeenUntil | None) -> str | None:
        if newest is None or (seen is not None and newest.at < seen.at):
            return seen.dump() if seen is not None else None
        if seen is not None and newest.at == seen.at:
            newest = SeenUntil(seen.at, seen.uris | newest.uris)
        return newest.dump()

    # -- send ----------------------------------------------------------------------------------
    async def _customer_did(self, reply: OutgoingReply) -> str:
        did = reply.reply_to_extra.get("author_did")
        if did:
            return did
        handle = reply.customer.lstrip("@")
        answer = await self.session.call(
            "GET", "com.atproto.identity.resolveHandle", params={"handle": handle}
        )
        expect(isinstance(answer, dict) and isinstance(answer.get("did"), str), PLATFORM, "did")
        return str(answer["did"])

    async def _strong_refs(self, reply: OutgoingReply) -> dict[str, dict[str, str]]:
        """The `reply` field of a post: the thread's root and the post answered (uri + cid)."""
        extra = reply.reply_to_extra
        parent_uri = extra.get("uri") or reply.in_reply_to
        parent_cid = extra.get("cid")
        root_uri, root_cid = extra.get("root_uri"), extra.get("root_cid")
        if not parent_cid:
            # Imported messages have no CID: ask the author's repo for the record itself.
            parts = parent_uri.removeprefix("at://").split("/")
            if not parent_uri.startswith("at://") or len(parts) != 3:
                raise RequestRejected(f"bluesky: cannot reply to {parent_uri!r}: not a post URI")
            repo, collection, rkey = parts
            record = await self.session.call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": repo, "collection": collection, "rkey": rkey},
            )
            expect(isinstance(record, dict) and isinstance(record.get("cid"), str), PLATFORM, "cid")
            parent_cid = record["cid"]
            value = record.get("value")
            root = value.get("reply", {}).get("root") if isinstance(value, dict) else None
            if isinstance(root, dict):
                root_uri, root_cid = root.get("uri"), root.get("cid")
        if not (root_uri and root_cid):
            root_uri, root_cid = parent_uri, parent_cid
        return {
            "root": {"uri": str(root_uri), "cid": str(root_cid)},
            "parent": {"uri": parent_uri, "cid": str(parent_cid)},
        }

    async def send(self, reply: OutgoingReply) -> SentReply:
        """Reply in the thread, or by DM when `reply.private`.

        The post's record key comes from the idempotency key, so a retry after a timeout meets
        the first attempt's record ("already exists") and returns that instead of posting again.
        """
        session = await self.session.ensure()
        handle = reply.customer.lstrip("@")
        did: str | None = None
        if reply.private or f"@{handle.lower()}" in reply.text.lower():
            did = await self._customer_did(reply)
        facets = build_facets(reply.text, handle, did)
        if reply.private:
            assert did is not None
            return await self._send_dm(reply, did, facets)
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "text": reply.text,
            "createdAt": _now_iso(),
            "reply": await self._strong_refs(reply),
        }
        if facets:
            record["facets"] = facets
        rkey = tid_for_key(reply.idempotency_key)
        body = {
            "repo": session.did,
            "collection": "app.bsky.feed.post",
            "rkey": rkey,
            "record": record,
        }
        try:
            created = await self.session.call("POST", "com.atproto.repo.createRecord", body=body)
        except (TransientError, RequestRejected):
            # The PDS answers a taken rkey with an error (a 500 today, a named error later),
            # and a timeout may hide a post that went through: look for our record first.
            existing = await self._existing_post(rkey)
            if existing is None:
                raise
            return existing
        expect(isinstance(created, dict) and isinstance(created.get("uri"), str), PLATFORM, "uri")
        uri = clean_line(str(created["uri"]))
        expect(bool(uri), PLATFORM, "uri")
        return SentReply(uri, post_url(session.handle, uri), datetime.now(UTC))

    async def _existing_post(self, rkey: str) -> SentReply | None:
        session = await self.session.ensure()
        try:
            found = await self.session.call(
                "GET",
                "com.atproto.repo.getRecord",
                params={"repo": session.did, "collection": "app.bsky.feed.post", "rkey": rkey},
            )
        except ConnectorError:
            return None
        if not isinstance(found, dict) or not isinstance(found.get("uri"), str):
            return None
        value = found.get("value")
        created = value.get("createdAt") if isinstance(value, dict) else None
        try:
            created_at = parse_time(created) if created else None
        except MalformedResponse:
            created_at = None
        uri = clean_line(found["uri"])
        return SentReply(uri, post_url(session.handle, uri), created_at) if uri else None

    async def _send_dm(
        self, reply: OutgoingReply, did: str, facets: list[dict[str, Any]]
    ) -> SentReply:
        """Send a chat message. Chat has no idempotency key: a retry first looks whether the
        same text from us already arrived in this conversation a moment ago."""
        found = await self.session.call(
            "GET",
            "chat.bsky.convo.getConvoForMembers",
            params={"members": [did]},
            proxy=CHAT_PROXY,
        )
        convo = found.get("convo") if isinstance(found, dict) else None
        expect(isinstance(convo, dict) and isinstance(convo.get("id"), str), PLATFORM, "convo")
        convo_id = str(convo["id"])  # type: ignore[index]
        recent = await self.session.call(
            "GET",
            "chat.bsky.convo.getMessages",
            params={"convoId": convo_id, "limit": 20},
            proxy=CHAT_PROXY,
        )
        me = (await self.session.ensure()).did
        for message in recent.get("messages", []) if isinstance(recent, dict) else []:
            if not isinstance(message, dict) or message.get("text") != reply.text:
                continue
            sender = message.get("sender")
            if not isinstance(sender, dict) or sender.get("did") != me:
                continue
            try:
                sent_at = parse_time(message.get("sentAt"))
            except MalformedResponse:
                continue
            if datetime.now(UTC) - sent_at <= DM_DEDUPE_WINDOW:
                return SentReply(clean_line(f"{convo_id}/{message.get('id')}"), None, sent_at)
        payload: dict[str, Any] = {"text": reply.text}
        if facets:
            payload["facets"] = facets
        sent = await self.session.call(
            "POST",
            "chat.bsky.convo.sendMessage",
            body={"convoId": convo_id, "message": payload},
            proxy=CHAT_PROXY,
        )
        expect(isinstance(sent, dict) and isinstance(sent.get("id"), str), PLATFORM, "message id")
        try:
            sent_at = parse_time(sent.get("sentAt"))
        except MalformedResponse:
            sent_at = datetime.now(UTC)
        return SentReply(clean_line(f"{convo_id}/{sent['id']}"), None, sent_at)
