"""The Bluesky connector against a real local HTTP server speaking XRPC."""

from __future__ import annotations

import contextlib
import json
import random
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.bluesky import (
    CHAT_PROXY,
    DID,
    PASSWORD,
    TID,
    FakeBluesky,
    bluesky_connector,
    fixture,
)
from tests.fakes.hostile import any_json
from tests.fakes.server import FakeServer, Reply, assert_secret_free, json_reply
from webcare_tui.connectors.base import (
    AuthFailed,
    ConnectorError,
    MalformedResponse,
    OutgoingReply,
    RateLimited,
    TransientError,
)
from webcare_tui.connectors.bluesky_records import (
    SeenUntil,
    build_facets,
    parse_notification,
    tid_for_key,
)

Env = tuple[FakeBluesky, FakeServer]
LIST = "/xrpc/app.bsky.notification.listNotifications"
CREATE = "/xrpc/com.atproto.repo.createRecord"


make = bluesky_connector


def reply_to(message_extra: dict[str, str], **overrides: object) -> OutgoingReply:
    values: dict = {
        "text": "Sorry to hear that! Could you DM us your order number? ^AB",
        "in_reply_to": message_extra["uri"],
        "root": message_extra["root_uri"],
        "customer": "customer.test",
        "idempotency_key": "outbox-42",
        "reply_to_extra": message_extra,
    }
    values.update(overrides)
    return OutgoingReply(**values)


async def test_first_fetch_reads_the_recorded_mention(bluesky: Env, http) -> None:
    fake, server = bluesky
    fake.notifications = fixture("listNotifications_mention.json")["notifications"]
    result = await make(server, http).fetch(None)
    [message] = result.messages
    uri = "at://did:plc:t4iq6ok5yjyyst4hthmfjlvn/app.bsky.feed.post/3n2vbhc7mfk2h"
    assert message.remote_id == uri
    assert message.author == "customer.test"
    assert message.author_name is None and message.followers is None
    assert message.text == "hey @brand.test my order is late"
    assert message.created_at == datetime(2026, 11, 22, 9, 10, 50, 435000, tzinfo=UTC)
    assert message.url == "https://bsky.app/profile/customer.test/post/3n2vbhc7mfk2h"
    assert message.in_reply_to is None
    assert message.extra["uri"] == message.extra["root_uri"] == uri
    assert message.extra["cid"] == message.extra["root_cid"]
    assert message.extra["author_did"] == "did:plc:t4iq6ok5yjyyst4hthmfjlvn"
    assert json.loads(result.cursor or "") == {
        "seen_until": "2026-11-22T09:10:50.435000Z",
        "uris": [uri],
    }
    assert fake.logins == 1


async def test_replies_keep_their_thread(bluesky: Env, http) -> None:
    fake, server = bluesky
    root = fake.add("first")
    parent = fake.add("second")
    refs = {
        "root": {"uri": root["uri"], "cid": root["cid"]},
        "parent": {"uri": parent["uri"], "cid": parent["cid"]},
    }
    fake.add("third", reason="reply", reply_to=refs)
    messages = (await make(server, http).fetch(None)).messages
    assert [m.text for m in messages] == ["first", "second", "third"]
    assert messages[2].in_reply_to == parent["uri"]
    assert messages[2].extra["root_uri"] == root["uri"]
    assert messages[2].extra["root_cid"] == root["cid"]


async def test_pages_back_until_what_was_seen(bluesky: Env, http) -> None:
    fake, server = bluesky
    fake.honour_reasons = False  # an AppView that sends likes and follows along
    fake.add("old one")
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    for i in range(120):
        fake.add(f"new {i}", reason=("mention", "like", "reply", "follow")[i % 4])
    result = await connector.fetch(cursor)
    wanted = [f"new {i}" for i in range(120) if i % 4 in (0, 2)]
    assert [m.text for m in result.messages] == wanted
    # 121 notifications back to the seen one: three pages, and one more because the seen one
    # closes the third page (an older one proves the walk is done).
    assert len(server.calls(LIST)) - 2 == 4
    assert (await connector.fetch(result.cursor)).messages == []


async def test_same_instant_notifications_are_neither_lost_nor_doubled(bluesky: Env, http) -> None:
    fake, server = bluesky
    moment = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    fake.add("a", at=moment)
    connector = make(server, http)
    first = await connector.fetch(None)
    fake.add("b", at=moment)  # indexed in the same millisecond, after our fetch
    second = await connector.fetch(first.cursor)
    assert [m.text for m in first.messages + second.messages] == ["a", "b"]
    assert len(json.loads(second.cursor or "")["uris"]) == 2
    assert (await connector.fetch(second.cursor)).messages == []


async def test_nothing_lost_nothing_doubled_over_many_polls(bluesky: Env, http) -> None:
    fake, server = bluesky
    connector = make(server, http)
    rng = random.Random(3)
    cursor, stored = None, []
    for round_ in range(10):
        for _ in range(rng.randrange(0, 70)):
            fake.add(f"r{round_}", reason=rng.choice(["mention", "reply", "quote", "like"]))
        if rng.random() < 0.3:
            server.fail(LIST, Reply(503))  # a failed poll changes nothing
            with pytest.raises(TransientError):
                await connector.fetch(cursor)
        result = await connector.fetch(cursor)
        stored += [m.remote_id for m in result.messages]
        cursor = result.cursor or cursor
    wanted = [n["uri"] for n in reversed(fake.notifications) if n["reason"] != "like"]
    assert stored == wanted


async def test_a_page_served_twice_is_not_doubled(bluesky: Env, http) -> None:
    fake, server = bluesky
    fake.add("seen")
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    for i in range(60):
        fake.add(f"n{i}")
    first_page = fake.notifications[:50]
    stale = {"notifications": first_page, "cursor": first_page[-1]["indexedAt"]}
    # The second page request gets the first page again, and the same cursor, as a stale
    # cache would give it. Stopping there would leave a gap, so the fetch fails as a whole.
    server.fail(LIST, json_reply(stale), json_reply(stale))
    with pytest.raises(TransientError):
        await connector.fetch(cursor)
    result = await connector.fetch(cursor)
    assert [m.text for m in result.messages] == [f"n{i}" for i in range(60)]


async def test_an_expired_session_is_refreshed_and_the_call_retried(bluesky: Env, http) -> None:
    fake, server = bluesky
    fake.add("hello")
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    fake.add("again")
    fake.expire_access()
    result = await connector.fetch(cursor)
    assert [m.text for m in result.messages] == ["again"]
    assert (fake.logins, fake.refreshes) == (1, 1)
    refresh = server.calls("/xrpc/com.atproto.server.refreshSession")[0]
    assert refresh.headers["authorization"].startswith("Bearer refresh-jwt-")


async def test_a_refused_refresh_logs_in_again(bluesky: Env, http) -> None:
    fake, server = bluesky
    connector = make(server, http)
    await connector.fetch(None)
    fake.expire_all()
    fake.add("after a long weekend")
    result = await connector.fetch(None)
    assert [m.text for m in result.messages] == ["after a long weekend"]
    assert fake.logins == 2


async def test_a_wrong_password_fails_auth_without_leaking_it(bluesky: Env, http) -> None:
    _, server = bluesky
    with pytest.raises(AuthFailed) as caught:
        await make(server, http, ACME_BSKY_PASSWORD="not-the-password-999").fetch(None)
    assert_secret_free(caught.value, "not-the-password-999")


async def test_429_with_the_atproto_reset_header(bluesky: Env, http) -> None:
    _, server = bluesky
    reset = int(datetime(2026, 11, 22, 12, 0, tzinfo=UTC).timestamp())
    headers = {"RateLimit-Limit": "3000", "RateLimit-Remaining": "0", "RateLimit-Reset": str(reset)}
    server.fail(
        LIST,
        json_reply(
            {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"}, 429, **headers
        ),
    )
    with pytest.raises(RateLimited) as caught:
        await make(server, http).fetch(None)
    assert caught.value.retry_at == datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (Reply(500), TransientError),
        (Reply(502, b"Bad Gateway"), TransientError),
        (Reply(503), TransientError),
        (Reply(hang=True), TransientError),
        (
            Reply(
                200, b'{"notifications": [{"uri": "at://x"', {"Content-Type": "application/json"}
            ),
            MalformedResponse,
        ),
        (json_reply({"notifications": "nope"}), MalformedResponse),
    ],
    ids=["500", "502", "503", "hang", "truncated", "shape"],
)
async def test_failures_have_the_right_class(
    bluesky: Env, http, reply: Reply, error: type[ConnectorError]
) -> None:
    _, server = bluesky
    server.fail(LIST, reply)
    with pytest.raises(error) as caught:
        await make(server, http).fetch(None)
    assert_secret_free(caught.value, PASSWORD, "access-jwt", "refresh-jwt")


# -- sending ------------------------------------------------------------------------------------


async def _stored_message(fake: FakeBluesky, server: FakeServer, http, text: str) -> dict:
    fake.add(text, handle="klant.bsky.social")
    [message] = (await make(server, http).fetch(None)).messages
    return message.extra


async def test_send_replies_in_the_thread_with_a_mention_facet(bluesky: Env, http) -> None:
    fake, server = bluesky
    extra = await _stored_message(fake, server, http, "@brand.test waar blijft mijn pakket?")
    text = "Hé ☕ @klant.bsky.social, kijk op https://acme.example/track. ^AB"
    sent = await make(server, http).send(reply_to(extra, text=text, customer="klant.bsky.social"))
    [post] = fake.posts()
    record = post["value"]
    assert record["text"] == text
    assert record["reply"] == {
        "root": {"uri": extra["root_uri"], "cid": extra["root_cid"]},
        "parent": {"uri": extra["uri"], "cid": extra["cid"]},
    }
    mention, link = record["facets"]
    # "Hé ☕ " is 8 bytes in UTF-8 (é two, ☕ three), "@klant.bsky.social" 18 more.
    assert mention["index"] == {"byteStart": 8, "byteEnd": 26}
    assert mention["features"] == [
        {"$type": "app.bsky.richtext.facet#mention", "did": extra["author_did"]}
    ]
    data = text.encode()
    assert data[8:26].decode() == "@klant.bsky.social"
    assert data[link["index"]["byteStart"] : link["index"]["byteEnd"]].decode() == (
        "https://acme.example/track"
    )
    rkey = post["uri"].rsplit("/", 1)[1]
    assert TID.match(rkey) and rkey == tid_for_key("outbox-42")
    assert sent.remote_id == post["uri"]
    assert sent.url == f"https://bsky.app/profile/brand.test/post/{rkey}"


async def test_a_retried_send_after_a_timeout_posts_once(bluesky: Env, http) -> None:
    fake, server = bluesky
    extra = await _stored_message(fake, server, http, "hello?")
    connector = make(server, http)
    # The post is made but the answer is lost, and the look-up for it times out too.
    server.fail(CREATE, Reply(hang=True), after=True)
    server.fail("/xrpc/com.atproto.repo.getRecord", Reply(hang=True))
    with pytest.raises(TransientError):
        await connector.send(reply_to(extra))
    sent = await connector.send(reply_to(extra))  # the outbox tries again: "already exists"
    assert len(fake.posts()) == 1
    assert sent.remote_id == fake.posts()[0]["uri"]
    assert len(server.calls(CREATE)) == 2


async def test_a_lost_answer_is_recovered_at_once(bluesky: Env, http) -> None:
    fake, server = bluesky
    extra = await _stored_message(fake, server, http, "hello?")
    server.fail(CREATE, Reply(hang=True), after=True)
    sent = await make(server, http).send(reply_to(extra))
    [post] = fake.posts()
    assert sent.remote_id == post["uri"]


async def test_a_send_without_a_cid_looks_the_post_up(bluesky: Env, http) -> None:
    fake, server = bluesky
    posted = fake.add("imported from a backfill")
    extra = {"uri": posted["uri"], "root_uri": posted["uri"], "author_did": "did:plc:x"}
    await make(server, http).send(reply_to(extra))
    [post] = fake.posts()
    assert post["value"]["reply"]["parent"] == {"uri": posted["uri"], "cid": posted["cid"]}


async def test_a_private_reply_goes_by_chat_once(bluesky: Env, http) -> None:
    fake, server = bluesky
    extra = await _stored_message(fake, server, http, "can I DM you?")
    connector = make(server, http)
    server.fail("/xrpc/chat.bsky.convo.sendMessage", Reply(hang=True), after=True)
    with pytest.raises(TransientError):
        await connector.send(reply_to(extra, private=True))
    sent = await connector.send(reply_to(extra, private=True))
    assert len(fake.convo_messages) == 1
    assert sent.remote_id == f"convo-1/{fake.convo_messages[0]['id']}"
    assert fake.posts() == []
    convo_calls = server.calls("/xrpc/chat.bsky.convo.getConvoForMembers")
    assert convo_calls[0].query["members"] == [extra["author_did"]]
    assert all(c.headers["atproto-proxy"] == CHAT_PROXY for c in server.calls("/xrpc/chat."))


async def test_length_limit_is_300(bluesky: Env, http) -> None:
    _, server = bluesky
    assert await make(server, http).length_limit() == 300
    assert server.requests == []


# -- pure parts ---------------------------------------------------------------------------------


@given(st.text())
def test_tid_for_key_is_a_valid_stable_record_key(key: str) -> None:
    rkey = tid_for_key(key)
    assert TID.match(rkey)
    assert rkey == tid_for_key(key)


@given(st.text(), st.text(alphabet="abcdefghijklmnopqrstuvwxyz.", min_size=1, max_size=20))
def test_facets_always_point_at_the_handle(prefix: str, handle: str) -> None:
    text = f"{prefix} @{handle} thanks"
    data = text.encode()
    for facet in build_facets(text, handle, DID):
        piece = data[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()
        feature = facet["features"][0]
        if feature["$type"].endswith("#mention"):
            assert piece.lower() == f"@{handle}".lower()
        else:
            assert piece == feature["uri"]


json_values = any_json(max_leaves=15, width=3)


@given(
    st.fixed_dictionaries(
        {"reason": st.sampled_from(["mention", "reply", "quote", "like"])},
        optional={
            "uri": json_values,
            "cid": json_values,
            "indexedAt": json_values,
            "author": json_values,
            "record": st.fixed_dictionaries(
                {}, optional={"text": json_values, "createdAt": json_values, "reply": json_values}
            )
            | json_values,
        },
    )
    | json_values
)
def test_parse_notification_fails_only_as_malformed(notification: object) -> None:
    with contextlib.suppress(MalformedResponse):  # anything else fails the test
        parse_notification(notification)


@given(st.text())
def test_a_foreign_cursor_is_malformed_not_a_crash(cursor: str) -> None:
    with contextlib.suppress(MalformedResponse):
        SeenUntil.load(cursor)


async def test_a_damaged_cursor_starts_over_with_a_warning(bluesky: Env, http) -> None:
    fake, server = bluesky
    fake.add("hi")
    result = await make(server, http).fetch("not json")
    assert [m.text for m in result.messages] == ["hi"]
    assert result.warnings
