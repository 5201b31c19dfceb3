"""What the fake Facebook and Instagram share: the Graph API's envelope, paging and messaging.

Written from Meta's Graph API and Messenger Platform documentation and the answers recorded by
the python-facebook project (fixtures/facebook, fixtures/instagram, Apache-2.0): string ids,
`+0000` times, `paging.cursors` with a `next` link that repeats the access token, the
`{"error": {"code", "error_subcode", "type", "fbtrace_id"}}` envelope, private replies once per
comment within 7 days, and Messenger's 24-hour window.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar, TypeVar
from urllib.parse import urlencode

import httpx
import pytest

from tests.fakes.server import Reply, Request, json_reply
from webcare_tui.connectors.base import ConnectorSettings, FetchResult, OutgoingReply
from webcare_tui.connectors.graph import GraphOptions
from webcare_tui.connectors.graph_base import GraphConnector
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import IncomingMessage
from webcare_tui.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
TOKEN = "EAAGraphPageToken9f3c1a77"  # what the fakes accept; tests check it never leaks
VERSION = "v25.0"
PRIVATE_REPLY_WINDOW = timedelta(days=7)
MESSAGING_WINDOW = timedelta(hours=24)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    """A client whose timeout outlasts a loaded machine: the Graph lost-answer tests make a
    call right after a hanging one, and must not see that one time out by accident."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(1.0)) as client:
        yield client


def fixture(platform: str, name: str) -> Any:
    return json.loads((FIXTURES / platform / name).read_text(encoding="utf-8"))


def graph_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def answer_to(
    message: IncomingMessage, text: str = "Sorry! We'll look into it ^AB", **changes: Any
) -> OutgoingReply:
    """The reply the outbox would hand a connector for `message`."""
    values: dict[str, Any] = {
        "text": text,
        "in_reply_to": message.remote_id,
        "root": message.remote_id,
        "customer": message.author,
        "idempotency_key": "outbox-1",
        "reply_to_extra": message.extra,
    }
    values.update(changes)
    return OutgoingReply(**values)


def error_body(code: int, message: str, subcode: int | None = None) -> dict[str, Any]:
    """Graph's error envelope, in the shape of the recorded `error.json`."""
    body = copy.deepcopy(fixture("facebook", "error.json"))
    body["error"].update(code=code, message=f"(#{code}) {message}")
    if subcode is not None:
        body["error"]["error_subcode"] = subcode
    return body


def graph_error(code: int, message: str, subcode: int | None = None, status: int = 400) -> Reply:
    return json_reply(error_body(code, message, subcode), status)


def nested_limit(fields: str, edge: str, default: int = 25) -> int:
    """The `.limit(N)` a `fields` expansion asks of `edge` (`comments.limit(50){...}`)."""
    match = re.search(rf"{edge}(?:\.\w+\([^)]*\))*?\.limit\((\d+)\)", fields)
    return int(match.group(1)) if match else default


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    return int(base64.urlsafe_b64decode(cursor.encode()).decode().split(":")[1])


def ingest(store: Store, clock: ResponseClock, fake: FakeGraph, result: FetchResult) -> None:
    """Store what the connector fetched from `fake` as the poller does, seen at `fake.now`."""
    store.ingest(
        fake.connector,
        fake.channel,
        result.messages,
        clock=clock,
        seen_at=fake.now,
        cursor=result.cursor,
    )


ConnectorT = TypeVar("ConnectorT", bound=GraphConnector)


def graph_connector(
    kind: type[ConnectorT],
    fake: type[FakeGraph],
    options: GraphOptions,
    http: httpx.AsyncClient,
    environ: dict[str, str],
) -> ConnectorT:
    """A `kind` connector named as `fake` expects, with `options`; the fake's token in the
    environment unless the test gives its own `environ`."""
    settings = ConnectorSettings(
        name=fake.connector, type=fake.channel, channel=fake.channel, options=options
    )
    return kind(settings, http=http, environ=environ or {options.token_env: TOKEN})


class FakeGraph:
    """A Graph host: the token check, cursor paging, conversations and `/{owner}/messages`.

    `connector` and `channel` are those of the connector the tests point at it."""

    connector: ClassVar[str]
    channel: ClassVar[str]

    def __init__(self, owner_id: str, owner_name: str) -> None:
        self.base_url = ""  # set once the server listens
        self.owner_id = owner_id
        self.owner_name = owner_name
        self.now = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=2)
        self.objects: dict[str, dict[str, Any]] = {}  # every comment/post/message by id
        self.conversations: list[dict[str, Any]] = []
        self.private_replied: set[str] = set()
        self.sent: list[dict[str, Any]] = []  # the bodies of every write we took
        self.usage: dict[str, str] = {}  # extra headers on every answer
        self._message_template = fixture("facebook", "message.json")
        self._conversation_template = fixture("facebook", "conversation.json")
        self._serial = 0

    # -- ids and time --------------------------------------------------------------------------
    def next_id(self) -> str:
        self._serial += 1
        return f"1784{self._serial:013d}"

    def tick(self, ago: timedelta | None = None) -> str:
        """A `created_time` one second after the last (or `ago` before the clock)."""
        if ago is not None:
            return graph_time(self.now - ago)
        self.now += timedelta(seconds=1)
        return graph_time(self.now)

    # -- paging --------------------------------------------------------------------------------
    def page(
        self, items: list[dict[str, Any]], request: Request, path: str, default: int = 25
    ) -> dict[str, Any]:
        limit = int(request.arg("limit") or default)
        return self.slice(items, path, _offset(request.arg("after")), limit)

    def slice(
        self, items: list[dict[str, Any]], path: str, offset: int, limit: int
    ) -> dict[str, Any]:
        chunk = items[offset : offset + limit]
        body: dict[str, Any] = {"data": chunk}
        if chunk:
            body["paging"] = {
                "cursors": {"before": _cursor(offset), "after": _cursor(offset + len(chunk))}
            }
            if offset + limit < len(items):
                # As Graph does: the next link repeats the access token.
                query = urlencode(
                    {"access_token": TOKEN, "limit": limit, "after": _cursor(offset + limit)}
                )
                body["paging"]["next"] = f"{self.base_url}/{VERSION}/{path}?{query}"
        return body

    # -- the API -------------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        prefix = f"/{VERSION}/"
        if not request.path.startswith(prefix):
            return graph_error(2500, "Unknown path components", status=400)
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return graph_error(190, "Invalid OAuth access token - Cannot parse access token")
        parts = request.path[len(prefix) :].strip("/").split("/")
        if parts == [self.owner_id, "conversations"] and request.method == "GET":
            return self.ok(self._conversations(request))
        if parts == [self.owner_id, "messages"] and request.method == "POST":
            return self._message(request.json())
        conversation = next((c for c in self.conversations if c["id"] == parts[0]), None)
        if conversation is not None and parts[1:] == ["messages"]:
            return self.ok(self.page(conversation["_messages"], request, "/".join(parts)))
        reply = self.route(request, parts)
        if reply is None:
            return graph_error(100, "Unsupported get request. Object does not exist", 33)
        return reply

    def route(self, request: Request, parts: list[str]) -> Reply | None:
        raise NotImplementedError

    def ok(self, body: Any) -> Reply:
        return json_reply(body, 200, **self.usage)

    # -- messaging -----------------------------------------------------------------------------
    def customer_writes(self, user_id: str, name: str, text: str, **when: Any) -> dict[str, Any]:
        """A DM from a customer, in their conversation with us (a new one if need be)."""
        conversation = self._conversation_with(user_id, name)
        return self._add_message(
            conversation, (user_id, name), (self.owner_id, self.owner_name), text, **when
        )

    def _conversation_with(self, user_id: str, name: str) -> dict[str, Any]:
        for conversation in self.conversations:
            if conversation["_user"] == user_id:
                return conversation
        conversation = copy.deepcopy(self._conversation_template)
        conversation.update(id=f"t_{self.next_id()}", _user=user_id, _name=name, _messages=[])
        self.conversations.append(conversation)
        return conversation

    def _add_message(
        self,
        conversation: dict[str, Any],
        sender: tuple[str, str],
        recipient: tuple[str, str],
        text: str,
        ago: timedelta | None = None,
    ) -> dict[str, Any]:
        message = copy.deepcopy(self._message_template)
        del message["attachments"]
        message.update(
            id=f"m_{self.next_id()}",
            message=text,
            created_time=self.tick(ago),
            **{"from": {"id": sender[0], "name": sender[1]}},
            to={"data": [{"id": recipient[0], "name": recipient[1]}]},
        )
        conversation["_messages"].insert(0, message)  # newest first
        conversation["updated_time"] = max(
            conversation["_messages"], key=lambda m: m["created_time"]
        )["created_time"]
        self.objects[message["id"]] = message
        return message

    def _conversations(self, request: Request) -> dict[str, Any]:
        user = request.arg("user_id")
        chosen = [c for c in self.conversations if user is None or c["_user"] == user]
        chosen.sort(key=lambda c: c["updated_time"], reverse=True)
        limit = nested_limit(request.arg("fields") or "", "messages")
        shaped = [
            {
                "id": c["id"],
                "updated_time": c["updated_time"],
                "messages": self.slice(c["_messages"], f"{c['id']}/messages", 0, limit),
            }
            for c in chosen
        ]
        return self.page(shaped, request, f"{self.owner_id}/conversations")

    def _message(self, body: dict[str, Any]) -> Reply:
        self.sent.append(body)
        recipient = body.get("recipient", {})
        text = body.get("message", {}).get("text", "")
        target_id = recipient.get("comment_id") or recipient.get("post_id")
        if target_id:
            target = self.objects.get(target_id)
            if target is None:
                return graph_error(100, "No matching comment found", 2018001)
            if target_id in self.private_replied:
                return graph_error(10900, "Activity already replied to")
            written = datetime.fromisoformat(target.get("created_time") or target["timestamp"])
            if self.now - written > PRIVATE_REPLY_WINDOW:
                return graph_error(10, "This message is sent outside of allowed window.", 2018278)
            self.private_replied.add(target_id)
            user_id, name = self.author_of(target)
        else:
            user_id = recipient.get("id", "")
            conversation = next((c for c in self.conversations if c["_user"] == user_id), None)
            if conversation is None:
                return graph_error(100, "No matching user found", 2018001)
            theirs = [m for m in conversation["_messages"] if m["from"]["id"] == user_id]
            last = max(datetime.fromisoformat(m["created_time"]) for m in theirs)
            if self.now - last > MESSAGING_WINDOW:
                return graph_error(10, "This message is sent outside of allowed window.", 2018278)
            name = conversation["_name"]
        conversation = self._conversation_with(user_id, name)
        message = self._add_message(
            conversation, (self.owner_id, self.owner_name), (user_id, name), text
        )
        return self.ok({"recipient_id": user_id, "message_id": message["id"]})

    def author_of(self, item: dict[str, Any]) -> tuple[str, str]:
        who = item.get("from") or {}
        return str(who.get("id", "")), str(who.get("name") or who.get("username") or "")

    def our_messages(self) -> list[dict[str, Any]]:
        return [
            m
            for c in self.conversations
            for m in c["_messages"]
            if m["from"]["id"] == self.owner_id
        ]
