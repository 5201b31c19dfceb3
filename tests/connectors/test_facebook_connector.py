"""The Facebook Page connector against a real local HTTP server speaking the Graph API. What
it does as Instagram does is tested on both in test_graph_connectors.py."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from tests.fakes.facebook import PAGE_ID, FakeFacebook, facebook, facebook_connector
from tests.fakes.graph import TOKEN, VERSION, answer_to, http, ingest
from tests.fakes.server import FakeServer, Reply
from webcare_tui.connectors.base import TransientError
from webcare_tui.connectors.graph import PrivateReplyRefused
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import Direction
from webcare_tui.store import Store

__all__ = ["facebook", "http"]  # fixtures, imported for pytest

Env = tuple[FakeFacebook, FakeServer]
FEED = f"/{VERSION}/{PAGE_ID}/feed"
MESSAGES = f"/{VERSION}/{PAGE_ID}/messages"
CUSTOMER = ("2711636948859886", "Kun Liu")
make = facebook_connector


# -- reading ------------------------------------------------------------------------------------


async def test_first_fetch_reads_comments_visitor_posts_and_dms(facebook: Env, http) -> None:
    fake, server = facebook
    ours = fake.add_post("Our autumn sale starts today!")
    question = fake.add_comment(ours, "Where is my parcel?")
    fake.add_comment(ours, "Join us at the store!", by=(PAGE_ID, "MyLife"))  # answers nobody
    visitor = fake.add_post("Your app logs me out", by=("100004", "Ann Visitor"))
    dm = fake.customer_writes("555", "Dee Em", "Can I change my address?")
    result = await make(server, http).fetch(None)
    by_id = {m.remote_id: m for m in result.messages}
    assert set(by_id) == {question["id"], visitor["id"], dm["id"]}
    comment = by_id[question["id"]]
    assert comment.text == "Where is my parcel?"
    assert (comment.author, comment.author_name) == CUSTOMER
    assert comment.in_reply_to is None and comment.direction is Direction.IN
    assert comment.created_at == datetime.fromisoformat(question["created_time"])
    assert comment.url == question["permalink_url"]
    assert not comment.is_private
    assert by_id[visitor["id"]].author_name == "Ann Visitor"
    assert by_id[visitor["id"]].in_reply_to is None
    assert by_id[dm["id"]].is_private and by_id[dm["id"]].text == "Can I change my address?"
    assert [m.created_at for m in result.messages] == sorted(m.created_at for m in result.messages)
    [feed] = server.calls(FEED)
    assert feed.headers["authorization"] == f"Bearer {TOKEN}"
    assert "access_token" not in feed.query


async def test_later_fetches_bring_only_what_is_new(facebook: Env, http) -> None:
    fake, server = facebook
    post = fake.add_post()
    fake.add_comment(post, "first")
    connector = make(server, http)
    first = await connector.fetch(None)
    second = await connector.fetch(first.cursor)
    assert second.messages == []
    fake.add_comment(post, "second")
    third = await connector.fetch(second.cursor)
    assert [m.text for m in third.messages] == ["second"]


async def test_comments_on_posts_past_the_first_feed_page(facebook: Env, http) -> None:
    fake, server = facebook
    posts = [fake.add_post(f"post {i}") for i in range(30)]
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    fake.add_comment(posts[0], "on the oldest watched post")  # 30th in the feed: page two
    result = await connector.fetch(cursor)
    assert [m.text for m in result.messages] == ["on the oldest watched post"]
    assert len(server.calls(FEED)) == 3


async def test_nothing_lost_nothing_doubled_over_many_polls(facebook: Env, http) -> None:
    fake, server = facebook
    rng = random.Random(3)
    posts = [fake.add_post()]
    connector = make(server, http)
    handed: list[str] = []
    cursor = None
    for _ in range(15):
        if rng.random() < 0.3:
            posts.append(fake.add_post(by=("9", "Visitor")))
            handed_post = posts[-1]["id"]
        else:
            handed_post = None
        for _ in range(rng.randrange(0, 60)):
            fake.add_comment(rng.choice(posts), "hi")
        result = await connector.fetch(cursor)
        handed.extend(m.remote_id for m in result.messages)
        cursor = result.cursor
        assert handed_post is None or handed_post in handed
    wanted = {c["id"] for cs in fake.comments.values() for c in cs}
    wanted |= {p["id"] for p in posts if p["from"]["id"] != PAGE_ID}
    assert sorted(handed) == sorted(wanted)


async def test_a_comment_that_shows_up_late_is_still_read(facebook: Env, http) -> None:
    fake, server = facebook
    post = fake.add_post()
    fake.add_comment(post, "now")
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    # Graph made it readable only after a newer one: its time is before what we have seen.
    fake.add_comment(post, "newer")
    late = fake.add_comment(post, "late", ago=timedelta(seconds=60))
    result = await connector.fetch(cursor)
    assert late["id"] in {m.remote_id for m in result.messages}
    assert len(result.messages) == 2


async def test_a_long_conversation_is_paged_through(facebook: Env, http) -> None:
    fake, server = facebook
    fake.customer_writes("555", "Dee", "hello")
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    for i in range(60):
        fake.customer_writes("555", "Dee", f"line {i}")
    result = await connector.fetch(cursor)
    assert [m.text for m in result.messages] == [f"line {i}" for i in range(60)]
    assert [m.in_reply_to for m in result.messages[1:]] == [
        m.remote_id for m in result.messages[:-1]
    ]
    [conversation] = fake.conversations
    assert len(server.calls(f"/{VERSION}/{conversation['id']}/messages")) == 2


async def test_next_links_are_never_followed(facebook: Env, http) -> None:
    fake, server = facebook
    post = fake.add_post()
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    fake.base_url = "http://attacker.invalid"  # where the next links now point
    for i in range(70):
        fake.add_comment(post, f"c{i}")
    result = await connector.fetch(cursor)
    assert len(result.messages) == 70  # paged through our own server all the same


async def test_a_comment_from_the_future_does_not_hide_later_ones(facebook: Env, http) -> None:
    fake, server = facebook
    post = fake.add_post()
    fake.add_comment(post, "from 2999", ago=timedelta(days=-365 * 900))
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    fake.add_comment(post, "a real new one")
    result = await connector.fetch(cursor)
    assert [m.text for m in result.messages] == ["a real new one"]


# -- threads, through the store -----------------------------------------------------------------


async def test_a_visitor_post_is_one_thread_with_its_comments(
    facebook: Env, http, store: Store, response_clock: ResponseClock
) -> None:
    fake, server = facebook
    visitor = fake.add_post("Refund please", by=("100004", "Ann Visitor"))
    more = fake.add_comment(visitor, "order 123", by=("100004", "Ann Visitor"))
    connector = make(server, http)
    result = await connector.fetch(None)
    ingest(store, response_clock, fake, result)
    thread = store.thread_of_message("acme-fb", visitor["id"])
    assert thread is not None and store.thread_of_message("acme-fb", more["id"]) == thread
    by_id = {m.remote_id: m for m in result.messages}
    sent = await connector.send(answer_to(by_id[more["id"]]))
    [ours] = fake.ours()
    assert ours["id"] == sent.remote_id and "parent" not in ours  # on the post, not nested
    assert ours in fake.comments[visitor["id"]]


# -- sending ------------------------------------------------------------------------------------


async def test_a_reply_lands_once_under_the_top_level_comment(facebook: Env, http) -> None:
    fake, server = facebook
    post = fake.add_post()
    top = fake.add_comment(post, "Question")
    nested = fake.add_comment(post, "And another thing", parent=top)
    result = await make(server, http).fetch(None)
    message = next(m for m in result.messages if m.remote_id == nested["id"])
    assert message.in_reply_to == top["id"]
    sent = await make(server, http).send(answer_to(message, "Thanks for waiting ^AB"))
    [ours] = fake.ours()
    assert ours["id"] == sent.remote_id
    assert ours["parent"] == {"id": top["id"]} and ours["message"] == "Thanks for waiting ^AB"
    [call] = server.calls(f"/{VERSION}/{top['id']}/comments", "POST")
    assert call.json() == {"message": "Thanks for waiting ^AB"}


async def test_confirm_says_none_when_the_send_never_arrived(facebook: Env, http) -> None:
    fake, server = facebook
    post = fake.add_post()
    fake.add_comment(post, "Help")
    fake.add_comment(post, "Other reply of ours", by=(PAGE_ID, "MyLife"))
    connector = make(server, http)
    [message] = (await connector.fetch(None)).messages
    server.fail(f"/{VERSION}/{message.remote_id}/comments", Reply(hang=True), method="POST")
    with pytest.raises(TransientError):
        await connector.send(answer_to(message))
    assert await connector.confirm(answer_to(message)) is None
    assert fake.ours()[0]["message"] == "Other reply of ours"


# -- escalation to DM ---------------------------------------------------------------------------


async def test_a_second_private_reply_to_one_comment_is_refused(facebook: Env, http) -> None:
    fake, server = facebook
    fake.add_comment(fake.add_post(), "Help")
    connector = make(server, http)
    [message] = (await connector.fetch(None)).messages
    await connector.send(answer_to(message, private=True))
    with pytest.raises(PrivateReplyRefused, match="24-hour window"):
        await connector.send(answer_to(message, "again ^AB", private=True))


async def test_a_dm_answer_outside_messengers_window_is_refused(facebook: Env, http) -> None:
    fake, server = facebook
    fake.customer_writes("555", "Dee", "hello?", ago=timedelta(hours=30))
    connector = make(server, http)
    [message] = (await connector.fetch(None)).messages
    with pytest.raises(PrivateReplyRefused, match="24-hour window is closed"):
        await connector.send(answer_to(message))


async def test_a_lost_dm_is_found_by_confirm(facebook: Env, http) -> None:
    fake, server = facebook
    fake.add_comment(fake.add_post(), "Help")
    connector = make(server, http)
    [message] = (await connector.fetch(None)).messages
    reply = answer_to(message, "Please DM us ^AB", private=True)
    server.fail(MESSAGES, Reply(hang=True), method="POST", after=True)
    with pytest.raises(TransientError):
        await connector.send(reply)
    found = await connector.confirm(reply)
    assert found is not None and found.remote_id == fake.our_messages()[0]["id"]
    assert len(server.calls(MESSAGES, "POST")) == 1
