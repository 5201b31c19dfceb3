"""Bluesky chat: the customer's DM answers, read from `chat.bsky.convo.getLog`.

Chat runs on its own service, reached through the PDS with the `atproto-proxy` header. The log
is a stream of events with a cursor (`rev`); each `logCreateMessage` from someone else is a
customer's direct message. It joins the thread of the message before it in the conversation
(`in_reply_to`), so the answer to our DM lands in the thread we sent it from; our own sends are
stored when sent. The chat cursor rides along in the connector's cursor under `chat`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from webcare_tui.connectors.bluesky_records import parse_time
from webcare_tui.connectors.bluesky_session import XrpcSession
from webcare_tui.connectors.http_errors import MalformedResponse
from webcare_tui.core.incoming import shown_id
from webcare_tui.core.model import IncomingMessage
from webcare_tui.core.sanitize import clean_line

__all__ = ["CHAT_PROXY", "ChatResult", "fetch_chat", "join_cursor", "split_cursor"]

CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
LOG_PAGES = 10  # a safety stop between two polls
_CREATE = "chat.bsky.convo.defs#logCreateMessage"
_MESSAGE = "chat.bsky.convo.defs#messageView"


@dataclass
class ChatResult:
    """The customers' new direct messages, the next chat cursor and what was skipped."""

    messages: list[IncomingMessage] = field(default_factory=list)
    cursor: str | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)


def split_cursor(cursor: str | None) -> tuple[str | None, str | None]:
    """(the chat cursor, the notifications cursor) from the connector's cursor."""
    if not cursor:
        return None, cursor
    try:
        data = json.loads(cursor)
    except ValueError:
        return None, cursor
    if not isinstance(data, dict) or "chat" not in data:
        return None, cursor
    chat = data.pop("chat")
    rest = json.dumps(data) if data else None
    return (chat if isinstance(chat, str) and chat else None), rest


def join_cursor(rest: str | None, chat: str | None) -> str | None:
    """The connector's cursor holding both parts."""
    if chat is None:
        return rest
    data: dict[str, Any] = {}
    if rest:
        try:
            loaded = json.loads(rest)
        except ValueError:
            loaded = None
        if isinstance(loaded, dict):
            data = loaded
    data["chat"] = chat
    return json.dumps(data)


def _profiles(log: dict[str, Any]) -> dict[str, dict[str, Any]]:
    related = log.get("relatedProfiles")
    if not isinstance(related, list):
        return {}
    return {
        str(p["did"]): p for p in related if isinstance(p, dict) and isinstance(p.get("did"), str)
    }


async def _message_before(session: XrpcSession, convo: str, message_id: str) -> str | None:
    """The conversation's message just before `message_id`, as our remote id, if any."""
    page = await session.call(
        "GET",
        "chat.bsky.convo.getMessages",
        params={"convoId": convo, "limit": 50},
        proxy=CHAT_PROXY,
    )
    items = page.get("messages") if isinstance(page, dict) else None
    if not isinstance(items, list):
        return None
    ids = [str(m.get("id")) for m in items if isinstance(m, dict) and m.get("id")]
    ids.reverse()  # newest first on the wire
    if message_id in ids:
        index = ids.index(message_id)
        return f"{convo}/{ids[index - 1]}" if index > 0 else None
    return None


async def fetch_chat(session: XrpcSession, cursor: str | None) -> ChatResult:
    """Customers' direct messages logged since `cursor`, oldest first."""
    me = (await session.ensure()).did
    result = ChatResult(cursor=cursor)
    last_in_convo: dict[str, str] = {}
    for _ in range(LOG_PAGES):
        params = {"cursor": result.cursor} if result.cursor else {}
        page = await session.call("GET", "chat.bsky.convo.getLog", params=params, proxy=CHAT_PROXY)
        logs = page.get("logs") if isinstance(page, dict) else None
        if not isinstance(logs, list):
            raise MalformedResponse("bluesky: getLog without logs")
        for log in logs:
            await _read_log(session, log, me, last_in_convo, result)
        following = page.get("cursor")
        if not logs or not isinstance(following, str) or following == result.cursor:
            if isinstance(following, str) and following:
                result.cursor = following
            break
        result.cursor = following
    return result


async def _read_log(
    session: XrpcSession,
    log: Any,
    me: str,
    last_in_convo: dict[str, str],
    result: ChatResult,
) -> None:
    if not isinstance(log, dict) or log.get("$type") != _CREATE:
        return
    message, convo = log.get("message"), log.get("convoId")
    if not isinstance(message, dict) or not isinstance(convo, str) or not convo:
        return
    if message.get("$type", _MESSAGE) != _MESSAGE or not isinstance(message.get("id"), str):
        return  # a deleted message: nothing to read
    remote_id = clean_line(f"{convo}/{message['id']}")
    sender = message.get("sender")
    did = sender.get("did") if isinstance(sender, dict) else None
    before = last_in_convo.get(convo)
    last_in_convo[convo] = remote_id
    if not isinstance(did, str) or did == me:
        return
    text = message.get("text")
    try:
        created = parse_time(message.get("sentAt"))
    except MalformedResponse as error:
        result.skipped.append((shown_id(remote_id), str(error)))
        return
    if not isinstance(text, str):
        result.skipped.append((shown_id(remote_id), "a chat message without text"))
        return
    if before is None:
        before = await _message_before(session, convo, str(message["id"]))
    profile = _profiles(log).get(did, {})
    handle = profile.get("handle")
    name = profile.get("displayName")
    result.messages.append(
        IncomingMessage(
            remote_id=remote_id,
            author=clean_line(handle) if isinstance(handle, str) and handle else did,
            author_name=clean_line(name) if isinstance(name, str) and name else None,
            text=text,
            created_at=created,
            in_reply_to=before,
            is_private=True,
            extra={"convo_id": convo, "author_did": did},
        )
    )
