"""The Facebook connector when Graph says no: throttles, tokens, permissions, policy blocks,
broken answers."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tests.fakes.facebook import PAGE_ID, FakeFacebook, facebook, facebook_connector
from tests.fakes.graph import TOKEN, VERSION, answer_to, error_body, graph_error
from tests.fakes.hostile import NASTY, assert_database_safe
from tests.fakes.server import FakeServer, Reply, assert_secret_free, json_reply
from webcare_tui.config import demo_config
from webcare_tui.connectors.base import (
    AuthFailed,
    MalformedResponse,
    RateLimited,
)
from webcare_tui.connectors.graph import DuplicatePost, PolicyBlocked
from webcare_tui.services.poller import Poller
from webcare_tui.store import Store

__all__ = ["facebook"]  # the fixture, imported for pytest

Env = tuple[FakeFacebook, FakeServer]
FEED = f"/{VERSION}/{PAGE_ID}/feed"
make = facebook_connector


@pytest.mark.parametrize("code", [4, 17, 613, 80001])
async def test_every_throttle_code_is_rate_limited(facebook: Env, http, code: int) -> None:
    _, server = facebook
    usage = {"X-App-Usage": json.dumps({"call_count": 100, "total_cputime": 3, "total_time": 5})}
    server.fail(
        FEED, json_reply(error_body(code, "Application request limit reached"), 403, **usage)
    )
    with pytest.raises(RateLimited) as caught:
        await make(server, http).fetch(None)
    assert caught.value.retry_at is not None and caught.value.retry_at > datetime.now(UTC)


async def test_an_expired_token_says_to_renew_it_and_never_shows_it(facebook: Env, http) -> None:
    _, server = facebook
    body = error_body(190, f"Error validating access token {TOKEN}: Session has expired", 463)
    server.fail(FEED, json_reply(body, 400))
    with pytest.raises(AuthFailed, match="renew the Page token") as caught:
        await make(server, http).fetch(None)
    assert "expired" in str(caught.value)
    assert_secret_free(caught.value, TOKEN)


async def test_a_policy_block_and_a_duplicate_are_rejections(facebook: Env, http) -> None:
    fake, server = facebook
    fake.add_comment(fake.add_post(), "Help")
    connector = make(server, http)
    [message] = (await connector.fetch(None)).messages
    path = f"/{VERSION}/{message.remote_id}/comments"
    server.fail(
        path, graph_error(368, "Temporarily blocked for policies violations"), method="POST"
    )
    with pytest.raises(PolicyBlocked):
        await connector.send(answer_to(message))
    server.fail(path, graph_error(506, "Duplicate status message"), method="POST")
    with pytest.raises(DuplicatePost):
        await connector.send(answer_to(message))
    assert fake.ours() == []


async def test_nearly_used_up_rate_limits_are_a_warning(facebook: Env, http) -> None:
    fake, server = facebook
    fake.add_comment(fake.add_post(), "Help")
    fake.usage = {"X-App-Usage": json.dumps({"call_count": 93, "total_cputime": 4})}
    connector = make(server, http)
    first = await connector.fetch(None)
    assert [m.text for m in first.messages] == ["Help"]
    assert any("93%" in w and "poll_every" in w for w in first.warnings)
    fake.usage = {"X-App-Usage": json.dumps({"call_count": 40})}
    assert (await connector.fetch(first.cursor)).warnings == []


async def test_a_broken_later_page_fails_the_whole_poll(facebook: Env, http) -> None:
    fake, server = facebook
    post = fake.add_post()
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    for i in range(80):
        fake.add_comment(post, f"c{i}")
    broken = Reply(200, b'{"data": [{"id": "1_2", "created', {"Content-Type": "application/json"})
    server.fail(f"/{VERSION}/{post['id']}/comments", broken)
    with pytest.raises(MalformedResponse):
        await connector.fetch(cursor)  # never the first 50 alone with the cursor moved on
    result = await connector.fetch(cursor)
    assert len(result.messages) == 80


@pytest.mark.parametrize("bad_time", ["yesterday", 5, None, "9999-99-99T00:00:00+0000"])
async def test_one_unreadable_comment_blocks_nothing(facebook: Env, http, bad_time) -> None:
    fake, server = facebook
    post = fake.add_post()
    fake.add_comment(post, "before")
    poisoned = fake.add_comment(post, "poisoned")
    fake.add_comment(post, "after")
    visitor = fake.add_post("visitor", by=("5", "V"))
    poisoned["created_time"] = visitor["created_time"] = bad_time
    connector = make(server, http)
    first = await connector.fetch(None)
    assert [m.text for m in first.messages] == ["before", "after"]
    assert [w.split(":")[0] for w in first.warnings] == [
        f"skipped {visitor['id']}",
        f"skipped {poisoned['id']}",
    ]
    fake.add_comment(post, "later")
    second = await connector.fetch(first.cursor)
    assert [m.text for m in second.messages] == ["later"] and second.warnings == []


async def test_escapes_in_every_field_never_reach_the_database(
    facebook: Env, http, store: Store
) -> None:
    fake, server = facebook
    post = fake.add_post(NASTY)
    comment = fake.add_comment(post, NASTY, by=("5", NASTY))
    comment["permalink_url"] = f"https://www.facebook.com/{NASTY}"
    comment["attachment"] = {"type": NASTY, "url": f"https://x.example/{NASTY}"}
    visitor = fake.add_post(NASTY, by=("6", NASTY))
    visitor["permalink_url"] = NASTY
    fake.customer_writes("7", NASTY, NASTY)
    poller = Poller(
        store, {"acme-fb": make(server, http)}, demo_config().clock(), now=lambda: fake.now
    )
    outcome = await poller.poll("acme-fb")
    assert outcome.ok and outcome.new_messages == 3
    assert_database_safe(store.path)


async def test_an_unreadable_cursor_is_malformed(facebook: Env, http) -> None:
    _, server = facebook
    with pytest.raises(MalformedResponse, match="cursor"):
        await make(server, http).fetch("not json")
