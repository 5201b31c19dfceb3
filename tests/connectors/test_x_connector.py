"""The X connector against a real local HTTP server speaking the X API v2: reading."""

from __future__ import annotations

import contextlib
import json
import random
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fakes.hostile import any_json
from tests.fakes.server import FakeServer, Reply, assert_secret_free, json_reply
from tests.fakes.x import CLIENT_ID, RATE_RESET, REFRESH_TOKEN, TOKEN, FakeX, problem, x_connector
from webcare_tui.connectors import x as x_module
from webcare_tui.connectors.base import (
    AuthFailed,
    MalformedResponse,
    RateLimited,
)
from webcare_tui.connectors.x import XConnector, XOptions
from webcare_tui.connectors.x_parse import XCursor, parse_post
from webcare_tui.core.model import Direction
from webcare_tui.core.x_length import x_length
from webcare_tui.services.registry import connector_class

Env = tuple[FakeX, FakeServer]
BRAND = "1072250532645998596"
MENTIONS = f"/2/users/{BRAND}/mentions"


make = x_connector


async def test_first_fetch_reads_the_recorded_mentions(x_api: Env, http) -> None:
    fake, server = x_api
    recorded = fake.recorded_mentions()
    result = await make(server, http).fetch(None)
    assert [m.remote_id for m in result.messages] == [p["id"] for p in recorded]
    first = result.messages[0]
    assert first.text.startswith("So, I am down on @elonmusk")
    assert first.author == "customer0" and first.author_name == "Customer0"
    assert first.followers == 12
    assert first.created_at == datetime(2022, 10, 7, 22, 42, 22, 167000, tzinfo=UTC)
    assert first.url == f"https://x.com/customer0/status/{first.remote_id}"
    assert first.direction is Direction.IN and not first.is_private
    assert first.extra["author_id"] == fake.user("customer0")
    emoji = next(m for m in result.messages if "reaction emoji" in m.text)
    assert "\U0001f928" in emoji.text  # sent as a surrogate pair
    [call] = server.calls(MENTIONS)
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert call.arg("expansions") == "author_id"
    assert "public_metrics" in (call.arg("user.fields") or "")
    assert "referenced_tweets" in (call.arg("tweet.fields") or "")
    assert call.arg("since_id") is None and call.arg("max_results") == "100"


async def test_the_account_is_asked_for_once_unless_configured(x_api: Env, http) -> None:
    _, server = x_api
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    await connector.fetch(cursor)
    assert len(server.calls("/2/users/me")) == 1
    await make(server, http, user_id=BRAND).fetch(cursor)
    assert len(server.calls("/2/users/me")) == 1


async def test_replies_join_their_post_and_carry_the_conversation(x_api: Env, http) -> None:
    fake, server = x_api
    first = fake.mention("my parcel is late")
    again = fake.post("@TweepyDev still nothing", reply_to=first["id"])
    result = await make(server, http).fetch(None)
    second = result.messages[1]
    assert second.remote_id == again["id"] and second.in_reply_to == first["id"]
    assert second.extra["conversation_id"] == first["id"]


async def test_later_fetches_page_back_from_since_id_with_an_overlap(x_api: Env, http) -> None:
    fake, server = x_api
    fake.max_page = 2
    fake.mention("old")
    connector = make(server, http)
    first = await connector.fetch(None)
    news = [fake.mention(f"new {i}") for i in range(5)]
    second = await connector.fetch(first.cursor)
    assert [m.text for m in second.messages][-5:] == [f"@TweepyDev new {i}" for i in range(5)]
    calls = server.calls(MENTIONS)[1:]
    assert len(calls) == 3  # pages of two, then one
    since = calls[0].arg("since_id")
    assert since is not None and int(since) < int(first.messages[0].remote_id)
    assert all(c.arg("since_id") == since for c in calls)
    assert XCursor.load(second.cursor).mention == news[-1]["id"]


async def test_a_mention_indexed_late_is_caught_by_the_overlap(x_api: Env, http) -> None:
    fake, server = x_api
    connector = make(server, http)
    slow = fake.mention("written first, indexed late", late=True)
    fake.mention("written second")
    first = await connector.fetch(None)
    assert [m.remote_id for m in first.messages] != [slow["id"]]
    fake.late.clear()
    second = await connector.fetch(first.cursor)
    assert slow["id"] in [m.remote_id for m in second.messages]


async def test_nothing_lost_over_many_polls(x_api: Env, http, store, response_clock) -> None:
    fake, server = x_api
    fake.max_page = 3
    connector = make(server, http)
    rng = random.Random(15)
    cursor = None
    for round_ in range(10):
        for _ in range(rng.randrange(0, 9)):
            fake.mention(f"round {round_}", late=rng.random() < 0.2)
        if rng.random() < 0.5:
            fake.late.clear()
        result = await connector.fetch(cursor)
        store.ingest(
            "acme-x",
            "x",
            result.messages,
            clock=response_clock,
            seen_at=fake.now,
            cursor=result.cursor,
        )
        cursor = result.cursor
    fake.late.clear()
    result = await connector.fetch(cursor)
    store.ingest("acme-x", "x", result.messages, clock=response_clock, seen_at=fake.now)
    missing = [p["id"] for p in fake.posts if store.thread_of_message("acme-x", p["id"]) is None]
    assert fake.posts and missing == []
    assert store.feed_count() == len(fake.posts)  # each mention its own thread, none twice


async def test_a_burst_beyond_one_poll_is_read_as_a_backlog(
    x_api: Env, http, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, server = x_api
    monkeypatch.setattr(x_module, "PAGES", 2)
    fake.max_page = 2
    fake.mention("before")
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    burst = [fake.mention(f"burst {i}")["id"] for i in range(9)]
    seen: list[str] = []
    for _ in range(4):
        result = await connector.fetch(cursor)
        seen += [m.remote_id for m in result.messages]
        cursor = result.cursor
    assert set(burst) <= set(seen)
    assert XCursor.load(cursor).backlog is None


async def test_any_returned_cursor_resumes_and_a_broken_one_starts_afresh(x_api: Env, http) -> None:
    fake, server = x_api
    fake.mention("one")
    connector = make(server, http)
    cursors = [(await connector.fetch(None)).cursor]
    fake.mention("two")
    cursors.append((await connector.fetch(cursors[0])).cursor)
    for cursor in [*cursors, "not json", '{"mention": "x; DROP"}', "[]"]:
        result = await connector.fetch(cursor)
        assert "@TweepyDev two" in [m.text for m in result.messages]


async def test_one_broken_post_is_skipped_with_a_warning(x_api: Env, http) -> None:
    fake, server = x_api
    broken = fake.mention("broken")
    del broken["author_id"]
    fake.mention("fine")
    result = await make(server, http).fetch(None)
    assert [m.text for m in result.messages] == ["@TweepyDev fine"]
    assert len(result.warnings) == 1


async def test_partial_errors_on_a_200_become_warnings(x_api: Env, http) -> None:
    fake, server = x_api
    post = fake.mention("hi")
    body = {
        "data": [{**post, "text": post["text"]}],
        "errors": [{"title": "Authorization Error", "detail": "Sorry, you are not authorized"}],
        "meta": {"result_count": 1},
    }
    server.fail(MENTIONS, json_reply(body))
    result = await make(server, http).fetch(None)
    assert len(result.messages) == 1
    assert any("not authorized" in w for w in result.warnings)


# -- failures -----------------------------------------------------------------------------------


DAY = RATE_RESET + 20 * 3600


@pytest.mark.parametrize(
    ("headers", "reset"),
    [
        ({"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(RATE_RESET)}, RATE_RESET),
        (
            {
                "x-rate-limit-remaining": "400",
                "x-rate-limit-reset": str(RATE_RESET),
                "x-user-limit-24hour-remaining": "0",
                "x-user-limit-24hour-reset": str(DAY),
            },
            DAY,  # the daily cap is spent: the 15-minute window does not help
        ),
    ],
    ids=["window", "daily-cap"],
)
async def test_429_waits_for_the_limit_that_ran_out(
    x_api: Env, http, headers: dict[str, str], reset: int
) -> None:
    _, server = x_api
    server.fail(MENTIONS, problem(429, "Too Many Requests", "Too Many Requests", **headers))
    with pytest.raises(RateLimited) as caught:
        await make(server, http).fetch(None)
    assert caught.value.retry_at == datetime.fromtimestamp(reset, UTC)


async def test_an_expired_token_says_to_renew_it(x_api: Env, http) -> None:
    _, server = x_api
    server.fail("/2/users/me", problem(401, "Unauthorized", f"token {TOKEN} expired"))
    with pytest.raises(AuthFailed) as caught:
        await make(server, http).fetch(None)
    message = str(caught.value)
    assert "ACME_X_TOKEN" in message and "renew" in message and "dm.write" in message
    assert_secret_free(caught.value, TOKEN)


async def test_a_refused_token_is_auth_failed(x_api: Env, http) -> None:
    _, server = x_api
    connector = XConnector(
        make(server, http).settings, http=http, environ={"ACME_X_TOKEN": "wrong-token"}
    )
    with pytest.raises(AuthFailed, match="expired or was revoked"):
        await connector.fetch(None)


@pytest.mark.parametrize(
    "body",
    [
        b'{"data": [{"id": "1"',
        b"<html>maintenance</html>",
        b'{"data": {"id": "1"}}',
        b"[1]",
        b'{"data": [{"text": "no id"}]}',
        b'{"data": [], "meta": []}',
    ],
    ids=["truncated", "html", "data-object", "list", "item-without-id", "meta-list"],
)
async def test_unreadable_answers_are_malformed_and_store_nothing(
    x_api: Env, http, store, response_clock, body: bytes
) -> None:
    fake, server = x_api
    fake.mention("hi")
    server.fail(MENTIONS, Reply(200, body, {"Content-Type": "application/json"}))
    with pytest.raises(MalformedResponse):
        await make(server, http).fetch(None)
    assert store.feed_count() == 0


async def test_hostile_text_in_every_field_is_neutralised(x_api: Env, http) -> None:
    fake, server = x_api
    evil = "\x1b]0;pwned\x07\x1b[31m\x9b2J\u202e"
    user_id = fake.user("klant")
    fake.users[user_id]["name"] = f"Klant{evil}"
    fake.users[user_id]["username"] = f"klant{evil}"
    fake.mention(f"hi{evil} there")
    fake.dm(f"my order{evil}", sender=f"klant{evil}")
    result = await make(server, http).fetch(None)
    assert len(result.messages) == 2
    for message in result.messages:
        fields = [message.text, message.author, message.author_name or "", message.url or ""]
        fields += list(message.extra.values())
        for field in fields:
            assert not any(c in field for c in "\x1b\x07\x9b\u202e"), field


async def test_hostile_error_details_are_neutralised(x_api: Env, http) -> None:
    _, server = x_api
    server.fail(MENTIONS, problem(400, "Invalid Request", "bad \x1b[2J\x07 value"))
    with pytest.raises(Exception) as caught:
        await make(server, http).fetch(None)
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)


# -- the declaration ----------------------------------------------------------------------------


def test_the_registry_knows_x_and_its_length_rule() -> None:
    cls = connector_class("x")
    assert cls is XConnector and not cls.idempotent_send
    text = "Sorry! 日本 https://acme.com/status 😷"
    assert cls.length_rule.limit == 280
    assert cls.length_rule.measure(text) == x_length(text)


def test_options_refuse_a_user_id_that_is_not_numeric() -> None:
    with pytest.raises(ValueError, match="user_id"):
        XOptions(token_env="T", user_id="@brand")
    with pytest.raises(ValueError, match="base_url"):
        XOptions(token_env="T", base_url="api.x.com")


def test_check_options_warns_about_the_unset_token() -> None:
    warnings = XConnector.check_options(XOptions(token_env="ACME_X_TOKEN"), {})
    assert any("ACME_X_TOKEN" in w for w in warnings)


json_values = any_json(max_leaves=12, width=3)


@given(
    st.fixed_dictionaries(
        {"id": st.sampled_from(["1", "158", "x"])},
        optional={
            "text": json_values,
            "author_id": st.sampled_from(["1", "2", ""]) | json_values,
            "created_at": st.sampled_from(["2026-08-01T10:00:00.000Z"]) | json_values,
            "referenced_tweets": json_values,
            "conversation_id": json_values,
        },
    )
    | json_values
)
def test_parse_post_fails_only_as_malformed(post: object) -> None:
    with contextlib.suppress(MalformedResponse):  # anything else fails the test
        parse_post(post, {"1": {"id": "1", "username": 5, "public_metrics": "x"}}, BRAND)


def test_cursor_round_trips() -> None:
    cursor = XCursor(mention="5", backlog=("1", "4"), dm="9", conversations={"1-2": "9"})
    assert XCursor.load(cursor.dump()) == cursor
    assert json.loads(cursor.dump())["mention"] == "5"
    assert XCursor.load(XCursor().dump()) == XCursor()


# -- renewing the token ---------------------------------------------------------------------------


def renewing(
    server: FakeServer, http: httpx.AsyncClient, refresh: str = REFRESH_TOKEN
) -> XConnector:
    connector = make(server, http, refresh_token_env="ACME_X_REFRESH", client_id=CLIENT_ID)
    environ = {"ACME_X_TOKEN": TOKEN, "ACME_X_REFRESH": refresh}
    return XConnector(connector.settings, http=http, environ=environ)


async def test_an_expired_token_is_renewed_with_the_refresh_token(x_api: Env, http) -> None:
    fake, server = x_api
    connector = renewing(server, http)
    cursor = (await connector.fetch(None)).cursor
    fake.expire_token()
    fake.mention("after two hours")
    assert [m.text for m in (await connector.fetch(cursor)).messages] == [
        "@TweepyDev after two hours"
    ]
    fake.expire_token()  # and again: the rotated refresh token is the one that works now
    await connector.fetch(cursor)
    assert len(server.calls("/2/oauth2/token")) == 2
    assert server.calls(MENTIONS)[-1].headers["authorization"] == f"Bearer {fake.token}"


async def test_a_used_refresh_token_says_to_authorise_again(x_api: Env, http) -> None:
    fake, server = x_api
    fake.expire_token()
    with pytest.raises(AuthFailed) as caught:
        await renewing(server, http, refresh="x-refresh-used-before").fetch(None)
    message = str(caught.value)
    assert "ACME_X_REFRESH" in message and "authorise the app again" in message
    assert_secret_free(caught.value, TOKEN, "x-refresh-used-before")


def test_a_refresh_token_needs_the_client_id() -> None:
    with pytest.raises(ValueError, match="client_id"):
        XOptions(token_env="T", refresh_token_env="R")
