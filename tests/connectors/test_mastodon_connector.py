"""The Mastodon connector against a real local HTTP server speaking the Mastodon API."""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.hostile import any_json
from tests.fakes.mastodon import TOKEN, FakeMastodon, mastodon_connector
from tests.fakes.server import FakeServer, Reply, assert_secret_free, json_reply, serving
from webcare_tui.connectors.base import (
    AuthFailed,
    MalformedResponse,
    OutgoingReply,
    RateLimited,
    TransientError,
)
from webcare_tui.connectors.http_errors import RequestRejected
from webcare_tui.connectors.mastodon import (
    ensure_mention,
    parse_mention,
)

Env = tuple[FakeMastodon, FakeServer]
PATH = "/api/v1/notifications"


@pytest.fixture
def mastodon_fake() -> Iterator[Env]:
    yield from serving(FakeMastodon())


make = mastodon_connector


def reply(**overrides: object) -> OutgoingReply:
    values: dict = {
        "text": "Sorry! Could you DM us your order number? ^AB",
        "in_reply_to": "117020600000000001",
        "root": "117020600000000001",
        "customer": "klant@other.example",
        "idempotency_key": "outbox-17",
        "reply_to_extra": {"visibility": "public", "acct": "klant@other.example"},
    }
    values.update(overrides)
    return OutgoingReply(**values)


async def test_first_fetch_reads_the_recorded_mention(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    fake.add_mention("my parcel is late", followers=321)
    result = await make(server, http).fetch(None)
    [message] = result.messages
    assert message.text == "@brand my parcel is late"
    assert message.author == "klant@other.example"
    assert message.author_name == "Klant"
    assert message.followers == 321
    assert message.created_at == datetime(2026, 8, 1, 13, 51, 42, 823000, tzinfo=UTC)
    assert message.remote_id == fake.notifications[0]["status"]["id"]
    assert message.url and message.url.startswith("https://other.example/@klant/")
    assert not message.is_private
    assert message.extra["visibility"] == "public"
    assert message.extra["acct"] == "klant@other.example"
    assert result.cursor == fake.notifications[0]["id"]
    [call] = server.calls(PATH)
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.query["types[]"] == ["mention"]


async def test_first_fetch_backfills_a_bounded_number_of_pages(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    fake.max_page = 2
    for i in range(9):
        fake.add_mention(f"mention {i}")
    result = await make(server, http).fetch(None)
    # three pages of two: the newest six, oldest first
    assert [m.text for m in result.messages] == [f"@brand mention {i}" for i in range(3, 9)]
    assert result.cursor == fake.notifications[-1]["id"]


async def test_later_fetches_page_forward_with_min_id(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    fake.max_page = 2
    fake.add_mention("old")
    connector = make(server, http)
    first = await connector.fetch(None)
    for i in range(5):
        fake.add_mention(f"new {i}")
    fake.add_other("favourite")
    second = await connector.fetch(first.cursor)
    assert [m.text for m in second.messages] == [f"@brand new {i}" for i in range(5)]
    assert second.cursor == fake.notifications[-2]["id"]  # the newest mention
    assert server.calls(PATH)[1].query["min_id"] == [first.cursor]
    third = await connector.fetch(second.cursor)
    assert third.messages == [] and third.cursor == second.cursor


async def test_nothing_lost_nothing_doubled_over_many_polls(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    fake.max_page = 3
    connector = make(server, http)
    rng = random.Random(7)
    stored: list[str] = []
    cursor = None
    for round_ in range(12):
        for _ in range(rng.randrange(0, 8)):
            fake.add_mention(f"round {round_}")
        if rng.random() < 0.3:
            fake.add_other("follow")
        result = await connector.fetch(cursor)
        stored.extend(m.remote_id for m in result.messages)
        cursor = result.cursor or cursor
    wanted = [n["status"]["id"] for n in fake.notifications if n["type"] == "mention"]
    assert stored == wanted


async def test_a_page_served_twice_is_not_doubled(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    fake.max_page = 2
    fake.add_mention("before")
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor  # page request 1
    for i in range(5):
        fake.add_mention(f"after {i}")
    # Request 2 reads "after 0-1"; request 3 should read "after 2-3" but gets 0-1 again.
    fake.repeat_at = {3}
    stored: list[str] = []
    for _ in range(4):
        result = await connector.fetch(cursor)
        stored.extend(m.text for m in result.messages)
        cursor = result.cursor or cursor
    assert stored == [f"@brand after {i}" for i in range(5)]


async def test_a_server_that_ignores_types_still_yields_only_mentions(
    mastodon_fake: Env, http
) -> None:
    fake, server = mastodon_fake
    fake.honour_types = False
    fake.add_other("favourite")
    fake.add_mention("hi")
    fake.add_other("reblog")
    result = await make(server, http).fetch(None)
    assert [m.text for m in result.messages] == ["@brand hi"]
    assert result.cursor == fake.notifications[-1]["id"]


async def test_link_headers_to_another_host_are_not_followed(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    fake.max_page = 1
    fake.link_host = "http://attacker.invalid"
    for i in range(3):
        fake.add_mention(f"m{i}")
    result = await make(server, http).fetch(None)
    assert len(result.messages) == 3  # paged through our own server all the same


async def test_opaque_ids_keep_the_server_order(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    page = [fake.add_mention("newer"), fake.add_mention("older")]
    page[0]["id"], page[1]["id"] = "zz-b", "zz-a"
    server.fail(PATH, json_reply(page), json_reply([]))
    result = await make(server, http).fetch(None)
    assert [m.text for m in result.messages] == ["@brand older", "@brand newer"]
    assert result.cursor == "zz-b"


async def test_direct_messages_are_private(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    fake.add_mention("my address is ...", visibility="direct", in_reply_to_id="42")
    [message] = (await make(server, http).fetch(None)).messages
    assert message.is_private and message.in_reply_to == "42"


async def test_one_broken_notification_is_skipped_with_a_warning(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    broken = fake.add_mention("broken")
    broken["status"]["account"] = "not an object"
    fake.add_mention("fine")
    result = await make(server, http).fetch(None)
    assert [m.text for m in result.messages] == ["@brand fine"]
    assert len(result.warnings) == 1
    assert result.cursor == fake.notifications[-1]["id"]


# -- failures -----------------------------------------------------------------------------------


async def test_429_with_only_the_mastodon_reset_header(mastodon_fake: Env, http) -> None:
    _, server = mastodon_fake
    reset = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "2026-08-01T15:00:00.869078Z"}
    server.fail(PATH, json_reply({"error": "Too many requests"}, 429, **reset))
    with pytest.raises(RateLimited) as caught:
        await make(server, http).fetch("21")
    assert caught.value.retry_at == datetime(2026, 8, 1, 15, 0, 0, 869078, tzinfo=UTC)


async def test_a_hanging_server_is_a_transient_error(mastodon_fake: Env, http) -> None:
    _, server = mastodon_fake
    server.fail(PATH, Reply(hang=True))
    with pytest.raises(TransientError) as caught:
        await make(server, http).fetch("21")
    assert_secret_free(caught.value, TOKEN)


async def test_a_refused_connection_is_transient(http) -> None:
    fake = FakeMastodon()
    with FakeServer(fake.handle) as server:
        connector = make(server, http)
    with pytest.raises(TransientError):  # the server is gone now
        await connector.fetch(None)


async def test_a_body_cut_off_in_transfer_is_transient(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    page = [fake.add_mention("x")]
    server.fail(PATH, Reply(200, json.dumps(page), cut_body_at=40))
    with pytest.raises(TransientError):
        await make(server, http).fetch(None)


async def test_a_refused_token_never_shows_in_the_error(mastodon_fake: Env, http) -> None:
    _, server = mastodon_fake
    echo = json_reply({"error": f"The access token {TOKEN} is invalid"}, 401)
    server.fail(PATH, echo)
    with pytest.raises(AuthFailed) as caught:
        await make(server, http).fetch(None)
    assert_secret_free(caught.value, TOKEN)
    assert "401" in str(caught.value)


# -- sending ------------------------------------------------------------------------------------


async def test_send_posts_a_reply_with_the_idempotency_key(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    sent = await make(server, http).send(reply())
    [status] = fake.statuses
    form = status["_sent"]["form"]
    assert form["status"] == "@klant@other.example Sorry! Could you DM us your order number? ^AB"
    assert form["in_reply_to_id"] == "117020600000000001"
    assert form["visibility"] == "public"
    assert status["_sent"]["idempotency_key"] == "outbox-17"
    assert sent.remote_id == status["id"]
    assert sent.url == status["url"]
    assert sent.created_at is not None and sent.created_at.tzinfo is not None


@pytest.mark.parametrize(
    ("private", "replied", "expected"),
    [
        (True, "public", "direct"),
        (False, "unlisted", "unlisted"),
        (False, "private", "private"),
        (False, "direct", "public"),
        (False, "public", "public"),
    ],
)
async def test_send_visibility(
    mastodon_fake: Env, http, private: bool, replied: str, expected: str
) -> None:
    fake, server = mastodon_fake
    extra = {"visibility": replied, "acct": "klant@other.example"}
    await make(server, http).send(reply(private=private, reply_to_extra=extra))
    assert fake.statuses[0]["_sent"]["form"]["visibility"] == expected


async def test_a_retried_send_after_a_timeout_posts_once(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    connector = make(server, http)
    # The server takes the post, then the answer never arrives.
    server.fail("/api/v1/statuses", Reply(hang=True), after=True)
    with pytest.raises(TransientError):
        await connector.send(reply())
    sent = await connector.send(reply())
    assert len(fake.statuses) == 1
    assert sent.remote_id == fake.statuses[0]["id"]
    keys = [c.headers["idempotency-key"] for c in server.calls("/api/v1/statuses")]
    assert keys == ["outbox-17", "outbox-17"]


async def test_a_rejected_reply_is_not_transient(mastodon_fake: Env, http) -> None:
    _, server = mastodon_fake
    with pytest.raises(RequestRejected) as caught:
        await make(server, http).send(reply(text="x" * 600))
    assert "character limit" in str(caught.value)
    assert not isinstance(caught.value, TransientError)


async def test_length_limit_comes_from_the_instance_and_is_cached(mastodon_fake: Env, http) -> None:
    fake, server = mastodon_fake
    fake.instance["configuration"]["statuses"]["max_characters"] = 1000
    connector = make(server, http)
    assert await connector.length_limit() == 1000
    assert await connector.length_limit() == 1000
    assert len(server.calls("/api/v2/instance")) == 1


async def test_length_limit_falls_back_to_500(mastodon_fake: Env, http) -> None:
    _, server = mastodon_fake
    server.fail("/api/v2/instance", Reply(503))
    assert await make(server, http).length_limit() == 500


# -- pure parts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks!", "@klant@other.example Thanks!"),
        ("@klant@other.example thanks", "@klant@other.example thanks"),
        ("@KLANT@other.example thanks", "@KLANT@other.example thanks"),
        ("@klant thanks", "@klant@other.example @klant thanks"),
        ("@klant@other.example.net hi", "@klant@other.example @klant@other.example.net hi"),
    ],
)
def test_ensure_mention(text: str, expected: str) -> None:
    assert ensure_mention(text, "klant@other.example") == expected


json_values = any_json()


@given(
    st.fixed_dictionaries(
        {"id": st.text(), "type": st.just("mention")},
        optional={
            "status": st.fixed_dictionaries(
                {},
                optional={
                    "id": json_values,
                    "content": json_values,
                    "created_at": json_values,
                    "account": st.dictionaries(st.text(), json_values)
                    | st.fixed_dictionaries({"acct": json_values}),
                    "visibility": json_values,
                    "media_attachments": json_values,
                    "spoiler_text": json_values,
                },
            )
            | json_values
        },
    )
    | json_values
)
def test_parse_mention_fails_only_as_malformed(notification: object) -> None:
    with contextlib.suppress(MalformedResponse):  # anything else fails the test
        parse_mention(notification)
