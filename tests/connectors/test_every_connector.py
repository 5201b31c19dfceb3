"""What every connector that logs in with a secret does alike, against its fake platform on a
real local server: a missing secret is named before any request, a 5xx is transient, a 429
waits as long as the server says, and an answer that cannot be read is malformed
(docs/connectors.md, "Errors")."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import msgspec
import pytest

from tests.fakes.bluesky import bluesky_connector
from tests.fakes.facebook import PAGE_ID, facebook, facebook_connector
from tests.fakes.graph import VERSION, graph_error
from tests.fakes.instagram import IG_USER_ID, instagram, instagram_connector
from tests.fakes.mastodon import mastodon_connector
from tests.fakes.server import FakeServer, Reply
from tests.fakes.x import x_connector
from webcare_tui.connectors.base import (
    AuthFailed,
    Connector,
    MalformedResponse,
    RateLimited,
    TransientError,
)

__all__ = ["facebook", "instagram"]  # fixtures, imported for pytest

Connect = Callable[[FakeServer, httpx.AsyncClient], Connector]


def html_error(status: int) -> Reply:
    return Reply(status, b"<html>over capacity</html>", {"Content-Type": "text/html"})


def graph_unexpected(status: int) -> Reply:
    return graph_error(2, "An unexpected error has occurred", status=status)


@dataclass(frozen=True)
class Platform:
    """A fake platform (`fixture`) and its connector (`connect`), with the path a first poll
    reads and how that platform answers a server error."""

    fixture: str
    connect: Connect
    listing: str
    server_error: Callable[[int], Reply] = html_error


PLATFORMS = {
    "facebook": Platform(
        "facebook", facebook_connector, f"/{VERSION}/{PAGE_ID}/feed", graph_unexpected
    ),
    "instagram": Platform(
        "instagram", instagram_connector, f"/{VERSION}/{IG_USER_ID}/media", graph_unexpected
    ),
    "mastodon": Platform("mastodon", mastodon_connector, "/api/v1/notifications"),
    "bluesky": Platform(
        "bluesky", bluesky_connector, "/xrpc/app.bsky.notification.listNotifications"
    ),
    "x": Platform("x_api", x_connector, "/2/users/1072250532645998596/mentions"),
}


def served(
    request: pytest.FixtureRequest, http: httpx.AsyncClient, name: str
) -> tuple[Platform, FakeServer, Connector]:
    platform = PLATFORMS[name]
    _, server = request.getfixturevalue(platform.fixture)
    return platform, server, platform.connect(server, http)


@pytest.mark.parametrize("unnamed", [False, True], ids=["variable-unset", "no-variable-named"])
@pytest.mark.parametrize("name", PLATFORMS)
async def test_a_missing_secret_is_named_before_any_request(
    request: pytest.FixtureRequest, http: httpx.AsyncClient, name: str, unnamed: bool
) -> None:
    _, server, connector = served(request, http, name)
    [(key, variable)] = connector.options.secret_variables().items()
    settings, said = connector.settings, variable
    if unnamed:  # options built in code: config refuses a blank one
        blank = msgspec.structs.replace(connector.options, **{key: ""})
        settings, said = dataclasses.replace(settings, options=blank), f"has no {key} configured"
    with pytest.raises(AuthFailed, match=said):
        await type(connector)(settings, http=http, environ={"": "x"}).fetch(None)
    assert server.requests == []


@pytest.mark.parametrize("status", [500, 502, 503])
@pytest.mark.parametrize("name", PLATFORMS)
async def test_server_errors_are_transient(
    request: pytest.FixtureRequest, http: httpx.AsyncClient, name: str, status: int
) -> None:
    platform, server, connector = served(request, http, name)
    server.fail(platform.listing, platform.server_error(status))
    with pytest.raises(TransientError):
        await connector.fetch(None)


@pytest.mark.parametrize(
    "body", [b"Too Many Requests", b'{"error": "RateLimitExceeded"}'], ids=["text", "json"]
)
@pytest.mark.parametrize("name", PLATFORMS)
async def test_a_429_is_rate_limited_until_retry_after(
    request: pytest.FixtureRequest, http: httpx.AsyncClient, name: str, body: bytes
) -> None:
    platform, server, connector = served(request, http, name)
    server.fail(platform.listing, Reply(429, body, {"Retry-After": "600"}))
    before = datetime.now(UTC)
    with pytest.raises(RateLimited) as caught:
        await connector.fetch(None)
    retry_at = caught.value.retry_at
    assert retry_at is not None and retry_at >= before + timedelta(seconds=600)


UNREADABLE = {
    "facebook": {
        "truncated": b'{"data": [{"id": "1_2", "created_time"',
        "html": b"<html>maintenance</html>",
        "not-a-list": b'{"data": {"id": "x"}}',
        "no-id": b'{"data": [{"message": "no id"}]}',
        "comments-not-a-list": b'{"data": [{"id": "1_2", "comments": {"data": {"id": "3"}}}]}',
    },
    "instagram": {
        "truncated": b'{"data": [{"id": "1784"',
        "not-a-list": b'{"data": [{"id": "1", "comments": {"data": "nope"}}]}',
        "numeric-reply-id": b'{"data": [{"id": "1", "comments": {"data": [{"id": "2", "timestamp": "2020-02-24T09:15:16+0000", "replies": {"data": [{"id": 3}]}}]}}]}',  # noqa: E501
    },
    "mastodon": {
        "truncated": b'[{"id": "1", "type": "mention"',
        "html": b"<html>maintenance</html>",
        "object": b'{"a": 1}',
        "wrong-items": b"[1]",
    },
}


@pytest.mark.parametrize(
    ("name", "body"),
    [(name, body) for name, bodies in UNREADABLE.items() for body in bodies.values()],
    ids=[f"{name}-{what}" for name, bodies in UNREADABLE.items() for what in bodies],
)
async def test_unreadable_answers_are_malformed(
    request: pytest.FixtureRequest, http: httpx.AsyncClient, name: str, body: bytes
) -> None:
    platform, server, connector = served(request, http, name)
    server.fail(platform.listing, Reply(200, body, {"Content-Type": "application/json"}))
    with pytest.raises(MalformedResponse):
        await connector.fetch(None)
