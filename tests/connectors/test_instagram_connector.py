"""The Instagram business account connector against a real local Graph API server. What it
does as Facebook does (paging, threads, lost answers, limits, throttles, permissions) is tested
on both in test_graph_connectors.py."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime

import pytest

from tests.fakes.graph import (
    TOKEN,
    VERSION,
    answer_to,
    fixture,
    graph_error,
    graph_time,
    http,
    ingest,
)
from tests.fakes.instagram import (
    IG_USER_ID,
    USERNAME,
    FakeInstagram,
    instagram,
    instagram_connector,
)
from tests.fakes.server import FakeServer, assert_secret_free, json_reply
from webcare_tui.connectors.base import (
    AuthFailed,
)
from webcare_tui.connectors.graph_cursor import OVERLAP
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import Direction
from webcare_tui.store import Store

__all__ = ["http", "instagram"]  # fixtures, imported for pytest

Env = tuple[FakeInstagram, FakeServer]
MEDIA = f"/{VERSION}/{IG_USER_ID}/media"


make = instagram_connector


# -- reading ------------------------------------------------------------------------------------


async def test_comments_and_replies_come_in_with_ours_marked(instagram: Env, http) -> None:
    fake, server = instagram
    media = fake.add_media()
    top = fake.add_comment(media, "Is this in stock in size M?")
    ours = fake.add_reply(top, "@yjmjump yes! ^AB", by=(IG_USER_ID, USERNAME))
    again = fake.add_reply(top, "@ikroskun thanks, and in blue?")
    fake.add_comment(media, "Available in store too", by=(IG_USER_ID, USERNAME))
    result = await make(server, http).fetch(None)
    assert [m.remote_id for m in result.messages] == [top["id"], ours["id"], again["id"]]
    first, mine, follow_up = result.messages
    assert first.author == "yjmjump" and first.in_reply_to is None
    assert first.text == "Is this in stock in size M?"
    assert first.created_at == datetime.fromisoformat(top["timestamp"])
    assert first.url == media["permalink"]
    assert mine.direction is Direction.OUT and mine.in_reply_to == top["id"]
    assert follow_up.direction is Direction.IN and follow_up.in_reply_to == top["id"]
    [call] = server.calls(MEDIA)
    assert call.headers["authorization"] == f"Bearer {TOKEN}"
    assert "access_token" not in call.query


async def test_the_recorded_comment_pages_are_read(instagram: Env, http) -> None:
    _, server = instagram
    page_one = fixture("instagram", "comments_p1.json")
    page_two = fixture("instagram", "comments_p2.json")
    media = fixture("instagram", "medias_p1.json")["data"][1]
    media["comments"] = page_one
    media["timestamp"] = graph_time(datetime.now(UTC))  # recorded in 2021: past post_window
    old = json.dumps({"newest": "2020-01-01T00:00:00Z", "recent": {}})
    server.fail(MEDIA, json_reply({"data": [media]}))
    server.fail(f"/{VERSION}/{media['id']}/comments", json_reply(page_two))
    result = await make(server, http).fetch(old)
    assert [m.text for m in result.messages] == [
        "@ikroskun",
        "@ikroskun  Hey, guys",
        "Beautiful!",
        "Beautiful!",
    ]
    [more] = server.calls(f"/{VERSION}/{media['id']}/comments")
    assert more.query["after"] == ["after"]
    # The recorded comments have no username: Graph may leave it out, we must not invent one.
    assert {m.author for m in result.messages} == {"unknown"}


async def test_a_flood_of_replies_to_one_comment_is_paged(instagram: Env, http) -> None:
    fake, server = instagram
    top = fake.add_comment(fake.add_media(), "Giveaway: who wins?")
    connector = make(server, http)
    cursor = (await connector.fetch(None)).cursor
    for i in range(75):
        fake.add_reply(top, f"me {i}")
    result = await connector.fetch(cursor)
    assert [m.text for m in result.messages] == [f"me {i}" for i in range(75)]
    assert {m.in_reply_to for m in result.messages} == {top["id"]}
    assert len(server.calls(f"/{VERSION}/{top['id']}/replies")) == 1


async def test_nothing_lost_nothing_doubled_over_many_polls(instagram: Env, http) -> None:
    fake, server = instagram
    rng = random.Random(5)
    media = [fake.add_media()]
    tops: list[dict] = []
    connector = make(server, http)
    handed: list[str] = []
    cursor = None
    for _ in range(15):
        if rng.random() < 0.2:
            media.append(fake.add_media())
        for _ in range(rng.randrange(0, 40)):
            if tops and rng.random() < 0.3:
                fake.add_reply(rng.choice(tops[-10:]), "reply")
            else:
                tops.append(fake.add_comment(rng.choice(media), "top"))
        result = await connector.fetch(cursor)
        handed.extend(m.remote_id for m in result.messages)
        cursor = result.cursor
    wanted = [c["id"] for cs in fake.comments.values() for c in cs]
    wanted += [r["id"] for rs in fake.replies.values() for r in rs]
    assert sorted(handed) == sorted(wanted)


async def test_the_cursor_forgets_what_is_older_than_the_overlap(instagram: Env, http) -> None:
    fake, server = instagram
    media = fake.add_media()
    fake.add_comment(media, "old", ago=OVERLAP * 3)
    fake.add_comment(media, "new")
    result = await make(server, http).fetch(None)
    cursor = json.loads(result.cursor or "")
    assert len(result.messages) == 2 and len(cursor["recent"]) == 1


# -- sending ------------------------------------------------------------------------------------


async def test_a_reply_to_a_reply_goes_under_the_top_comment_once(instagram: Env, http) -> None:
    fake, server = instagram
    top = fake.add_comment(fake.add_media(), "Question")
    nested = fake.add_reply(top, "@ikroskun hello??")
    result = await make(server, http).fetch(None)
    message = next(m for m in result.messages if m.remote_id == nested["id"])
    sent = await make(server, http).send(answer_to(message, "@yjmjump here! ^AB"))
    [ours] = fake.ours()
    assert ours["id"] == sent.remote_id and ours in fake.replies[top["id"]]
    [call] = server.calls(f"/{VERSION}/{top['id']}/replies", "POST")
    assert call.json() == {"message": "@yjmjump here! ^AB"}


# -- failures -----------------------------------------------------------------------------------


async def test_a_revoked_token_says_to_renew_it(instagram: Env, http) -> None:
    _, server = instagram
    server.fail(MEDIA, graph_error(190, f"The access token {TOKEN} was revoked", 460))
    with pytest.raises(AuthFailed, match="renew the Page token") as caught:
        await make(server, http).fetch(None)
    assert_secret_free(caught.value, TOKEN)


async def test_one_unreadable_reply_blocks_nothing(instagram: Env, http) -> None:
    fake, server = instagram
    top = fake.add_comment(fake.add_media(), "top")
    fake.add_reply(top, "fine")["timestamp"] = ["not", "a", "time"]
    fake.add_reply(top, "also fine")
    result = await make(server, http).fetch(None)
    assert [m.text for m in result.messages] == ["top", "also fine"]
    assert len(result.warnings) == 1 and result.warnings[0].startswith("skipped ")


async def test_hostile_text_never_reaches_the_store(
    instagram: Env, http, store: Store, response_clock: ResponseClock
) -> None:
    fake, server = instagram
    hostile = "\x1b]52;c;cGF5bG9hZA==\x07\x1b[31mred\x85\u2066"
    top = fake.add_comment(fake.add_media(), f"text {hostile}", by=("9", f"eve{hostile}"))
    fake.add_reply(top, f"reply {hostile}", by=("9", f"eve{hostile}"))
    result = await make(server, http).fetch(None)
    ingest(store, response_clock, fake, result)
    rows = store.conn.execute("SELECT author, text FROM messages").fetchall()
    assert len(rows) == 2
    for row in rows:
        for value in row:
            assert not any(ch in str(value) for ch in "\x1b\x07\x85\u2066")
