"""One stranger's malformed post or DM event is skipped with a warning; the rest arrive."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakes.server import FakeServer, json_reply
from tests.fakes.x import FakeX, x_connector

Env = tuple[FakeX, FakeServer]
BRAND = "1072250532645998596"
MENTIONS = f"/2/users/{BRAND}/mentions"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", 1580000000000000000),  # a number, not X's string id
        ("created_at", 1700000000),
        ("referenced_tweets", "replied_to"),
        ("author_id", 1234),
    ],
)
async def test_one_post_with_wrong_types_is_skipped_not_the_fetch(
    x_api: Env, http, field: str, value: Any
) -> None:
    fake, server = x_api
    fake.mention("first")
    broken = fake.mention("broken")
    fake.mention("last")
    broken[field] = value
    result = await x_connector(server, http).fetch(None)
    assert [m.text for m in result.messages] == ["@TweepyDev first", "@TweepyDev last"]
    [(remote_id, why)] = result.skipped
    assert why and any(remote_id in w for w in result.warnings)


async def test_items_that_are_not_posts_are_skipped(x_api: Env, http) -> None:
    fake, server = x_api
    post, wordy = fake.mention("fine"), fake.mention("in words")
    items = [5, None, {"text": "no id"}, {**wordy, "text": ["in", "words"]}, post]
    server.fail(MENTIONS, json_reply({"data": items}))
    result = await x_connector(server, http).fetch(None)
    assert [m.remote_id for m in result.messages] == [post["id"]]
    assert len(result.skipped) == 4
    assert any(wordy["id"] in w and "text" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", 1580000000000000000),
        ("text", {"body": "my order"}),
        ("sender_id", 5),
        ("created_at", ["today"]),
    ],
)
async def test_one_dm_event_with_wrong_types_is_skipped_not_the_fetch(
    x_api: Env, http, field: str, value: Any
) -> None:
    fake, server = x_api
    fake.dm("first", sender="anna")
    broken = fake.dm("broken", sender="bob")
    fake.dm("last", sender="carla")
    broken[field] = value
    result = await x_connector(server, http).fetch(None)
    assert [m.text for m in result.messages] == ["first", "last"]
    [(remote_id, why)] = result.skipped
    assert why and any(remote_id in w for w in result.warnings)
