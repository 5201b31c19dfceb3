"""The slice of the Mastodon API the connector uses, as docs.joinmastodon.org describes it.

Answers are built from answers a real Mastodon 4.5 server gave (fixtures/mastodon, recorded by
the Mastodon.py project, MIT): the same shapes, the same `Link` and `X-RateLimit-*` headers.
"""

from __future__ import annotations

import copy
import html
import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

from tests.fakes.server import FakeServer, Reply, Request, json_reply
from webcare_tui.connectors.base import ConnectorSettings
from webcare_tui.connectors.mastodon import MastodonConnector, MastodonOptions

FIXTURES = Path(__file__).parent / "fixtures" / "mastodon"
TOKEN = "mastodon-token-3f9a1c7e"  # what the fake accepts; tests check it never leaks
RATE_RESET = "2026-08-01T15:00:00.869078Z"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def mastodon_connector(
    server: FakeServer, http: httpx.AsyncClient, **environ: str
) -> MastodonConnector:
    """A Mastodon connector `acme-social` pointed at `server` (its URL with a trailing slash, as
    a config may write it), with the fake's token unless the test gives its own `environ`."""
    settings = ConnectorSettings(
        name="acme-social",
        type="mastodon",
        channel="mastodon",
        options=MastodonOptions(base_url=server.base_url + "/", token_env="ACME_MASTODON_TOKEN"),
    )
    env = environ if environ else {"ACME_MASTODON_TOKEN": TOKEN}
    return MastodonConnector(settings, http=http, environ=env)


class FakeMastodon:
    def __init__(self, *, max_page: int = 40) -> None:
        self.base_url = ""  # set once the server listens
        self.max_page = max_page
        self.notifications: list[dict[str, Any]] = []  # oldest first
        self.statuses: list[dict[str, Any]] = []  # statuses we posted
        self.idempotency: dict[str, dict[str, Any]] = {}
        self.instance = fixture("instance_v2.json")["body"]
        self.honour_types = True  # servers before 3.5 ignore types[]
        self.link_host: str | None = None  # to serve Link headers naming another host
        self.page_requests = 0
        self.repeat_at: set[int] = set()  # numbers of page requests that get the last page again
        self._last_page: Reply | None = None
        self._template = fixture("notifications_mention.json")["body"][0]
        self._status_template = fixture("status_reply.json")["body"]
        self._next_notification = 100
        self._next_status = 117020600000000000
        # Faults of the status POST: that many answers are lost after the status was created
        # (the connection drops mid-answer); `posted` is set once a status exists.
        self.lose_answers = 0
        self.posted = threading.Event()

    # -- test helpers -------------------------------------------------------------------------
    def add_mention(
        self,
        text: str = "hello!",
        *,
        acct: str = "klant@other.example",
        display_name: str = "Klant",
        followers: int = 12,
        visibility: str = "public",
        in_reply_to_id: str | None = None,
        notification_id: str | None = None,
    ) -> dict[str, Any]:
        notification = copy.deepcopy(self._template)
        self._next_notification += 1
        self._next_status += 1
        status = notification["status"]
        notification["id"] = notification_id or str(self._next_notification)
        status["id"] = str(self._next_status)
        status["content"] = (
            '<p><span class="h-card" translate="no"><a href="https://brand.example/@brand" '
            'class="u-url mention">@<span>brand</span></a></span> '
            f"{html.escape(text)}</p>"
        )
        status["visibility"] = visibility
        status["in_reply_to_id"] = in_reply_to_id
        status["url"] = f"https://other.example/@klant/{status['id']}"
        account = status["account"]
        account.update(acct=acct, display_name=display_name, followers_count=followers)
        notification["account"] = account
        self.notifications.append(notification)
        return notification

    def add_other(self, kind: str = "favourite") -> None:
        self._next_notification += 1
        self.notifications.append(
            {"id": str(self._next_notification), "type": kind, "status": None}
        )

    # -- the API ------------------------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        if request.path.rstrip("/") == "/api/v2/instance":
            return self._ok(self.instance)
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return json_reply({"error": "The access token is invalid"}, 401)
        if request.method == "GET" and request.path == "/api/v1/notifications":
            return self._notifications(request)
        if request.method == "POST" and request.path == "/api/v1/statuses":
            return self._post_status(request)
        return json_reply({"error": "Record not found"}, 404)

    def _ok(self, body: Any, **headers: str) -> Reply:
        limits = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299"}
        return json_reply(body, 200, **limits, **{"X-RateLimit-Reset": RATE_RESET}, **headers)

    def _notifications(self, request: Request) -> Reply:
        self.page_requests += 1
        if self.page_requests in self.repeat_at and self._last_page is not None:
            return self._last_page  # a cache in front of the server answered from memory
        types = request.query.get("types[]", [])
        items = [
            n
            for n in self.notifications
            if not self.honour_types or not types or n["type"] in types
        ]
        limit = min(int(request.arg("limit", "40") or 40), self.max_page, 80)
        max_id, since_id, min_id = (request.arg(k) for k in ("max_id", "since_id", "min_id"))
        if max_id:
            items = [n for n in items if int(n["id"]) < int(max_id)]
        if since_id:
            items = [n for n in items if int(n["id"]) > int(since_id)]
        if min_id:
            # min_id: the page immediately after min_id (the oldest ones), newest first.
            page = [n for n in items if int(n["id"]) > int(min_id)][:limit]
        else:
            page = items[-limit:] if limit else []
        page = list(reversed(page))
        headers = {}
        if page:
            host = self.link_host or self.base_url
            extra = {"limit": str(limit), "types[]": types[0]} if types else {"limit": str(limit)}
            links = []
            url = f"{host}/api/v1/notifications"
            if len(page) == limit:
                query = urlencode({"max_id": page[-1]["id"], **extra})
                links.append(f'<{url}?{query}>; rel="next"')
            links.append(f'<{url}?{urlencode({"min_id": page[0]["id"], **extra})}>; rel="prev"')
            headers["Link"] = ", ".join(links)
        reply = self._ok(page, **headers)
        self._last_page = reply
        return reply

    def _post_status(self, request: Request) -> Reply:
        key = request.headers.get("idempotency-key")
        if key and key in self.idempotency:
            if self.lose_answers:
                self.lose_answers -= 1
                return self._lost(self.idempotency[key])
            return self._ok(self.idempotency[key])  # Mastodon remembers keys for an hour
        form = request.form_or_json()
        text = str(form.get("status", ""))
        limit = self.instance["configuration"]["statuses"]["max_characters"]
        if len(text) > limit:
            return json_reply(
                {"error": f"Validation failed: Text character limit of {limit} exceeded"}, 422
            )
        status = copy.deepcopy(self._status_template)
        self._next_status += 1
        status.update(
            id=str(self._next_status),
            created_at=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            content=f"<p>{html.escape(text)}</p>",
            in_reply_to_id=form.get("in_reply_to_id"),
            visibility=form.get("visibility", "public"),
            url=f"https://brand.example/@brand/{self._next_status}",
        )
        status["_sent"] = {"form": form, "idempotency_key": key}
        self.statuses.append(status)
        if key:
            self.idempotency[key] = status
        self.posted.set()
        if self.lose_answers:
            self.lose_answers -= 1
            return self._lost(status)
        return self._ok(status)

    def _lost(self, status: dict[str, Any]) -> Reply:
        # The status line and headers go out, the body never does: the client cannot tell
        # whether the post happened.
        lost = self._ok(status)
        lost.cut_body_at = 0
        return lost
