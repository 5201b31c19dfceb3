"""The X connector's writes and DMs against the local X API: replies land once, a lost answer
is found again instead of posted twice, escalation DMs and the customer's DMs join the thread."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.fakes.server import FakeServer, Reply
from tests.fakes.x import FakeX, x_connector
from webcare_tui.connectors.base import (
    IncomingMessage,
    OutgoingReply,
    TransientError,
)
from webcare_tui.connectors.http_errors import RequestRejected
from webcare_tui.connectors.x import XConnector, same_text
from webcare_tui.connectors.x_http import DuplicatePost, ReplyNotAllowed
from webcare_tui.core.model import Direction, ThreadState
from webcare_tui.store import Store

Env = tuple[FakeX, FakeServer]


make = x_connector


def answer(message: IncomingMessage, **overrides: Any) -> OutgoingReply:
    values: dict[str, Any] = {
        "text": "Sorry to hear that! We'll look into it & DM you. ^AB",
        "in_reply_to": message.remote_id,
        "root": message.remote_id,
        "customer": message.author,
        "idempotency_key": "outbox-7",
        "reply_to_extra": dict(message.extra),
    }
    values.update(overrides)
    return OutgoingReply(**values)


async def first_mention(fake: FakeX, connector: XConnector, text: str = "parcel?") -> Any:
    fake.mention(text)
    return (await connector.fetch(None)).messages[-1]


async def test_a_reply_lands_once_as_a_reply_to_the_post(x_api: Env, http) -> None:
    fake, server = x_api
    connector = make(server, http)
    mention = await first_mention(fake, connector)
    sent = await connector.send(answer(mention))
    [ours] = fake.ours()
    assert ours["_sent"] == {
        "text": "Sorry to hear that! We'll look into it & DM you. ^AB",
        "reply": {"in_reply_to_tweet_id": mention.remote_id},
    }
    assert sent.remote_id == ours["id"]
    assert sent.url == f"https://x.com/TweepyDev/status/{ours['id']}"


async def test_a_lost_answer_is_found_again_not_posted_twice(x_api: Env, http) -> None:
    fake, server = x_api
    connector = make(server, http)
    mention = await first_mention(fake, connector)
    reply = answer(mention, text="Check https://acme.com/track?id=1 & <retry> ^AB")
    server.fail("/2/tweets", Reply(hang=True), method="POST", after=True)
    with pytest.raises(TransientError):
        await connector.send(reply)
    found = await connector.confirm(reply)  # X shows it escaped and with a t.co link
    [ours] = fake.ours()
    assert found is not None and found.remote_id == ours["id"]
    assert found.created_at is not None
    assert len(server.calls("/2/tweets", method="POST")) == 1


async def test_a_send_that_never_arrived_is_not_confirmed(x_api: Env, http) -> None:
    fake, server = x_api
    connector = make(server, http)
    mention = await first_mention(fake, connector)
    fake.post("Other reply ^CD", author="TweepyDev", reply_to=mention.remote_id)
    server.fail("/2/tweets", Reply(hang=True), method="POST")  # before X took it
    with pytest.raises(TransientError):
        await connector.send(answer(mention))
    assert await connector.confirm(answer(mention)) is None
    assert await connector.confirm(answer(mention, text="Other reply ^CD")) is not None


async def test_a_reply_x_does_not_allow_is_reported_as_such(x_api: Env, http) -> None:
    fake, server = x_api
    fake.restrict_replies = True
    connector = make(server, http)
    mention = await first_mention(fake, connector)
    other = fake.post("an unrelated post that does not mention the brand", author="someone")
    with pytest.raises(ReplyNotAllowed) as caught:
        await connector.send(answer(mention, in_reply_to=other["id"]))
    assert "mentions or quotes" in str(caught.value)
    assert caught.value.title == "X does not allow this reply"
    await connector.send(answer(mention))  # a post that mentions us is fine
    assert len(fake.ours()) == 1


async def test_a_duplicate_post_is_rejected_not_retried(x_api: Env, http) -> None:
    fake, server = x_api
    connector = make(server, http)
    mention = await first_mention(fake, connector)
    await connector.send(answer(mention))
    with pytest.raises(DuplicatePost):
        await connector.send(answer(mention))
    assert len(fake.ours()) == 1


async def test_a_too_long_reply_is_rejected(x_api: Env, http) -> None:
    fake, server = x_api
    connector = make(server, http)
    mention = await first_mention(fake, connector)
    with pytest.raises(RequestRejected, match="too long") as caught:
        await connector.send(answer(mention, text="x" * 300))
    assert not isinstance(caught.value, TransientError)


# -- DMs ------------------------------------------------------------------------------------------


async def test_escalation_sends_a_dm_to_the_customer(x_api: Env, http) -> None:
    fake, server = x_api
    connector = make(server, http)
    mention = await first_mention(fake, connector)
    sent = await connector.send(answer(mention, private=True, text="Hoi, je ordernummer? ^AB"))
    [event] = fake.dm_events
    assert event["text"] == "Hoi, je ordernummer? ^AB"
    assert event["sender_id"] == fake.brand["id"]
    assert sent.remote_id == event["id"]
    [call] = server.calls("/2/dm_conversations/with/", method="POST")
    assert call.path == f"/2/dm_conversations/with/{mention.extra['author_id']}/messages"


async def test_a_dm_without_a_stored_user_id_looks_the_handle_up(x_api: Env, http) -> None:
    fake, server = x_api
    connector = make(server, http)
    mention = await first_mention(fake, connector)
    await connector.send(answer(mention, private=True, reply_to_extra={}))
    assert len(server.calls("/2/users/by/username/klant")) == 1
    assert fake.dm_events[0]["dm_conversation_id"].endswith(mention.extra["author_id"]) or (
        fake.dm_events[0]["dm_conversation_id"].startswith(mention.extra["author_id"])
    )


async def test_a_lost_dm_answer_is_found_in_the_conversation(x_api: Env, http) -> None:
    fake, server = x_api
    connector = make(server, http)
    mention = await first_mention(fake, connector)
    reply = answer(mention, private=True, text="Stuur je ordernummer? ^AB")
    server.fail("/2/dm_conversations/with/", Reply(hang=True), method="POST", after=True)
    with pytest.raises(TransientError):
        await connector.send(reply)
    found = await connector.confirm(reply)
    assert found is not None and found.remote_id == fake.dm_events[-1]["id"]
    assert await connector.confirm(answer(mention, private=True, text="never sent")) is None


async def poll(
    fake: FakeX, connector: XConnector, store: Store, clock: Any, cursor: str | None
) -> Any:
    result = await connector.fetch(cursor)
    ingested = store.ingest(
        "acme-x", "x", result.messages, clock=clock, seen_at=fake.now, cursor=result.cursor
    )
    return result, ingested


def ours(fake: FakeX, remote_id: str, answered: IncomingMessage) -> IncomingMessage:
    """Our sent reply as the outbox stores it in the thread, at the time X gave it."""
    private = not any(p["id"] == remote_id for p in fake.posts)
    sent = next(i for i in [*fake.posts, *fake.dm_events] if i["id"] == remote_id)
    return IncomingMessage(
        remote_id=remote_id,
        author="TweepyDev",
        text="our reply ^AB",
        created_at=datetime.fromisoformat(sent["created_at"]),
        direction=Direction.OUT,
        in_reply_to=answered.remote_id,
        is_private=private,
    )


async def answered_thread(
    fake: FakeX, connector: XConnector, store: Store, clock: Any, *, private: bool = False
) -> tuple[int, str, str | None]:
    """A customer's mention polled into a new thread, and our reply (a DM when `private`)
    sent and stored in it as the outbox does: (thread, our reply's id, cursor)."""
    fake.mention("my parcel is broken")
    result, ingested = await poll(fake, connector, store, clock, None)
    [thread] = ingested.new_threads
    mention = result.messages[0]
    sent = await connector.send(answer(mention, private=private))
    store.ingest(
        "acme-x", "x", [ours(fake, sent.remote_id, mention)], clock=clock, seen_at=fake.now
    )
    return thread, sent.remote_id, result.cursor


async def test_the_customers_dms_join_the_escalated_thread(
    x_api: Env, http, store: Store, response_clock
) -> None:
    fake, server = x_api
    connector = make(server, http)
    thread, _, cursor = await answered_thread(fake, connector, store, response_clock, private=True)
    fake.dm("It is 12345", sender="klant")
    fake.dm("and my number is ...", sender="klant")
    _, ingested = await poll(fake, connector, store, response_clock, cursor)
    assert ingested.new_threads == []
    messages = store.messages(thread)
    assert [m.text for m in messages][-2:] == ["It is 12345", "and my number is ..."]
    assert all(m.is_private for m in messages[-3:])
    dm_call = server.calls("/2/dm_events")[-1]
    assert "sender_id" in (dm_call.arg("dm_event.fields") or "")
    assert dm_call.arg("event_types") == "MessageCreate"


async def test_a_dm_from_a_stranger_starts_its_own_private_thread(
    x_api: Env, http, store: Store, response_clock
) -> None:
    fake, server = x_api
    connector = make(server, http)
    fake.dm("Hi, a question about my invoice", sender="stranger")
    result, ingested = await poll(fake, connector, store, response_clock, None)
    [message] = result.messages
    assert message.is_private and message.in_reply_to is None
    assert message.author == "stranger" and message.followers == 12
    assert len(ingested.new_threads) == 1


async def test_a_dm_burst_beyond_one_poll_says_what_it_left_unread(x_api: Env, http) -> None:
    fake, server = x_api
    fake.max_page = 2
    connector = make(server, http)
    fake.dm("first", sender="klant")
    cursor = (await connector.fetch(None)).cursor
    fake.dm("within reach", sender="klant")
    within = await connector.fetch(cursor)
    assert [m.text for m in within.messages][-1] == "within reach" and within.warnings == []
    burst = [fake.dm(f"burst {i}", sender="klant")["id"] for i in range(12)]
    result = await connector.fetch(within.cursor)
    assert [m.remote_id for m in result.messages] == burst[-10:]  # 5 pages of 2, newest first
    assert any("the oldest of them were not read" in w for w in result.warnings)


async def test_a_follow_up_reopens_a_resolved_thread(
    x_api: Env, http, store: Store, response_clock
) -> None:
    fake, server = x_api
    connector = make(server, http)
    thread, reply_id, cursor = await answered_thread(fake, connector, store, response_clock)
    store.set_state(thread, ThreadState.RESOLVED, actor="AB", now=fake.now)
    fake.post("@TweepyDev thanks, but it is still not here", reply_to=reply_id)
    _, ingested = await poll(fake, connector, store, response_clock, cursor)
    assert ingested.new_threads == [] and ingested.reopened_threads == [thread]
    assert store.thread(thread).state is ThreadState.OPEN
    assert store.messages(thread)[-1].text == "@TweepyDev thanks, but it is still not here"


def test_same_text_sees_through_what_x_does_to_a_post() -> None:
    ours = "Check https://acme.com/a?b=1 & <this> ^AB"
    assert same_text("@klant Check https://t.co/abc123 &amp; &lt;this&gt; ^AB", ours)
    assert not same_text("Check https://t.co/abc123 & <that> ^AB", ours)
