"""What every connector that logs in with a secret does alike, against its fake platform on a
real local server (docs/connectors.md, "Errors")."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

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
from webcare_tui.connectors.base import AuthFailed, Connector

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


def served(request: pytest.FixtureRequest, name: str) -> tuple[Platform, FakeServer]:
    platform = PLATFORMS[name]
    _, server = request.getfixturevalue(platform.fixture)
    return platform, server


@pytest.mark.parametrize("name", PLATFORMS)
async def test_options_that_name_no_secret_variable_say_which_key(
    request: pytest.FixtureRequest, http: httpx.AsyncClient, name: str
) -> None:
    platform, server = served(request, name)
    connector = platform.connect(server, http)
    [key] = connector.options.secret_variables()
    blank = msgspec.structs.replace(connector.options, **{key: ""})
    settings = dataclasses.replace(connector.settings, options=blank)
    with pytest.raises(AuthFailed, match=f"has no {key} configured"):
        await type(connector)(settings, http=http, environ={"": "x"}).fetch(None)
    assert server.requests == []
