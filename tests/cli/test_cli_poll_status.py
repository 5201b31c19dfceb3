"""`webcare poll --once` and `webcare status` as a user runs them, against the fake platforms on
127.0.0.1, with the secrets in environment variables as the config names them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.workspace import PlatformsConfig, webcare
from tests.fakes.bluesky import PASSWORD, FakeBluesky
from tests.fakes.mastodon import TOKEN, FakeMastodon
from tests.fakes.server import FakeServer, Reply
from webcare_tui.config import demo_config
from webcare_tui.services.poller import Poller
from webcare_tui.store import Store

LIST = "/xrpc/app.bsky.notification.listNotifications"


@pytest.fixture
def config(platforms_config: PlatformsConfig) -> Path:
    return platforms_config(agent=False, mastodon_extra='poll_every = "30s"\n')


def test_poll_once_stores_the_mentions_and_says_so(
    config: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    bluesky: tuple[FakeBluesky, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    mastodon[0].add_mention("where is my parcel?")
    mastodon[0].add_mention("hello??", acct="other@x.example")
    bluesky[0].add("hey @brand.test my order is late")
    assert webcare(config, "poll", "--once") == 0
    out = capsys.readouterr()
    assert "acme-social: 2 new messages, 2 new threads" in out.out
    assert "acme-bsky: 1 new messages, 1 new threads" in out.out
    assert out.err == ""
    assert webcare(config, "poll", "--once") == 0  # again: nothing new, nothing doubled
    assert "acme-social: 0 new messages" in capsys.readouterr().out


def test_poll_once_exits_0_and_names_the_connector_that_failed(
    config: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mastodon[0].add_mention("still there?")
    env = {**os.environ}
    env.pop("ACME_BSKY_PASSWORD")  # someone forgot to set it on the server
    db = str(config.with_name("webcare.db"))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "webcare_tui",
            "poll",
            "--once",
            "--config",
            str(config),
            "--db",
            db,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0
    assert "acme-social: 1 new messages" in result.stdout
    [failure] = [line for line in result.stderr.splitlines() if ": failed: " in line]
    assert failure.startswith("acme-bsky: failed:") and "ACME_BSKY_PASSWORD" in failure
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stdout + result.stderr


def test_status_shows_each_connectors_health_and_the_lease_holder(
    config: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    bluesky: tuple[FakeBluesky, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    mastodon[0].add_mention("hi")
    bluesky[1].fail(LIST, Reply(503))
    assert webcare(config, "poll", "--once") == 0
    capsys.readouterr()

    assert webcare(config, "status") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("acme-social (mastodon): ok · last success ")
    assert lines[1].startswith("acme-bsky (bluesky): backing off until ")
    assert (
        "last error: bluesky: GET /xrpc/app.bsky.notification.listNotifications answered 503"
        in (lines[1])
    )
    assert lines[2] == "Poller: nobody is polling"
    assert PASSWORD not in "\n".join(lines)

    # An agent's TUI (or `webcare poll`) takes the lease: status names the agent and the host
    # (not `laptop-ab:4242:9f3a1c`), until it lets go.
    store = Store(config.with_name("webcare.db"))
    try:
        poller = Poller(
            store, {}, demo_config().clock(), holder="laptop-ab:4242:9f3a1c", agent="AB"
        )
        assert asyncio.run(poller.step())
        assert webcare(config, "status") == 0
        last = capsys.readouterr().out.splitlines()[-1]
        assert last.startswith("Poller: held by AB on laptop-ab (pid 4242) until ")
        asyncio.run(poller.release())
        assert webcare(config, "status") == 0
        assert capsys.readouterr().out.splitlines()[-1] == "Poller: nobody is polling"
    finally:
        store.close()


def test_status_forgets_a_skipped_item_once_it_arrives_readable(
    config: Path, mastodon: tuple[FakeMastodon, FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    fake = mastodon[0]
    fixed = fake.add_mention("first try")["status"]
    fixed["created_at"] = "0001-01-01T00:00:00Z"
    broken = fake.add_mention("still broken")["status"]
    broken["created_at"] = "0001-01-01T00:00:00Z"
    assert webcare(config, "poll", "--once") == 0
    assert webcare(config, "status") == 0
    assert "2 items skipped" in capsys.readouterr().out

    # The server mends the first status; it comes back in a later notification, readable.
    again = fake.add_mention("first try, mended")
    again["status"]["id"] = fixed["id"]
    assert webcare(config, "poll", "--once") == 0
    assert "acme-social: 1 new messages" in capsys.readouterr().out
    assert webcare(config, "status") == 0
    [social] = [line for line in capsys.readouterr().out.splitlines() if "acme-social" in line]
    assert f"1 item skipped, latest {broken['id']}: " in social
