"""`webcare reply` as the contract has it: claims, checks, `--force`, sends at once.

Against the demo connector, and end to end over real HTTP against the fake Mastodon on
127.0.0.1: the reply goes out as a status with an `Idempotency-Key`, and a retry after a lost
answer never posts twice.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.mastodon import TOKEN, FakeMastodon
from tests.fakes.server import FakeServer, Reply
from webcare_tui.cli import main
from webcare_tui.config import load_config
from webcare_tui.core.outbox import OutboxState
from webcare_tui.core.timeutil import now_utc
from webcare_tui.services.outbox import Outbox, SendOutcome
from webcare_tui.store import Store

DEMO = """
[team]
name = "Acme Webcare"
timezone = "Europe/Amsterdam"

[agent]
initials = "AB"

[[connectors]]
name = "demo"
type = "demo"
channel = "mastodon"

[[connectors]]
name = "news"
type = "rss"
url = "https://blog.example/feed.xml"
"""

MASTODON = """
[team]
name = "Acme Webcare"
timezone = "Europe/Amsterdam"

[agent]
initials = "AB"

[[connectors]]
name = "acme-social"
type = "mastodon"
base_url = "{base_url}"
token_env = "ACME_MASTODON_TOKEN"
"""

GOOD = "Wat vervelend, Anna! Stuur je ons een DM met je ordernummer? Dan zoek ik het uit. ^AB"
RUDE = "Wat wil je nou? De juf uithangen of geholpen worden? ^AB"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WEBCARE_AGENT", "WEBCARE_CONFIG", "WEBCARE_DB"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    (tmp_path / "config.toml").write_text(DEMO, encoding="utf-8")
    mentions = [
        {"remote_id": "1", "author": "anna@x.example", "text": "Krant niet bezorgd",
         "created_at": "2026-11-23T08:00:00Z"},
        {"remote_id": "2", "author": "bob@x.example", "text": "Waar blijft mijn pakket?",
         "created_at": "2026-11-23T08:10:00Z"},
    ]  # fmt: skip
    export = tmp_path / "mentions.jsonl"
    export.write_text("\n".join(json.dumps(m) for m in mentions) + "\n", encoding="utf-8")
    assert webcare(tmp_path, "import", str(export), "--connector", "demo") == 0
    feed = tmp_path / "feed.jsonl"
    post = {
        "remote_id": "p1",
        "author": "blog",
        "text": "Review",
        "created_at": "2026-11-22T08:00Z",
    }
    feed.write_text(json.dumps(post) + "\n", encoding="utf-8")
    assert webcare(tmp_path, "import", str(feed), "--connector", "news") == 0
    return tmp_path


def webcare(workspace: Path, *args: str) -> int:
    return main(
        [*args, "--config", str(workspace / "config.toml"), "--db", str(workspace / "w.db")]
    )


def show(workspace: Path, thread: int, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert webcare(workspace, "show", str(thread), "--json") == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def thread_of(workspace: Path, author: str, capsys: pytest.CaptureFixture[str]) -> int:
    capsys.readouterr()
    assert webcare(workspace, "threads", "--json") == 0
    threads = json.loads(capsys.readouterr().out)
    return int(next(t["id"] for t in threads if t["author"] == author))


# -- the demo connector ------------------------------------------------------------------------


def test_reply_sends_at_once_prints_the_remote_id_and_stops_the_clock(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = thread_of(demo, "anna@x.example", capsys)
    assert webcare(demo, "reply", str(thread), "--text", GOOD) == 0
    out = capsys.readouterr()
    remote_id = out.out.strip()
    assert remote_id.startswith("demo-out-") and out.err == ""
    shown = show(demo, thread, capsys)
    assert shown["state"] == "replied" and shown["assignee"] == "AB"
    assert shown["seconds_left"] is None
    [reply] = [m for m in shown["messages"] if m["direction"] == "out"]
    assert reply["remote_id"] == remote_id and reply["text"] == GOOD
    assert [e["kind"] for e in shown["events"]][-1] == "replied"


def test_a_blocking_check_refuses_with_the_finding_and_force_records_it(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = thread_of(demo, "anna@x.example", capsys)
    assert webcare(demo, "reply", str(thread), "--text", RUDE) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert "tone." in out.err and "blocks" in out.err and "--force" in out.err
    assert show(demo, thread, capsys)["state"] == "open"
    assert webcare(demo, "reply", str(thread), "--text", RUDE, "--force") == 0
    out = capsys.readouterr()
    assert out.out.strip().startswith("demo-out-") and "sent despite tone." in out.err
    shown = show(demo, thread, capsys)
    assert shown["state"] == "replied"
    assert "sent despite" in shown["events"][-1]["detail"]


def test_unsigned_and_empty_replies_are_refused(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = thread_of(demo, "anna@x.example", capsys)
    assert webcare(demo, "reply", str(thread), "--text", "Sorry, we zoeken het uit.") == 1
    assert "signature blocks" in capsys.readouterr().err
    assert webcare(demo, "reply", str(thread), "--text", "@anna ^AB", "--force") == 1
    assert "says nothing" in capsys.readouterr().err


def test_another_agents_thread_is_refused_naming_them_unless_forced(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = thread_of(demo, "bob@x.example", capsys)
    store = Store(demo / "w.db")
    store.assign(thread, "MK", now=now_utc())
    store.close()
    assert webcare(demo, "reply", str(thread), "--text", GOOD) == 1
    err = capsys.readouterr().err
    assert f"thread {thread} is assigned to MK" in err and "--force" in err
    assert webcare(demo, "reply", str(thread), "--text", GOOD, "--force") == 0
    shown = show(demo, thread, capsys)
    assert shown["assignee"] == "AB" and shown["state"] == "replied"
    assert any(e["detail"] == "taken over from MK" for e in shown["events"])


def test_a_channel_that_cannot_send_says_so(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    thread = thread_of(demo, "blog", capsys)
    assert webcare(demo, "reply", str(thread), "--text", GOOD, "--force") == 1
    err = capsys.readouterr().err
    assert "rss" in err and "cannot send" in err


def test_an_unknown_thread_fails_and_a_missing_text_is_bad_usage(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(demo, "reply", "999", "--text", GOOD) == 1
    assert "no thread 999" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        webcare(demo, "reply", "1")
    assert usage.value.code == 2


# -- Mastodon over real HTTP -------------------------------------------------------------------


@pytest.fixture
def mastodon_workspace(
    tmp_path: Path, mastodon: tuple[FakeMastodon, FakeServer], monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.setenv("ACME_MASTODON_TOKEN", TOKEN)
    config = MASTODON.format(base_url=mastodon[1].base_url)
    (tmp_path / "config.toml").write_text(config, encoding="utf-8")
    mastodon[0].add_mention("mijn krant is niet bezorgd", acct="klant@other.example")
    assert webcare(tmp_path, "poll", "--once") == 0
    return tmp_path


def test_a_reply_goes_out_over_http_with_an_idempotency_key(
    mastodon_workspace: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, server = mastodon
    thread = thread_of(mastodon_workspace, "klant@other.example", capsys)
    customer_status = fake.notifications[0]["status"]["id"]
    assert webcare(mastodon_workspace, "reply", str(thread), "--text", GOOD) == 0
    remote_id = capsys.readouterr().out.strip()
    [status] = fake.statuses
    assert status["id"] == remote_id
    [post] = server.calls("/api/v1/statuses", "POST")
    assert post.headers["idempotency-key"].startswith("webcare-")
    assert post.headers["authorization"] == f"Bearer {TOKEN}"
    form = post.json()
    assert form["status"] == f"@klant@other.example {GOOD}"  # the mention the platform needs
    assert form["in_reply_to_id"] == customer_status and form["visibility"] == "public"
    shown = show(mastodon_workspace, thread, capsys)
    assert shown["state"] == "replied"
    assert [m["remote_id"] for m in shown["messages"] if m["direction"] == "out"] == [remote_id]


def test_a_lost_answer_fails_the_command_and_the_retry_posts_once(
    mastodon_workspace: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, server = mastodon
    thread = thread_of(mastodon_workspace, "klant@other.example", capsys)
    # The server posts the status, then the answer is lost (a 502 from a proxy in front).
    server.fail("/api/v1/statuses", Reply(502, b"bad gateway"), method="POST", after=True)
    assert webcare(mastodon_workspace, "reply", str(thread), "--text", GOOD) == 1
    err = capsys.readouterr().err
    assert "not sent" in err and "502" in err and "never post twice" in err
    assert TOKEN not in err
    assert len(fake.statuses) == 1  # it did go out
    config = load_config(mastodon_workspace / "config.toml")
    store = Store(mastodon_workspace / "w.db")
    outbox = Outbox(store, config)
    [item] = store.outbox_items(thread)
    assert item.state is OutboxState.FAILED and item.retry_at is None
    outbox.retry(item.id)
    [outcome] = asyncio.run(_send_and_close(outbox))
    assert outcome.ok and outcome.item.remote_id == fake.statuses[0]["id"]
    keys = {r.headers["idempotency-key"] for r in server.calls("/api/v1/statuses", "POST")}
    assert keys == {item.idempotency_key}
    assert len(fake.statuses) == 1  # the retry met the first post
    assert store.thread(thread).state.value == "replied"
    store.close()


def test_the_platform_refusing_a_forced_overlong_reply_fails_with_its_reason(
    mastodon_workspace: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    thread = thread_of(mastodon_workspace, "klant@other.example", capsys)
    long_text = "Sorry! " + "Dat zoeken we uit. " * 40 + "^AB"
    assert webcare(mastodon_workspace, "reply", str(thread), "--text", long_text) == 1
    assert "length blocks" in capsys.readouterr().err
    assert webcare(mastodon_workspace, "reply", str(thread), "--text", long_text, "--force") == 1
    err = capsys.readouterr().err
    assert "rejected by the platform" in err and "character limit" in err
    assert mastodon[0].statuses == []


async def _send_and_close(outbox: Outbox) -> list[SendOutcome]:
    try:
        return await outbox.send_due()
    finally:
        await outbox.aclose()
