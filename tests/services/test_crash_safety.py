"""End to end: the poller, the real Mastodon and Bluesky connectors, fake platforms on 127.0.0.1
with faults switched on mid-way, and a real Store on a temp file. Whatever happens, every
mention the servers served is stored exactly once, and the health rows say what happened."""

from __future__ import annotations

import contextlib
import json
import logging
import random
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from tests.fakes.bluesky import PASSWORD, FakeBluesky
from tests.fakes.clock import FakeClock
from tests.fakes.mastodon import TOKEN, FakeMastodon
from tests.fakes.server import FakeServer, Reply, json_reply
from webcare_tui.connectors.base import ConnectorSettings
from webcare_tui.connectors.bluesky import BlueskyConnector, BlueskyOptions
from webcare_tui.connectors.mastodon import MastodonConnector, MastodonOptions
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.timeutil import from_db, parse_time, to_db
from webcare_tui.services.poller import Poller
from webcare_tui.store import Store

# The fakes' credentials, and the names of the session tokens the Bluesky fake hands out.
SECRET_MARKS = (TOKEN, PASSWORD, "access-jwt-", "refresh-jwt-")
NOTIFICATIONS = "/api/v1/notifications"
LIST = "/xrpc/app.bsky.notification.listNotifications"


class Killed(BaseException):
    """The process is killed here: not an `Exception`, so nothing in the poller catches it."""


def mastodon_connector(server: FakeServer, http: httpx.AsyncClient) -> MastodonConnector:
    settings = ConnectorSettings(
        "acme-social",
        "mastodon",
        "mastodon",
        timedelta(seconds=30),
        options=MastodonOptions(base_url=server.base_url, token_env="ACME_MASTODON_TOKEN"),
    )
    return MastodonConnector(settings, http=http, environ={"ACME_MASTODON_TOKEN": TOKEN})


def bluesky_connector(server: FakeServer, http: httpx.AsyncClient) -> BlueskyConnector:
    settings = ConnectorSettings(
        "acme-bsky",
        "bluesky",
        "bluesky",
        timedelta(seconds=30),
        options=BlueskyOptions(
            service=server.base_url, handle="brand.test", password_env="ACME_BSKY_PASSWORD"
        ),
    )
    return BlueskyConnector(settings, http=http, environ={"ACME_BSKY_PASSWORD": PASSWORD})


def stored(store: Store, connector: str) -> list[str]:
    rows = store.conn.execute("SELECT remote_id FROM messages WHERE connector = ?", (connector,))
    return [r[0] for r in rows]


def served_mastodon(fake: FakeMastodon) -> list[str]:
    return [n["status"]["id"] for n in fake.notifications if n["type"] == "mention"]


def served_bluesky(fake: FakeBluesky) -> list[str]:
    return [n["uri"] for n in fake.notifications if n["reason"] in ("mention", "reply", "quote")]


def health(store: Store) -> dict[str, dict[str, Any]]:
    return {str(row["name"]): row for row in store.health()}


def assert_no_secret(text: str) -> None:
    for mark in SECRET_MARKS:
        assert mark not in text


async def poll_round(poller: Poller, clock: FakeClock) -> None:
    # Far enough apart that every connector is due, whatever back-off the last round set.
    clock.advance(minutes=20)
    assert await poller.step()
    await poller.settle()


# -- many rounds, many faults -----------------------------------------------------------------


async def test_rounds_of_faults_lose_nothing_and_double_nothing(
    mastodon: tuple[FakeMastodon, FakeServer],
    bluesky: tuple[FakeBluesky, FakeServer],
    http: httpx.AsyncClient,
    store: Store,
    clock: FakeClock,
    response_clock: ResponseClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    m_fake, m_server = mastodon
    b_fake, b_server = bluesky
    poller = Poller(
        store,
        {
            "acme-social": mastodon_connector(m_server, http),
            "acme-bsky": bluesky_connector(b_server, http),
        },
        response_clock,
        now=clock,
        holder="test",
        rng=random.Random(4),
    )
    rng = random.Random(11)

    def crash_mastodon_ingest_once() -> None:
        """A kill inside the transaction, after the messages were written and before the
        cursor: the store rolls it all back, as SQLite would after a real kill."""
        from webcare_tui.store import store as store_module

        real = store_module.ingest_batch

        def crashing(conn: sqlite3.Connection, **kwargs: Any) -> Any:
            result = real(conn, **kwargs)
            if kwargs["connector"] == "acme-social" and kwargs["messages"]:
                monkeypatch.setattr(store_module, "ingest_batch", real)
                raise sqlite3.OperationalError("disk I/O error")
            return result

        monkeypatch.setattr(store_module, "ingest_batch", crashing)

    def at(delta: timedelta) -> datetime:
        return clock() + timedelta(minutes=20) + delta  # the moment of the coming round

    # Each round: (what breaks on Mastodon, what breaks on Bluesky), and the health expected.
    Fault = Callable[[], None] | None
    rounds: list[tuple[Fault, str, Fault, str]] = [
        (None, "ok", None, "ok"),
        (
            lambda: m_server.fail(NOTIFICATIONS, Reply(500)),
            "backing off",
            lambda: b_server.fail(LIST, Reply(502)),
            "backing off",
        ),
        (
            lambda: m_server.fail(NOTIFICATIONS, Reply(hang=True)),
            "backing off",
            lambda: b_server.fail(LIST, Reply(200, b'{"notifications": [{"uri', cut_body_at=None)),
            "backing off",
        ),
        (
            # Mastodon says when the window resets (ISO 8601) and sends no Retry-After.
            lambda: m_server.fail(
                NOTIFICATIONS,
                json_reply(
                    {"error": "Too many requests"},
                    429,
                    **{
                        "X-RateLimit-Remaining": "0",
                        "X-RateLimit-Reset": to_db(at(timedelta(minutes=7))),
                    },
                ),
            ),
            "rate limited",
            b_fake.expire_access,  # refreshed with the refresh JWT, transparently
            "ok",
        ),
        (
            lambda: setattr(m_fake, "repeat_at", {m_fake.page_requests + 2}),  # page 2 = page 1
            "ok",
            None,  # a page served twice, queued below once this round's notifications exist
            "backing off",
        ),
        (
            lambda: m_server.fail(NOTIFICATIONS, Reply(200, b"<html>Bad gateway</html>")),
            "backing off",
            lambda: b_server.fail(
                LIST,
                json_reply(
                    {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                    429,
                    **{"Retry-After": format_datetime(at(timedelta(minutes=9)), usegmt=True)},
                ),
            ),
            "rate limited",
        ),
        (crash_mastodon_ingest_once, "backing off", b_fake.expire_all, "ok"),  # login again
        (
            None,  # the round after the crash starts from the cursor the store still has
            "ok",
            lambda: b_server.fail(
                LIST, Reply(200, json.dumps({"notifications": []}), cut_body_at=5)
            ),
            "backing off",
        ),
        (lambda: m_server.fail(NOTIFICATIONS, Reply(503)), "backing off", None, "ok"),
        (None, "ok", None, "ok"),
        (None, "ok", None, "ok"),
    ]

    for number, (m_fault, m_expect, b_fault, b_expect) in enumerate(rounds):
        for _ in range(rng.randrange(1, 5)):
            m_fake.add_mention(f"round {number}", acct=f"c{rng.randrange(9)}@other.example")
        m_fake.add_other(rng.choice(["favourite", "reblog", "follow"]))
        for _ in range(55 if number == 4 else rng.randrange(1, 6)):
            b_fake.add(f"round {number}", reason=rng.choice(["mention", "reply", "quote", "like"]))
        if number == 4:
            # A stale cache answers the second page with the first one again.
            first = b_fake.notifications[:50]
            stale = {"notifications": first, "cursor": first[-1]["indexedAt"]}
            b_server.fail(LIST, json_reply(stale), json_reply(stale))
            for _ in range(7):  # more than two pages, so that a page can be served twice
                m_fake.add_mention(f"round {number}")
        for fault in (m_fault, b_fault):
            if fault is not None:
                fault()
        cursors = {name: store.cursor(name) for name in ("acme-social", "acme-bsky")}

        await poll_round(poller, clock)

        rows = health(store)
        for name, expect in (("acme-social", m_expect), ("acme-bsky", b_expect)):
            row = rows[name]
            assert row["status"] == expect, (number, name, row)
            if expect == "ok":
                assert row["backoff_until"] is None
                assert row["last_success_at"] == to_db(clock())
            else:
                assert from_db(str(row["backoff_until"])) > clock()
                assert row["last_error"]
                assert store.cursor(name) == cursors[name], (number, name)  # not a step on
            assert_no_secret(str(row))
        # Whatever was stored so far was served, and only once.
        for name, served in (
            ("acme-social", served_mastodon(m_fake)),
            ("acme-bsky", served_bluesky(b_fake)),
        ):
            ids = stored(store, name)
            assert len(ids) == len(set(ids)) and set(ids) <= set(served)

        if number == 3:  # the rate limit is honoured to the second the server named
            until = from_db(str(rows["acme-social"]["backoff_until"]))
            assert until == clock() + timedelta(minutes=7)
        if number == 5:
            until = from_db(str(rows["acme-bsky"]["backoff_until"]))
            assert until == clock() + timedelta(minutes=9)
        if number == 6:
            crash_cursor = cursors["acme-social"]
            requests_before_restart = len(m_server.calls(NOTIFICATIONS))
        if number == 7:  # the crashed batch was fetched again from the cursor the store kept
            refetch = m_server.calls(NOTIFICATIONS)[requests_before_restart]
            assert refetch.arg("min_id") == crash_cursor

    # Nothing lost, nothing doubled.
    assert sorted(stored(store, "acme-social")) == sorted(served_mastodon(m_fake))
    assert sorted(stored(store, "acme-bsky")) == sorted(served_bluesky(b_fake))
    # The cursors stand at the newest thing each server has.
    newest_mention = [n for n in m_fake.notifications if n["type"] == "mention"][-1]
    assert store.cursor("acme-social") == newest_mention["id"]
    newest_post = max(
        (n for n in b_fake.notifications if n["reason"] != "like"), key=lambda n: n["indexedAt"]
    )
    bsky_cursor = json.loads(store.cursor("acme-bsky") or "{}")
    assert parse_time(bsky_cursor["seen_until"]) == parse_time(newest_post["indexedAt"])
    assert bsky_cursor["uris"] == [newest_post["uri"]]
    # The session faults really happened: one refresh, one fresh login after it was refused.
    assert (b_fake.logins, b_fake.refreshes) == (2, 1)
    # The failures were logged and none showed a secret; the crash is database trouble to
    # report (a StoreError), not a bug with a traceback.
    assert_no_secret(caplog.text)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r for r in caplog.records if "disk I/O error" in r.getMessage()]


# -- kill at any moment -----------------------------------------------------------------------


@pytest.mark.parametrize("crash", ["mid-fetch", "mid-transaction", "after-commit"])
async def test_a_restart_after_a_kill_at_any_moment_stores_everything_once(
    crash: str,
    mastodon: tuple[FakeMastodon, FakeServer],
    http: httpx.AsyncClient,
    store: Store,
    clock: FakeClock,
    response_clock: ResponseClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, server = mastodon

    def process() -> Poller:
        """A fresh process: nothing survives but the database."""
        connector = mastodon_connector(server, http)
        return Poller(store, {connector.name: connector}, response_clock, now=clock)

    fake.add_mention("before")
    await process().run_once()
    cursor = store.cursor("acme-social")
    for i in range(8):  # three pages of three
        fake.add_mention(f"after {i}")

    if crash == "mid-fetch":
        # The first page arrives, then the server stops answering: the fetch as a whole fails.
        server.fail(NOTIFICATIONS, Reply(hang=True), skip=1)
    elif crash == "mid-transaction":
        from webcare_tui.store import store as store_module

        real = store_module.ingest_batch

        def killed(conn: sqlite3.Connection, **kwargs: Any) -> Any:
            result = real(conn, **kwargs)  # the messages are written...
            if kwargs["messages"]:
                raise Killed  # ...and the process dies before the cursor and the commit
            return result

        monkeypatch.setattr(store_module, "ingest_batch", killed)
    else:

        def killed_after(*args: Any, **kwargs: Any) -> None:
            raise Killed  # stored and committed, killed before the health row

        monkeypatch.setattr(store, "record_health", killed_after)

    interrupted = process()
    with contextlib.nullcontext() if crash == "mid-fetch" else pytest.raises(Killed):
        await interrupted.poll("acme-social")
    monkeypatch.undo()

    if crash == "after-commit":
        assert len(stored(store, "acme-social")) == 9  # it got that far
    else:
        assert stored(store, "acme-social") == served_mastodon(fake)[:1]
        assert store.cursor("acme-social") == cursor

    clock.advance(minutes=1)
    [outcome] = await process().run_once()
    assert outcome.ok
    assert sorted(stored(store, "acme-social")) == sorted(served_mastodon(fake))
    assert store.cursor("acme-social") == fake.notifications[-1]["id"]
