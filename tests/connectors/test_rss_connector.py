"""The RSS/Atom connector against a real local HTTP server with conditional GET."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fakes.server import FakeServer, Reply, Request, serving
from webcare_tui.connectors.base import (
    CannotSend,
    ConnectorSettings,
    MalformedResponse,
    OutgoingReply,
    TransientError,
)
from webcare_tui.connectors.http_errors import MAX_BODY_BYTES, RequestRejected
from webcare_tui.connectors.rss import RssConnector, RssOptions, parse_feed, unwrap_link

FIXTURES = Path(__file__).resolve().parents[1] / "fakes" / "fixtures" / "rss"
LAST_MODIFIED = "Sun, 22 Nov 2026 09:00:00 GMT"


class FakeFeed:
    """A feed host: ETag and Last-Modified validators, 304 when nothing changed."""

    def __init__(self) -> None:
        self.body = b""
        self.content_type = "application/atom+xml; charset=utf-8"
        self.send_etag = True
        self.send_last_modified = True
        self.redirect_from: str | None = None

    def serve(self, name: str) -> None:
        self.body = (FIXTURES / name).read_bytes()

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    def handle(self, request: Request) -> Reply:
        if self.redirect_from and request.path == self.redirect_from:
            return Reply(301, b"", {"Location": "/feed"})
        if request.path != "/feed":
            return Reply(404, b"not found")
        validators = {}
        if self.send_etag:
            validators["ETag"] = self.etag
            if request.headers.get("if-none-match") == self.etag:
                return Reply(304, b"", validators)
        if self.send_last_modified:
            validators["Last-Modified"] = LAST_MODIFIED
            if not self.send_etag and request.headers.get("if-modified-since") == LAST_MODIFIED:
                return Reply(304, b"", validators)
        return Reply(200, self.body, {"Content-Type": self.content_type, **validators})


Env = tuple[FakeFeed, FakeServer]


@pytest.fixture
def feed() -> Iterator[Env]:
    yield from serving(FakeFeed())


def make(
    server: FakeServer, http: httpx.AsyncClient, path: str = "/feed", keywords: Sequence[str] = ()
) -> RssConnector:
    options = RssOptions(url=server.base_url + path, keywords=list(keywords))
    settings = ConnectorSettings(name="alerts", type="rss", channel="web", options=options)
    return RssConnector(settings, http=http)


async def test_google_alerts_entries_become_messages(feed: Env, http) -> None:
    fake, server = feed
    fake.serve("google_alerts.atom")
    result = await make(server, http).fetch(None)
    older, newer = result.messages
    assert newer.text == (
        "Why Acme parcels arrive late this week\n\n"
        "Customers say Acme deliveries in Utrecht are two days late ..."
    )
    assert newer.url == "https://news.example/2026/11/acme-late"
    assert older.url == "https://blog.example/acme-depot?ref=rss"
    assert newer.author == "Google Alert - acme"  # alerts have no author: the feed's title
    assert newer.remote_id == "tag:google.com,2013:googlealerts/feed:4816361818137049771"
    assert newer.created_at == datetime(2026, 11, 22, 8, 51, 43, tzinfo=UTC)
    assert result.warnings == []


async def test_conditional_get_and_no_doubles(feed: Env, http) -> None:
    fake, server = feed
    fake.serve("reviews.rss")
    connector = make(server, http)
    first = await connector.fetch(None)
    assert [m.remote_id for m in first.messages][:2] == [
        "https://reviews.example/acme/1001",  # no guid: the link is its id
        "review-1002",
    ]
    second = await connector.fetch(first.cursor)
    assert second.messages == [] and second.cursor is None  # 304: keep the old cursor
    assert server.requests[-1].headers["if-none-match"] == fake.etag
    # The feed changes: a new item on top, the old ones still there.
    fake.body = fake.body.replace(
        b"<item>",
        b"<item><title>New</title><guid>review-1003</guid><description>hi</description></item>"
        b"<item>",
        1,
    )
    third = await connector.fetch(first.cursor)
    assert [m.remote_id for m in third.messages] == ["review-1003"]
    assert (await connector.fetch(third.cursor)).messages == []


async def test_last_modified_alone_is_sent_back(feed: Env, http) -> None:
    fake, server = feed
    fake.serve("reviews.rss")
    fake.send_etag = False
    connector = make(server, http)
    first = await connector.fetch(None)
    second = await connector.fetch(first.cursor)
    assert server.requests[-1].headers["if-modified-since"] == LAST_MODIFIED
    assert second.messages == []


async def test_a_server_without_validators_still_gives_no_doubles(feed: Env, http) -> None:
    fake, server = feed
    fake.serve("reviews.rss")
    fake.send_etag = fake.send_last_modified = False
    connector = make(server, http)
    first = await connector.fetch(None)
    assert len(first.messages) == 3
    assert (await connector.fetch(first.cursor)).messages == []


async def test_rss_items_are_read_as_plain_text(feed: Env, http) -> None:
    fake, server = feed
    fake.serve("reviews.rss")
    messages = (await make(server, http).fetch(None)).messages
    by_id = {m.remote_id: m for m in messages}
    review = by_id["review-1002"]
    assert review.text == (
        "Two stars: slow refund\n\nWaited three weeks for my refund.\n\nStill nothing & no answer."
    )
    assert review.author == "jan@example.com (Jan)"
    assert review.created_at == datetime(2026, 11, 22, 8, 30, tzinfo=UTC)
    [undated] = [m for m in messages if m.remote_id.startswith("sha256:")]
    assert undated.url is None
    assert messages[-1] is undated  # no date: "now", so the newest


async def test_keywords_filter_entries(feed: Env, http) -> None:
    fake, server = feed
    fake.serve("reviews.rss")
    result = await make(server, http, keywords=("REFUND", "locker")).fetch(None)
    assert [m.text.split("\n")[0] for m in result.messages] == [
        "Two stars: slow refund",
        "An undated note without a link",
    ]


async def test_a_broken_feed_gives_its_entries_and_a_warning(feed: Env, http) -> None:
    fake, server = feed
    fake.serve("broken.rss")
    result = await make(server, http).fetch(None)
    [message] = result.messages
    assert message.remote_id == "forum-77"
    assert len(result.warnings) == 1


@pytest.mark.parametrize(
    "body", [b"", b"<html><body>Log in first</body></html>", b"\x00\xff garbage", b"{}"]
)
async def test_nothing_readable_is_malformed(feed: Env, http, body: bytes) -> None:
    fake, server = feed
    fake.body = body
    fake.content_type = "text/html"
    with pytest.raises(MalformedResponse):
        await make(server, http).fetch(None)


async def test_redirects_are_followed(feed: Env, http) -> None:
    fake, server = feed
    fake.serve("reviews.rss")
    fake.redirect_from = "/old-feed"
    result = await make(server, http, path="/old-feed").fetch(None)
    assert len(result.messages) == 3


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(503), TransientError),
        (Reply(hang=True), TransientError),
        (Reply(404), RequestRejected),
    ],
    ids=["503", "hang", "404"],
)
async def test_failures_have_the_right_class(feed: Env, http, reply: Reply, error: type) -> None:
    _, server = feed
    server.fail("/feed", reply)
    with pytest.raises(error):
        await make(server, http).fetch(None)


async def test_rss_cannot_send(feed: Env, http) -> None:
    _, server = feed
    connector = make(server, http)
    assert not connector.can_send
    reply = OutgoingReply(text="x", in_reply_to="a", root="a", customer="c", idempotency_key="k")
    with pytest.raises(CannotSend):
        await connector.send(reply)


def test_feed_bytes_are_never_taken_for_a_file_name(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text(
        '<rss version="2.0"><channel><item><title>LOCAL</title></item></channel></rss>'
    )
    with pytest.raises(MalformedResponse):
        parse_feed(str(secret).encode(), {})


@pytest.mark.parametrize(
    ("link", "target"),
    [
        (
            "https://www.google.com/url?rct=j&sa=t&url=https://a.example/x%3Fy%3D1&ct=ga",
            "https://a.example/x?y=1",
        ),
        ("https://google.com/url?q=https://b.example/", "https://b.example/"),
        (
            "https://www.google.com/url?url=javascript:alert(1)",
            "https://www.google.com/url?url=javascript:alert(1)",
        ),
        ("https://news.example/a", "https://news.example/a"),
        ("not a url [", "not a url ["),
    ],
)
def test_unwrap_link(link: str, target: str) -> None:
    assert unwrap_link(link) == target


@settings(max_examples=60)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_parse_or_are_malformed(content: bytes) -> None:
    with contextlib.suppress(MalformedResponse):  # anything else fails the test
        messages, _, keys = parse_feed(content, {"content-type": "application/xml"})
        assert len(keys) == len(set(keys))
        assert all(m.created_at.tzinfo is not None for m in messages)


entry_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=60)
@given(st.lists(st.tuples(entry_text, entry_text, st.booleans()), max_size=6))
def test_generated_feeds_never_double_an_entry(items: list[tuple[str, str, bool]]) -> None:
    from xml.sax.saxutils import escape

    body = "".join(
        f"<item><title>{escape(t)}</title><description>{escape(d)}</description>"
        + (f"<guid>{escape(t)}</guid>" if guid else "")
        + "</item>"
        for t, d, guid in items
    )
    document = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'
    )
    messages, _, keys = parse_feed(document.encode(), {})
    assert len({m.remote_id for m in messages}) == len(messages)
    again, _, _ = parse_feed(document.encode(), {}, seen=frozenset(keys))
    assert again == []


@pytest.mark.parametrize("packed", [False, True], ids=["plain", "gzip-bomb"])
async def test_an_answer_too_large_is_refused_unread(feed: Env, http, packed: bool) -> None:
    _, server = feed
    huge = b"<rss><channel>" + b" " * (MAX_BODY_BYTES + 10) + b"</channel></rss>"
    if packed:  # about 10 kB on the wire, over 10 MB unpacked
        server.fail("/feed", Reply(200, gzip.compress(huge), {"Content-Encoding": "gzip"}))
    else:
        server.fail("/feed", Reply(200, huge))
    with pytest.raises(MalformedResponse, match="larger than 10 MB"):
        await make(server, http).fetch(None)


async def test_a_gzipped_feed_is_read(feed: Env, http) -> None:
    _, server = feed
    body = (FIXTURES / "reviews.rss").read_bytes()
    server.fail("/feed", Reply(200, gzip.compress(body), {"Content-Encoding": "gzip"}))
    result = await make(server, http).fetch(None)
    assert len(result.messages) == 3
