"""How far back the Graph connectors look for new comments: every post or media younger than
`post_window`, paged through with Graph's cursors, up to a page cap per poll. Each test runs on
both fake Graph platforms, on a real local server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.fakes.facebook import PAGE_ID, FakeFacebook, facebook
from tests.fakes.graph import VERSION, graph_connector, http
from tests.fakes.instagram import IG_USER_ID, FakeInstagram, instagram
from tests.fakes.server import FakeServer
from webcare_tui.connectors.facebook import FacebookConnector, FacebookOptions
from webcare_tui.connectors.graph_base import LISTING_PAGE_CAP, LISTING_PAGE_SIZE, GraphConnector
from webcare_tui.connectors.instagram import InstagramConnector, InstagramOptions

__all__ = ["facebook", "http", "instagram"]  # fixtures, imported for pytest

Fake = FakeFacebook | FakeInstagram
Connect = Callable[..., GraphConnector]


def _facebook(server: FakeServer, http: httpx.AsyncClient, **options: Any) -> GraphConnector:
    settings = FacebookOptions(
        graph_url=server.base_url, page_id=PAGE_ID, token_env="ACME_FB_TOKEN", **options
    )
    return graph_connector(FacebookConnector, FakeFacebook, settings, http, {})


def _instagram(server: FakeServer, http: httpx.AsyncClient, **options: Any) -> GraphConnector:
    settings = InstagramOptions(
        graph_url=server.base_url, ig_user_id=IG_USER_ID, token_env="ACME_IG_TOKEN", **options
    )
    return graph_connector(InstagramConnector, FakeInstagram, settings, http, {})


PLATFORMS = {
    "facebook": (_facebook, f"/{VERSION}/{PAGE_ID}/feed"),
    "instagram": (_instagram, f"/{VERSION}/{IG_USER_ID}/media"),
}


@pytest.fixture(params=list(PLATFORMS))
def graph(request: pytest.FixtureRequest) -> tuple[Fake, FakeServer, Connect, str]:
    connect, listing = PLATFORMS[request.param]
    fake, server = request.getfixturevalue(request.param)
    return fake, server, connect, listing


def new_object(fake: Fake, ago: timedelta | None = None) -> dict[str, Any]:
    if isinstance(fake, FakeFacebook):
        return fake.add_post(ago=ago)
    return fake.add_media(ago=ago)


async def test_a_comment_on_the_sixtieth_post_is_read(
    graph: tuple[Fake, FakeServer, Connect, str], http: httpx.AsyncClient
) -> None:
    fake, server, connect, listing = graph
    posts = [new_object(fake, ago=timedelta(days=10, minutes=-i)) for i in range(60)]
    connector = connect(server, http)
    cursor = (await connector.fetch(None)).cursor
    fake.add_comment(posts[0], "still waiting for my refund")  # the oldest: 60th in the list
    calls = len(server.calls(listing))
    result = await connector.fetch(cursor)
    assert len(server.calls(listing)) - calls == 3  # 25 + 25 + 10, and no next link
    assert [m.text for m in result.messages] == ["still waiting for my refund"]
    assert result.warnings == []
    again = await connector.fetch(result.cursor)
    assert again.messages == []


async def test_a_post_older_than_the_window_is_not_read(
    graph: tuple[Fake, FakeServer, Connect, str], http: httpx.AsyncClient
) -> None:
    fake, server, connect, listing = graph
    old = new_object(fake, ago=timedelta(days=9))
    for _ in range(LISTING_PAGE_SIZE):
        new_object(fake, ago=timedelta(days=1))
    for _ in range(3 * LISTING_PAGE_SIZE):
        new_object(fake, ago=timedelta(days=20))  # pages that are all past the window
    connector = connect(server, http, post_window="7d")
    cursor = (await connector.fetch(None)).cursor
    young = new_object(fake)
    fake.add_comment(old, "on a post from last week")
    fake.add_comment(young, "on today's post")
    calls = len(server.calls(listing))
    result = await connector.fetch(cursor)
    assert [m.text for m in result.messages] == ["on today's post"]
    assert len(server.calls(listing)) - calls == 2  # the page that reached past 7 days ends it
    assert result.warnings == []


async def test_the_page_cap_bounds_a_poll_and_says_so(
    graph: tuple[Fake, FakeServer, Connect, str], http: httpx.AsyncClient
) -> None:
    fake, server, connect, listing = graph
    watched = LISTING_PAGE_CAP * LISTING_PAGE_SIZE
    posts = [new_object(fake, ago=timedelta(days=2, minutes=-i)) for i in range(watched + 1)]
    connector = connect(server, http)
    cursor = (await connector.fetch(None)).cursor
    fake.add_comment(posts[0], "past the cap")
    fake.add_comment(posts[1], "the last one watched")
    calls = len(server.calls(listing))
    result = await connector.fetch(cursor)
    assert [m.text for m in result.messages] == ["the last one watched"]
    assert len(server.calls(listing)) - calls == LISTING_PAGE_CAP
    [warning] = result.warnings
    assert f"newest {watched} posts" in warning and "post_window (30d)" in warning


@pytest.mark.parametrize("value", ["30", "0d", "2w", "-3d", "1000d", ""])
def test_a_post_window_that_is_not_days_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="post_window: expected calendar days like 30d"):
        FacebookOptions(page_id=PAGE_ID, token_env="T", post_window=value)
