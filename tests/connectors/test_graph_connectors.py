"""What the Facebook and Instagram connectors do alike, because `GraphConnector` does it for both:
each test runs on both fake Graph platforms, on a real local server."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.fakes.facebook import PAGE_ID, FakeFacebook, facebook, facebook_connector
from tests.fakes.graph import VERSION, answer_to, error_body, graph_error, http, ingest
from tests.fakes.instagram import IG_USER_ID, FakeInstagram, instagram, instagram_connector
from tests.fakes.server import FakeServer, Reply, json_reply
from webcare_tui.connectors.base import RateLimited, TransientError
from webcare_tui.connectors.graph import MissingPermission, PrivateReplyRefused
from webcare_tui.connectors.graph_base import GraphConnector
from webcare_tui.connectors.http_errors import RequestRejected
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import Direction, IncomingMessage, ThreadState
from webcare_tui.store import Store

__all__ = ["facebook", "http", "instagram"]  # fixtures, imported for pytest

Item = dict[str, Any]


@dataclass(frozen=True)
class Graph:
    """One Graph platform as these tests drive it: its fake (`fixture`), its connector, what
    carries comments (a post, a media), how a customer answers under a top-level comment, and
    the names and numbers the platform has for the same things."""

    fixture: str
    connect: Callable[[FakeServer, httpx.AsyncClient], GraphConnector]
    account: str
    listing: str  # the account's objects that carry comments
    new_object: Callable[[Any], Item]
    answer_under: Callable[[Any, Item, Item, str], Item]  # (fake, object, top comment, text)
    answer_edge: str  # where an answer to a top-level comment is posted
    limit: int
    too_long_says: str  # what the platform's refusal of a too long reply says
    usage_type: str  # the `type` in its X-Business-Use-Case-Usage entries
    read_permission: str
    messaging_permission: str
    customer: tuple[str, str]  # (id, name) of the fake's default commenter
    conversation_platform: list[str] | None  # the `platform` asked of its conversations

    @property
    def messages(self) -> str:
        return f"/{VERSION}/{self.account}/messages"


def _facebook_answer(fake: FakeFacebook, post: Item, top: Item, text: str) -> Item:
    return fake.add_comment(post, text, parent=top)


def _instagram_answer(fake: FakeInstagram, media: Item, top: Item, text: str) -> Item:
    return fake.add_reply(top, text)


GRAPHS = {
    "facebook": Graph(
        "facebook",
        facebook_connector,
        PAGE_ID,
        f"/{VERSION}/{PAGE_ID}/feed",
        lambda fake: fake.add_post(),
        _facebook_answer,
        "comments",
        8000,
        "8000",
        "pages",
        "pages_read_engagement",
        "pages_messaging",
        ("2711636948859886", "Kun Liu"),
        None,
    ),
    "instagram": Graph(
        "instagram",
        instagram_connector,
        IG_USER_ID,
        f"/{VERSION}/{IG_USER_ID}/media",
        lambda fake: fake.add_media(),
        _instagram_answer,
        "replies",
        2200,
        "too long",
        "instagram",
        "instagram_basic",
        "instagram_manage_messages",
        ("17841400000000123", "yjmjump"),
        ["instagram"],
    ),
}


Fake = FakeFacebook | FakeInstagram


Served = tuple[Graph, Fake, FakeServer]


@pytest.fixture(params=list(GRAPHS))
def graph(request: pytest.FixtureRequest) -> Served:
    """Each Graph platform in turn, its fake serving on 127.0.0.1."""
    case = GRAPHS[request.param]
    fake, server = request.getfixturevalue(case.fixture)
    return case, fake, server


async def one_comment(
    graph: Graph, fake: Fake, server: FakeServer, http: httpx.AsyncClient, **when: Any
) -> tuple[GraphConnector, IncomingMessage]:
    """A customer's "Help" on a new post or media (written `when` ago), as the connector read it."""
    fake.add_comment(graph.new_object(fake), "Help", **when)
    connector = graph.connect(server, http)
    [message] = (await connector.fetch(None)).messages
    return connector, message


# -- reading ------------------------------------------------------------------------------------


async def test_a_flood_of_comments_is_paged_and_nothing_doubled(
    graph: Served, http: httpx.AsyncClient
) -> None:
    case, fake, server = graph
    thing = case.new_object(fake)
    fake.add_comment(thing, "before")
    connector = case.connect(server, http)
    cursor = (await connector.fetch(None)).cursor
    for i in range(130):
        fake.add_comment(thing, f"comment {i}")
    result = await connector.fetch(cursor)
    assert [m.text for m in result.messages] == [f"comment {i}" for i in range(130)]
    pages = server.calls(f"/{VERSION}/{thing['id']}/comments")
    assert len(pages) == 2  # 50 nested in the listing, then two pages of 50 (the last short)
    assert all("access_token" not in p.query for p in pages)
    assert (await connector.fetch(result.cursor)).messages == []


# -- threads, through the store -----------------------------------------------------------------


async def test_our_reply_joins_the_thread_and_a_follow_up_reopens_it(
    graph: Served, http: httpx.AsyncClient, store: Store, response_clock: ResponseClock
) -> None:
    case, fake, server = graph
    thing = case.new_object(fake)
    question = fake.add_comment(thing, "My order never came")
    connector = case.connect(server, http)
    first = await connector.fetch(None)
    ingest(store, response_clock, fake, first)
    thread = store.thread_of_message(fake.connector, question["id"])
    assert thread is not None
    sent = await connector.send(answer_to(first.messages[0]))
    second = await connector.fetch(first.cursor)
    assert [m.remote_id for m in second.messages] == [sent.remote_id]
    assert second.messages[0].direction is Direction.OUT
    assert second.messages[0].in_reply_to == question["id"]
    ingest(store, response_clock, fake, second)
    assert store.thread(thread).state is ThreadState.REPLIED
    store.set_state(thread, ThreadState.RESOLVED, actor="AB", now=fake.now)
    follow_up = case.answer_under(fake, thing, question, "Still nothing!")
    third = await connector.fetch(second.cursor)
    ingest(store, response_clock, fake, third)
    assert store.thread_of_message(fake.connector, follow_up["id"]) == thread
    assert store.thread(thread).state is ThreadState.OPEN


# -- sending ------------------------------------------------------------------------------------


async def test_a_lost_answer_is_found_by_confirm_and_never_posted_twice(
    graph: Served, http: httpx.AsyncClient
) -> None:
    case, fake, server = graph
    connector, message = await one_comment(case, fake, server, http)
    assert connector.idempotent_send is False
    reply = answer_to(message)
    path = f"/{VERSION}/{message.remote_id}/{case.answer_edge}"
    server.fail(path, Reply(hang=True), method="POST", after=True)
    with pytest.raises(TransientError):
        await connector.send(reply)
    found = await connector.confirm(reply)
    [ours] = fake.ours()
    assert found is not None and found.remote_id == ours["id"]
    assert len(server.calls(path, "POST")) == 1
    assert await connector.confirm(answer_to(message, "a reply we never sent ^AB")) is None


async def test_a_too_long_reply_is_rejected_not_retried(
    graph: Served, http: httpx.AsyncClient
) -> None:
    case, fake, server = graph
    connector, message = await one_comment(case, fake, server, http)
    assert connector.length_rule.limit == case.limit
    assert await connector.length_limit() == case.limit
    with pytest.raises(RequestRejected, match=case.too_long_says):
        await connector.send(answer_to(message, "x" * (case.limit + 1)))
    assert fake.ours() == []


async def test_a_private_reply_after_7_days_is_refused_without_asking(
    graph: Served, http: httpx.AsyncClient
) -> None:
    case, fake, server = graph
    connector, message = await one_comment(
        case, fake, server, http, ago=timedelta(days=7, minutes=1)
    )
    with pytest.raises(PrivateReplyRefused, match="7 days") as caught:
        await connector.send(answer_to(message, private=True))
    assert "Messenger's 24-hour window" in str(caught.value)
    assert server.calls(case.messages) == []


# -- escalation to DM ---------------------------------------------------------------------------


async def test_dm_escalation_is_a_private_reply_and_the_dm_answer_joins_the_thread(
    graph: Served, http: httpx.AsyncClient, store: Store, response_clock: ResponseClock
) -> None:
    case, fake, server = graph
    question = fake.add_comment(case.new_object(fake), "I was charged twice")
    connector = case.connect(server, http)
    first = await connector.fetch(None)
    ingest(store, response_clock, fake, first)
    thread = store.thread_of_message(fake.connector, question["id"])
    sent = await connector.send(answer_to(first.messages[0], "Could you DM us? ^AB", private=True))
    [call] = server.calls(case.messages, "POST")
    assert call.json()["recipient"] == {"comment_id": question["id"]}
    assert call.json()["message"] == {"text": "Could you DM us? ^AB"}
    store.ingest(  # as the outbox records what it sent
        fake.connector,
        fake.channel,
        [
            IncomingMessage(
                remote_id=sent.remote_id,
                author=fake.owner_name,
                text="Could you DM us? ^AB",
                created_at=fake.now,
                direction=Direction.OUT,
                in_reply_to=question["id"],
                is_private=True,
            )
        ],
        clock=response_clock,
        seen_at=fake.now,
    )
    answer = fake.customer_writes(*case.customer, "Order 4711, call me")
    second = await connector.fetch(first.cursor)
    ours, theirs = second.messages
    assert ours.remote_id == sent.remote_id and ours.direction is Direction.OUT
    assert theirs.remote_id == answer["id"] and theirs.is_private
    assert theirs.in_reply_to == sent.remote_id
    conversations = server.calls(f"/{VERSION}/{case.account}/conversations")
    assert conversations[-1].query.get("platform") == case.conversation_platform
    ingest(store, response_clock, fake, second)
    assert store.thread_of_message(fake.connector, answer["id"]) == thread
    with pytest.raises(PrivateReplyRefused):
        await connector.send(answer_to(first.messages[0], "again ^AB", private=True))
    # The DM answer itself goes back into the conversation, inside Messenger's window.
    dm_sent = await connector.send(answer_to(theirs, "We'll call you ^AB"))
    assert server.calls(case.messages, "POST")[-1].json()["recipient"] == {"id": case.customer[0]}
    assert dm_sent.remote_id == fake.our_messages()[0]["id"]


# -- failures -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("graph", "code", "minutes", "figures"),
    [
        ("facebook", 32, 42, {"call_count": 100, "total_cputime": 12, "total_time": 30}),
        ("instagram", 80002, 5, {}),
    ],
    indirect=["graph"],
)
async def test_throttling_backs_off_until_graph_says(
    graph: Served,
    http: httpx.AsyncClient,
    code: int,
    minutes: int,
    figures: dict[str, int],
) -> None:
    case, _, server = graph
    entry = {"type": case.usage_type, **figures, "estimated_time_to_regain_access": minutes}
    usage = {"X-Business-Use-Case-Usage": json.dumps({case.account: [entry]})}
    server.fail(case.listing, json_reply(error_body(code, "request limit reached"), 400, **usage))
    before = datetime.now(UTC)
    with pytest.raises(RateLimited) as caught:
        await case.connect(server, http).fetch(None)
    retry_at = caught.value.retry_at
    assert retry_at is not None
    wait = timedelta(minutes=minutes)
    assert before + wait - timedelta(minutes=1) < retry_at
    assert retry_at < datetime.now(UTC) + wait + timedelta(minutes=1)


@pytest.mark.parametrize("code", [10, 200])
async def test_a_missing_permission_is_named(
    graph: Served, http: httpx.AsyncClient, code: int
) -> None:
    case, _, server = graph
    server.fail(case.listing, graph_error(code, "Application does not have permission", status=403))
    with pytest.raises(MissingPermission, match=case.read_permission):
        await case.connect(server, http).fetch(None)


@pytest.mark.parametrize("code", [10, 230])
async def test_without_the_messaging_permission_comments_still_come_in(
    graph: Served, http: httpx.AsyncClient, code: int
) -> None:
    case, fake, server = graph
    fake.add_comment(case.new_object(fake), "Help")
    conversations = f"/{VERSION}/{case.account}/conversations"
    server.fail(conversations, graph_error(code, "Permission denied", status=403))
    result = await case.connect(server, http).fetch(None)
    assert [m.text for m in result.messages] == ["Help"]
    [warning] = result.warnings
    assert case.messaging_permission in warning
