"""Hostile servers: escape sequences in every field and every error, poisoned items among good
ones, a server that drips its answer. Real HTTP to the fake platforms on 127.0.0.1, stored
through the poller into a real database, as `webcare poll` does."""

from __future__ import annotations

import threading

import httpx
import pytest

from tests.fakes.bluesky import PASSWORD, FakeBluesky, bluesky_connector
from tests.fakes.clock import FROZEN_NOW
from tests.fakes.hostile import NASTY, assert_database_safe, assert_terminal_safe
from tests.fakes.mastodon import TOKEN, FakeMastodon, mastodon_connector
from tests.fakes.server import FakeServer, Reply, json_reply
from webcare_tui.config import demo_config
from webcare_tui.connectors import http_errors
from webcare_tui.connectors import mastodon as mastodon_module
from webcare_tui.connectors.base import (
    ConnectorError,
    ConnectorSettings,
    OutgoingReply,
    TransientError,
)
from webcare_tui.connectors.bluesky import BlueskyConnector
from webcare_tui.connectors.mastodon import MastodonConnector
from webcare_tui.connectors.rss import RssConnector, RssOptions
from webcare_tui.services.poller import Poller
from webcare_tui.store import Store

Env = tuple[FakeMastodon, FakeServer]
NOTIFICATIONS = "/api/v1/notifications"
LIST = "/xrpc/app.bsky.notification.listNotifications"


def poller(store: Store, *connectors: MastodonConnector | BlueskyConnector | RssConnector):
    return Poller(
        store,
        {c.name: c for c in connectors},
        demo_config().clock(),
        now=lambda: FROZEN_NOW,
    )


def nasty_mention(fake: FakeMastodon, text: str = "good one") -> dict:
    notification = fake.add_mention(text, acct=f"klant{NASTY}@x.example", display_name=NASTY)
    status = notification["status"]
    status["spoiler_text"] = NASTY
    status["content"] = f"<p>{NASTY}<a href='https://x.example/{NASTY}'>link{NASTY}</a></p>"
    status["url"] = f"https://x.example/{NASTY}"
    status["visibility"] = NASTY
    status["media_attachments"] = [
        {"type": NASTY, "url": f"https://x.example/{NASTY}.png", "description": NASTY}
    ]
    return notification


async def test_escapes_in_every_mastodon_field_never_reach_the_database(
    mastodon: Env, http: httpx.AsyncClient, store: Store
) -> None:
    fake, server = mastodon
    nasty_mention(fake)
    nasty_mention(fake, "another")
    outcome = await poller(store, mastodon_connector(server, http)).poll("acme-social")
    assert outcome.ok and outcome.new_messages == 2
    [thread, _] = store.feed_page()
    assert thread.author.startswith("klant") and "TITLE" not in thread.author
    assert_database_safe(store.path)


async def test_a_status_id_holding_escapes_is_skipped_recorded_and_passed(
    mastodon: Env, http: httpx.AsyncClient, store: Store
) -> None:
    fake, server = mastodon
    fake.add_mention("before")
    fake.add_mention("poisoned")["status"]["id"] = f"1{NASTY}"
    fake.add_mention("after")
    run = poller(store, mastodon_connector(server, http))
    outcome = await run.poll("acme-social")
    assert outcome.ok and outcome.new_messages == 2 and outcome.skipped == 1
    [skipped] = store.skipped_items("acme-social")
    assert "control" in skipped.reason
    assert_terminal_safe(skipped.remote_id + skipped.reason + (outcome.error or ""))
    assert_database_safe(store.path)
    again = await run.poll("acme-social")  # the cursor moved past it: nothing new, no failure
    assert again.ok and again.new_messages == 0


@pytest.mark.parametrize(
    ("field", "value", "why"),
    [
        ("created_at", "0001-01-01T00:00:00.000Z", "before 2000"),
        ("created_at", "9999-12-31T23:59:59.000Z", "future"),
        ("created_at", "9999-12-31T23:59:59-05:00", "unreadable time"),
        ("followers", 10**26, "follower count"),
        ("created_at", ["not", "a", "time"], "not a string"),
    ],
)
async def test_one_poisoned_mastodon_item_blocks_nothing(
    mastodon: Env, http: httpx.AsyncClient, store: Store, field: str, value: object, why: str
) -> None:
    fake, server = mastodon
    fake.add_mention("before")
    status = fake.add_mention("poisoned")["status"]
    if field == "followers":
        status["account"]["followers_count"] = value
    else:
        status[field] = value
    fake.add_mention("after", acct="other@x.example")
    run = poller(store, mastodon_connector(server, http))
    outcome = await run.poll("acme-social")
    assert outcome.ok and outcome.new_messages == 2 and outcome.skipped == 1
    [skipped] = store.skipped_items("acme-social")
    assert skipped.remote_id == status["id"] and why in skipped.reason
    fake.add_mention("later")
    later = await run.poll("acme-social")
    assert later.ok and later.new_messages == 1  # the next poll is not held up by it either


async def test_a_lone_surrogate_in_a_text_is_dropped_and_the_message_kept(
    mastodon: Env, http: httpx.AsyncClient, store: Store
) -> None:
    fake, server = mastodon
    fake.add_mention("half a pair \ud83d here")
    outcome = await poller(store, mastodon_connector(server, http)).poll("acme-social")
    assert outcome.ok and outcome.new_messages == 1
    [thread] = store.feed_page()
    assert store.messages(thread.id)[0].text.endswith("half a pair  here")


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 429, 500, 503])
async def test_a_mastodon_error_text_with_escapes_is_cleaned(
    mastodon: Env, http: httpx.AsyncClient, status: int
) -> None:
    _, server = mastodon
    server.fail(NOTIFICATIONS, json_reply({"error": NASTY, "error_description": NASTY}, status))
    with pytest.raises(ConnectorError) as caught:
        await mastodon_connector(server, http).fetch(None)
    assert "evil" in str(caught.value)  # the server's words are kept, its controls are not
    assert_terminal_safe(str(caught.value))


async def test_a_reply_answered_with_escapes_gives_clean_errors_and_ids(
    mastodon: Env, http: httpx.AsyncClient
) -> None:
    _, server = mastodon
    connector = mastodon_connector(server, http)
    reply = OutgoingReply("thanks ^AB", "1", "1", "klant@x.example", "key-1")
    server.fail("/api/v1/statuses", json_reply({"error": f"Validation failed: {NASTY}"}, 422))
    with pytest.raises(ConnectorError) as caught:
        await connector.send(reply)
    assert_terminal_safe(str(caught.value))
    answer = {"id": f"42{NASTY}", "url": f"https://x.example/{NASTY}", "created_at": NASTY}
    server.fail("/api/v1/statuses", json_reply(answer))
    sent = await connector.send(reply)
    assert sent.remote_id.startswith("42") and sent.created_at is None
    assert_terminal_safe(sent.remote_id + (sent.url or ""))


async def test_a_server_echoing_part_of_the_token_gets_it_blanked(
    mastodon: Env, http: httpx.AsyncClient
) -> None:
    _, server = mastodon
    echo = f"the token {TOKEN[:9]}... is not valid, nor is {TOKEN[:-2]}"
    server.fail(NOTIFICATIONS, json_reply({"error": echo}, 401))
    with pytest.raises(ConnectorError) as caught:
        await mastodon_connector(server, http).fetch(None)
    assert TOKEN[:9] not in str(caught.value)
    assert "the token ***... is not valid, nor is ***" in str(caught.value)


async def test_bluesky_errors_and_fields_with_escapes_are_cleaned(
    bluesky: tuple[FakeBluesky, FakeServer], http: httpx.AsyncClient, store: Store
) -> None:
    fake, server = bluesky
    notification = fake.add(f"hey @brand.test {NASTY}", handle=f"klant{NASTY}.test")
    notification["author"]["displayName"] = NASTY
    notification["record"]["embed"] = {
        "external": {"uri": f"https://x.example/{NASTY}"},
        "images": [{"alt": NASTY}],
    }
    outcome = await poller(store, bluesky_connector(server, http)).poll("acme-bsky")
    assert outcome.ok and outcome.new_messages == 1
    assert_database_safe(store.path)
    server.fail(LIST, json_reply({"error": NASTY, "message": NASTY}, 400))
    with pytest.raises(ConnectorError) as caught:
        await bluesky_connector(server, http).fetch(None)
    assert_terminal_safe(str(caught.value))


async def test_a_bluesky_login_echoing_the_password_prefix_is_redacted(
    bluesky: tuple[FakeBluesky, FakeServer], http: httpx.AsyncClient
) -> None:
    _, server = bluesky
    body = {"error": "AuthenticationRequired", "message": f"bad password {PASSWORD[:7]}…"}
    server.fail("/xrpc/com.atproto.server.createSession", json_reply(body, 401))
    with pytest.raises(ConnectorError) as caught:
        await bluesky_connector(server, http).fetch(None)
    assert PASSWORD[:6] not in str(caught.value)


async def test_one_poisoned_bluesky_notification_blocks_nothing(
    bluesky: tuple[FakeBluesky, FakeServer], http: httpx.AsyncClient, store: Store
) -> None:
    fake, server = bluesky
    fake.add("hey @brand.test first")
    fake.add("poisoned")["indexedAt"] = "yesterday"
    fake.add("created in year 1")["record"]["createdAt"] = "0001-01-01T00:00:00Z"
    fake.add("hey @brand.test last")
    outcome = await poller(store, bluesky_connector(server, http)).poll("acme-bsky")
    assert outcome.ok and outcome.new_messages == 2 and outcome.skipped == 2
    reasons = " / ".join(s.reason for s in store.skipped_items("acme-bsky"))
    assert "before 2000" in reasons and "unreadable time 'yesterday'" in reasons


FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Reviews {nasty}</title>
<item><guid>good-1</guid><title>Good one</title><pubDate>Sun, 22 Nov 2026 08:00:00 GMT</pubDate>
</item>
<item><guid>surrogate</guid><title>half &#xD800; a pair {nasty}</title>
<author>{nasty}</author><link>https://x.example/{nasty}</link>
<pubDate>Sun, 22 Nov 2026 08:01:00 GMT</pubDate></item>
<item><guid>ancient</guid><title>Year one</title><pubDate>Mon, 01 Jan 0001 00:00:00 GMT</pubDate>
</item>
<item><guid>good-2</guid><title>Good two</title><pubDate>Sun, 22 Nov 2026 08:02:00 GMT</pubDate>
</item>
</channel></rss>"""


async def test_a_poisoned_feed_entry_blocks_nothing(http: httpx.AsyncClient, store: Store) -> None:
    body = FEED.format(nasty=NASTY.replace("\ud800", "&#xD800;")).encode("utf-8")
    with FakeServer(lambda request: Reply(200, body, {"Content-Type": "application/rss+xml"})) as s:
        settings = ConnectorSettings(
            "reviews", "rss", "rss", options=RssOptions(url=f"{s.base_url}/f")
        )
        run = poller(store, RssConnector(settings, http=http))
        outcome = await run.poll("reviews")
        assert outcome.ok and outcome.skipped == 1
        good_one, good_two, half = sorted(t.last_text for t in store.feed_page())
        assert (good_one, good_two) == ("Good one", "Good two")
        assert half.startswith("half \ufffd a pair")  # what no character can be is marked
        [skipped] = store.skipped_items("reviews")
        assert skipped.remote_id == "ancient"
        assert_database_safe(store.path)
        again = await run.poll("reviews")
        assert again.ok and again.new_messages == 0


async def test_a_server_that_drips_its_answer_is_dropped_at_the_deadline(
    mastodon: Env, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, server = mastodon
    # Each byte in time for the client's 0.3 s read timeout, so only the deadline can stop it.
    dripping = json_reply([{"id": str(i)} for i in range(50)])
    dripping.drip_every = 0.05
    server.fail(NOTIFICATIONS, dripping)
    monkeypatch.setattr(http_errors, "REQUEST_DEADLINE", 0.6)
    with pytest.raises(TransientError) as caught:
        await mastodon_connector(server, http).fetch(None)
    assert "did not finish answering within 0.6 s" in str(caught.value)


def test_the_check_itself_catches_every_kind_of_control() -> None:
    with pytest.raises(AssertionError):
        assert_terminal_safe(NASTY)


async def test_statuses_are_parsed_off_the_event_loop(
    mastodon: Env, http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A page of huge statuses is seconds of work: on the TUI's loop, no key would answer.
    fake, server = mastodon
    fake.add_mention("hello")
    where: list[int] = []
    real = mastodon_module.parse_mention

    def parse(notification: object) -> object:
        where.append(threading.get_ident())
        return real(notification)

    monkeypatch.setattr(mastodon_module, "parse_mention", parse)
    fetched = await mastodon_connector(server, http).fetch(None)
    assert len(fetched.messages) == 1
    assert where and threading.get_ident() not in where


def test_a_word_that_merely_starts_a_token_is_not_blanked() -> None:
    assert http_errors.redact("mastodon: GET /x answered 401", [TOKEN]) == (
        "mastodon: GET /x answered 401"
    )
    assert http_errors.redact(f"bad {TOKEN[:10]}", [TOKEN]) == "bad ***"
