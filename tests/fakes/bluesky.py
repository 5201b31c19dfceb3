"""The slice of a PDS (with its AppView and chat proxy) the Bluesky connector uses.

Shapes come from answers a real local AT Protocol network gave (fixtures/bluesky, recorded from
`@atproto/dev-env`): listNotifications, createRecord. Behaviour follows the lexicons and what
the reference PDS does: an expired access token is HTTP 400 `ExpiredToken`, refreshSession takes
the refresh JWT, listNotifications pages back in time by an `indexedAt` cursor, and createRecord
with a record key that is taken fails (the reference PDS answers 500).
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.fakes.server import FakeServer, Reply, Request, json_reply
from webcare_tui.connectors.base import ConnectorSettings
from webcare_tui.connectors.bluesky import BlueskyConnector, BlueskyOptions

FIXTURES = Path(__file__).parent / "fixtures" / "bluesky"
HANDLE = "brand.test"
DID = "did:plc:ygdfzszsuswpn3iywp3o2h3a"
PASSWORD = "app-pass-wxyz-1234"
CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
START = datetime(2026, 11, 22, 9, 0, 0, tzinfo=UTC)


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["body"]


def bluesky_connector(
    server: FakeServer, http: httpx.AsyncClient, **environ: str
) -> BlueskyConnector:
    """A Bluesky connector `acme-bsky` for `@brand.test` on `server`, with the fake's app
    password unless the test gives its own `environ`."""
    settings = ConnectorSettings(
        name="acme-bsky",
        type="bluesky",
        channel="bluesky",
        options=BlueskyOptions(
            service=server.base_url, handle="@brand.test", password_env="ACME_BSKY_PASSWORD"
        ),
    )
    env = environ if environ else {"ACME_BSKY_PASSWORD": PASSWORD}
    return BlueskyConnector(settings, http=http, environ=env)


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def error(status: int, name: str, message: str, **headers: str) -> Reply:
    return json_reply({"error": name, "message": message}, status, **headers)


class FakeBluesky:
    def __init__(self) -> None:
        self.notifications: list[dict[str, Any]] = []  # newest first, like the AppView
        self.records: dict[tuple[str, str], dict[str, Any]] = {}  # (repo, rkey) -> record view
        self.convo_messages: list[dict[str, Any]] = []  # oldest first
        self.profiles: dict[str, dict[str, Any]] = {}
        self.honour_reasons = True
        self.logins = 0
        self.refreshes = 0
        self._access: set[str] = set()
        self._expired_access: set[str] = set()
        self._refresh: set[str] = set()
        self._counter = itertools.count(1)
        self._clock = START
        self._template = fixture("listNotifications_mention.json")["notifications"][0]
        self._created = fixture("createRecord_reply.json")

    # -- test helpers -------------------------------------------------------------------------
    def add(
        self,
        text: str = "hey @brand.test my order is late",
        *,
        reason: str = "mention",
        handle: str = "customer.test",
        at: datetime | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A new notification, indexed one second after the previous one (or at `at`)."""
        n = next(self._counter)
        notification = copy.deepcopy(self._template)
        self._clock = at or self._clock + timedelta(seconds=1)
        rkey = f"3n2vb{n:08d}"
        did = notification["author"]["did"]
        notification["uri"] = f"at://{did}/app.bsky.feed.post/{rkey}"
        notification["cid"] = "bafyrei" + hashlib.sha256(rkey.encode()).hexdigest()[:52]
        notification["reason"] = reason
        notification["author"]["handle"] = handle
        notification["indexedAt"] = stamp(self._clock)
        notification["record"]["text"] = text
        notification["record"]["createdAt"] = stamp(self._clock - timedelta(milliseconds=300))
        if reply_to is not None:
            notification["record"]["reply"] = reply_to
        self.notifications.insert(0, notification)
        self.records[(did, rkey)] = {
            "uri": notification["uri"],
            "cid": notification["cid"],
            "value": notification["record"],
        }
        return notification

    def expire_access(self) -> None:
        self._expired_access |= self._access
        self._access.clear()

    def expire_all(self) -> None:
        self.expire_access()
        self._refresh.clear()

    def posts(self) -> list[dict[str, Any]]:
        return [r for (repo, _), r in self.records.items() if repo == DID]

    # -- the API ------------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        nsid = request.path.removeprefix("/xrpc/")
        if nsid == "com.atproto.server.createSession":
            return self._create_session(request)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if nsid == "com.atproto.server.refreshSession":
            return self._refresh_session(token)
        if token in self._expired_access:
            return error(400, "ExpiredToken", "Token has expired")
        if token not in self._access:
            return error(401, "InvalidToken", "Token could not be verified")
        if nsid.startswith("chat.bsky.") and request.headers.get("atproto-proxy") != CHAT_PROXY:
            return error(400, "InvalidRequest", "chat methods need the atproto-proxy header")
        route = {
            "app.bsky.notification.listNotifications": self._list,
            "com.atproto.repo.createRecord": self._create_record,
            "com.atproto.repo.getRecord": self._get_record,
            "com.atproto.identity.resolveHandle": self._resolve,
            "chat.bsky.convo.getConvoForMembers": self._convo,
            "chat.bsky.convo.getMessages": self._messages,
            "chat.bsky.convo.sendMessage": self._send_message,
            "chat.bsky.convo.getLog": self._log,
        }.get(nsid)
        if route is None:
            return error(501, "MethodNotImplemented", "Method Not Implemented")
        return route(request)

    def _session(self) -> dict[str, Any]:
        n = next(self._counter)
        access, refresh = f"access-jwt-{n}-secret", f"refresh-jwt-{n}-secret"
        self._access.add(access)
        self._refresh.add(refresh)
        return {"accessJwt": access, "refreshJwt": refresh, "handle": HANDLE, "did": DID}

    def _create_session(self, request: Request) -> Reply:
        body = request.json()
        if body.get("identifier") != HANDLE or body.get("password") != PASSWORD:
            return error(401, "AuthenticationRequired", "Invalid identifier or password")
        self.logins += 1
        return json_reply(self._session())

    def _refresh_session(self, token: str) -> Reply:
        if token not in self._refresh:
            return error(400, "ExpiredToken", "Token has expired")
        self._refresh.discard(token)  # refresh tokens rotate
        self.refreshes += 1
        return json_reply(self._session())

    def _list(self, request: Request) -> Reply:
        limit = int(request.arg("limit", "50") or 50)
        reasons = request.query.get("reasons", [])
        items = [
            n
            for n in self.notifications
            if not self.honour_reasons or not reasons or n["reason"] in reasons
        ]
        cursor = request.arg("cursor")
        if cursor:
            items = [n for n in items if n["indexedAt"] < cursor]
        page = items[:limit]
        body: dict[str, Any] = {"notifications": page, "priority": False, "seenAt": stamp(START)}
        if page:
            body["cursor"] = page[-1]["indexedAt"]
        return json_reply(body)

    def _create_record(self, request: Request) -> Reply:
        body = request.json()
        rkey = body.get("rkey")
        if body.get("repo") != DID or body.get("collection") != "app.bsky.feed.post":
            return error(400, "InvalidRequest", "bad repo or collection")
        if rkey is not None and not TID.match(rkey):
            return error(400, "InvalidRequest", "Invalid record key")
        if (DID, rkey) in self.records:
            return error(500, "InternalServerError", "Internal Server Error")
        created = copy.deepcopy(self._created)
        created["uri"] = f"at://{DID}/app.bsky.feed.post/{rkey}"
        self.records[(DID, rkey)] = {
            "uri": created["uri"],
            "cid": created["cid"],
            "value": body["record"],
        }
        return json_reply(created)

    def _get_record(self, request: Request) -> Reply:
        found = self.records.get((request.arg("repo") or "", request.arg("rkey") or ""))
        if found is None:
            return error(400, "RecordNotFound", "Could not locate record")
        return json_reply(found)

    def _resolve(self, request: Request) -> Reply:
        for n in self.notifications:
            if n["author"]["handle"] == request.arg("handle"):
                return json_reply({"did": n["author"]["did"]})
        return error(400, "InvalidRequest", "Unable to resolve handle")

    def _convo(self, request: Request) -> Reply:
        members = request.query.get("members", [])
        return json_reply({"convo": {"id": "convo-1", "rev": "1", "members": members}})

    def _messages(self, request: Request) -> Reply:
        return json_reply({"messages": list(reversed(self.convo_messages))[:20]})

    def add_chat(self, text: str, *, did: str, handle: str = "customer.test") -> dict[str, Any]:
        """The customer writes in the conversation (convo-1), as the chat service logs it."""
        message = {
            "$type": "chat.bsky.convo.defs#messageView",
            "id": f"msg-{next(self._counter)}",
            "rev": f"{next(self._counter):012d}",
            "text": text,
            "sender": {"did": did},
            "sentAt": stamp(datetime.now(UTC)),
        }
        self.convo_messages.append(message)
        self.profiles[did] = {"did": did, "handle": handle, "displayName": "Klant"}
        return message

    def _log(self, request: Request) -> Reply:
        """chat.bsky.convo.getLog: every message created after the cursor (a `rev`)."""
        cursor = request.arg("cursor") or ""
        logs = [
            {
                "$type": "chat.bsky.convo.defs#logCreateMessage",
                "rev": m["rev"],
                "convoId": "convo-1",
                "message": m,
                "relatedProfiles": [p for d, p in self.profiles.items() if d == m["sender"]["did"]],
            }
            for m in self.convo_messages
            if m["rev"] > cursor
        ]
        body: dict[str, Any] = {"logs": logs}
        if logs:
            body["cursor"] = logs[-1]["rev"]
        return json_reply(body)

    def _send_message(self, request: Request) -> Reply:
        body = request.json()
        message = {
            "$type": "chat.bsky.convo.defs#messageView",
            "id": f"msg-{next(self._counter)}",
            "rev": f"{next(self._counter):012d}",
            "text": body["message"]["text"],
            "facets": body["message"].get("facets"),
            "sender": {"did": DID},
            "sentAt": stamp(datetime.now(UTC)),
        }
        self.convo_messages.append(message)
        return json_reply(message)
