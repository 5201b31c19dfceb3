"""Arbitrary JSON shapes and strings in every connector's answers, over real HTTP: a fetch fails
only as a `ConnectorError`, the store takes whatever it returns without raising, and no escape
sequence reaches the database or an error message."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import tempfile
from collections.abc import Callable, Iterator
from html import escape
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fakes.bluesky import FakeBluesky, bluesky_connector
from tests.fakes.clock import FROZEN_NOW
from tests.fakes.hostile import NASTY, any_json, assert_database_safe, assert_terminal_safe
from tests.fakes.mastodon import FakeMastodon, mastodon_connector
from tests.fakes.server import FakeServer, Reply, Request, json_reply
from webcare_tui.config import demo_config
from webcare_tui.connectors.base import Connector, ConnectorError, ConnectorSettings
from webcare_tui.connectors.rss import RssConnector, RssOptions
from webcare_tui.store import Store

FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CLOCK = demo_config().clock()

# Every code point, lone surrogates and controls included, and the known nasty ones.
strings = st.one_of(
    st.text(st.characters(blacklist_categories=()), max_size=40),
    st.sampled_from([NASTY, "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-05:00", "", "1"]),
)
json_values = any_json(strings, max_leaves=12)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document where another value could stand."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def places(document: Any) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.sampled_from(list(paths(document)))


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    document = copy.deepcopy(document)
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return document


class Answering:
    """A platform fake whose next answer to one path the test sets."""

    def __init__(self, platform: Callable[[Request], Reply], path: str) -> None:
        self.platform, self.path = platform, path
        self.answer: Reply = Reply(500)

    def handle(self, request: Request) -> Reply:
        return self.answer if request.path == self.path else self.platform(request)


@contextlib.contextmanager
def serving(
    platform: Callable[[Request], Reply], path: str
) -> Iterator[tuple[Answering, FakeServer]]:
    answering = Answering(platform, path)
    with FakeServer(answering.handle) as server:
        yield answering, server


async def fetch_and_store(connector: Connector) -> None:
    """What one poll does, with the poller's safety net taken away."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "webcare.db")
        try:
            try:
                fetched = await connector.fetch(None)
            except ConnectorError as error:
                assert_terminal_safe(str(error))
                return
            for warning in fetched.warnings:
                assert_terminal_safe(warning)
            store.ingest(
                connector.name,
                connector.settings.channel,
                fetched.messages,
                clock=CLOCK,
                seen_at=FROZEN_NOW,
                cursor=fetched.cursor,
                skipped=fetched.skipped,
            )
            assert_database_safe(store.path)
        finally:
            store.close()


def run(connector: Callable[[httpx.AsyncClient], Connector]) -> None:
    async def go() -> None:
        async with httpx.AsyncClient(timeout=2.0) as http:
            await fetch_and_store(connector(http))

    asyncio.run(go())


# -- Mastodon and Bluesky ----------------------------------------------------------------------

Platform = tuple[Answering, FakeServer, Any, Callable[[httpx.AsyncClient], Connector]]


def mastodon(server: FakeServer) -> Callable[[httpx.AsyncClient], Connector]:
    return lambda http: mastodon_connector(server, http)


def bluesky(server: FakeServer) -> Callable[[httpx.AsyncClient], Connector]:
    return lambda http: bluesky_connector(server, http)


@pytest.fixture(scope="module")
def mastodon_server() -> Iterator[Platform]:
    """A page of two good mentions, as the fake Mastodon writes them."""
    fake = FakeMastodon()
    template = fake.add_mention("where is my parcel?")
    page = [template, template | {"id": "200"}]
    with serving(fake.handle, "/api/v1/notifications") as (answering, server):
        yield answering, server, page, mastodon(server)


@pytest.fixture(scope="module")
def bluesky_server() -> Iterator[Platform]:
    """A page of two good notifications, as the fake Bluesky writes them."""
    fake = FakeBluesky()
    template = fake.add("hey @brand.test my order is late")
    other = template | {"uri": template["uri"] + "x", "indexedAt": "2026-11-22T09:00:02.000Z"}
    page = {"notifications": [other, template]}
    with serving(fake.handle, "/xrpc/app.bsky.notification.listNotifications") as served:
        answering, server = served
        yield answering, server, page, bluesky(server)


@pytest.mark.parametrize("platform", ["mastodon_server", "bluesky_server"])
@FUZZ
@given(data=st.data(), value=json_values)
def test_any_answer_is_stored_or_refused_cleanly(
    request: pytest.FixtureRequest, platform: str, data: st.DataObject, value: Any
) -> None:
    answering, _, page, connector = request.getfixturevalue(platform)
    answering.answer = json_reply(replaced(page, data.draw(places(page)), value))
    run(connector)


@pytest.mark.parametrize("platform", ["mastodon_server", "bluesky_server"])
@FUZZ
@given(status=st.sampled_from([400, 401, 403, 404, 422, 429, 500, 503]), body=json_values)
def test_any_error_body_gives_a_clean_error(
    request: pytest.FixtureRequest, platform: str, status: int, body: Any
) -> None:
    answering, _, _, connector = request.getfixturevalue(platform)
    header = "".join(c for c in str(body)[:30] if " " <= c <= "~")  # what HTTP can carry
    answering.answer = json_reply(body, status, **{"Retry-After": header})
    run(connector)


# -- RSS -----------------------------------------------------------------------------------------

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{0}</title><link>{1}</link>
<item><guid>{2}</guid><title>{3}</title><author>{4}</author><link>{5}</link>
<description>{6}</description><pubDate>{7}</pubDate></item>
<item><guid>fixed</guid><title>a good one</title><pubDate>Sun, 22 Nov 2026 08:00:00 GMT</pubDate>
</item></channel></rss>"""


def xml_text(text: str) -> str:
    """`text` for an XML document, with what UTF-8 cannot carry written as a character ref."""
    return "".join(
        f"&#x{ord(c):X};" if 0xD800 <= ord(c) <= 0xDFFF else c for c in escape(text, quote=False)
    )


@pytest.fixture(scope="module")
def feed_server() -> Iterator[tuple[Answering, FakeServer]]:
    with serving(lambda request: Reply(404), "/feed") as served:
        yield served


@FUZZ
@given(fields=st.lists(strings, min_size=8, max_size=8), raw=st.booleans())
def test_any_feed_is_stored_or_refused_cleanly(
    feed_server: tuple[Answering, FakeServer], fields: list[str], raw: bool
) -> None:
    answering, server = feed_server
    # Escaped, or as they came: a feed that is not even well-formed XML must not crash either.
    values = fields if raw else [xml_text(f) for f in fields]
    body = FEED.format(*values).encode("utf-8", "surrogatepass")
    answering.answer = Reply(200, body, {"Content-Type": "application/rss+xml"})
    settings = ConnectorSettings(
        "reviews", "rss", "rss", options=RssOptions(url=f"{server.base_url}/feed")
    )
    run(lambda http: RssConnector(settings, http=http))
