"""`webcare reply` as the contract has it: claims, checks, `--force`, sends at once.

Against the demo connector, and end to end over real HTTP against the fake Mastodon on
127.0.0.1: the reply goes out as a status with an `Idempotency-Key`, and a retry after a lost
answer never posts twice.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.cli.workspace import HEADER, json_in, polled, workspace_store
from tests.cli.workspace import webcare_in as webcare
from tests.fakes.mastodon import TOKEN, FakeMastodon
from tests.fakes.server import FakeServer, Reply
from webcare_tui.core.timeutil import now_utc

DEMO = (
    HEADER
    + """
[[connectors]]
name = "demo"
type = "demo"
channel = "mastodon"

[[connectors]]
name = "news"
type = "rss"
url = "https://blog.example/feed.xml"
"""
)

MASTODON = (
    HEADER
    + """
[[connectors]]
name = "acme-social"
type = "mastodon"
base_url = "{base_url}"
token_env = "ACME_MASTODON_TOKEN"
"""
)

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


def show(workspace: Path, thread: int, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    document: dict[str, Any] = json_in(workspace, capsys, "show", str(thread))
    return document


def thread_of(workspace: Path, author: str, capsys: pytest.CaptureFixture[str]) -> int:
    threads = json_in(workspace, capsys, "threads")
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


def test_a_blocking_check_refuses_and_force_needs_a_reason_on_the_record(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = thread_of(demo, "anna@x.example", capsys)
    assert webcare(demo, "reply", str(thread), "--text", RUDE) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert "tone." in out.err and "blocks" in out.err and "--force" in out.err
    assert show(demo, thread, capsys)["state"] == "open"
    assert webcare(demo, "reply", str(thread), "--text", RUDE, "--force") == 1
    err = capsys.readouterr().err
    assert "needs a reason" in err and "--reason" in err
    assert show(demo, thread, capsys)["state"] == "open"
    reason = "the customer asked for it in these words"
    assert webcare(demo, "reply", str(thread), "--text", RUDE, "--force", "--reason", reason) == 0
    out = capsys.readouterr()
    assert out.out.strip().startswith("demo-out-") and "sent despite tone." in out.err
    shown = show(demo, thread, capsys)
    assert shown["state"] == "replied"
    assert "sent despite" in shown["events"][-1]["detail"]
    assert f"reason: {reason}" in shown["events"][-1]["detail"]


def test_an_unsigned_reply_is_signed_and_an_empty_one_refused(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = thread_of(demo, "anna@x.example", capsys)
    assert webcare(demo, "reply", str(thread), "--text", "Sorry voor het wachten! ") == 0
    [reply] = [m for m in show(demo, thread, capsys)["messages"] if m["direction"] == "out"]
    assert reply["text"] == "Sorry voor het wachten! ^AB"
    other = thread_of(demo, "bob@x.example", capsys)
    assert webcare(demo, "reply", str(other), "--text", "Komt goed. ^AB") == 0
    [reply] = [m for m in show(demo, other, capsys)["messages"] if m["direction"] == "out"]
    assert reply["text"] == "Komt goed. ^AB"  # signed once, not twice


def test_an_empty_reply_is_refused_even_when_forced(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = thread_of(demo, "anna@x.example", capsys)
    assert webcare(demo, "reply", str(thread), "--text", "@anna", "--force") == 1
    assert "says nothing" in capsys.readouterr().err


def test_an_answered_thread_is_refused_unless_forced(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = thread_of(demo, "anna@x.example", capsys)
    assert webcare(demo, "reply", str(thread), "--text", GOOD) == 0
    capsys.readouterr()
    assert webcare(demo, "reply", str(thread), "--text", GOOD) == 1
    err = capsys.readouterr().err
    assert f"thread {thread} is already answered (by AB" in err and "--force" in err
    assert webcare(demo, "reply", str(thread), "--text", "Nog een vraag? ^AB", "--force") == 0
    replies = [m for m in show(demo, thread, capsys)["messages"] if m["direction"] == "out"]
    assert [r["text"] for r in replies] == [GOOD, "Nog een vraag? ^AB"]


def test_another_agents_thread_is_refused_naming_them_unless_forced(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = thread_of(demo, "bob@x.example", capsys)
    with workspace_store(demo) as store:
        store.assign(thread, "MK", now=now_utc())
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
    tmp_path: Path, mastodon: tuple[FakeMastodon, FakeServer], platform_secrets: None
) -> Path:
    mastodon[0].add_mention("mijn krant is niet bezorgd", acct="klant@other.example")
    return polled(tmp_path, MASTODON.format(base_url=mastodon[1].base_url))


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


def test_a_502_after_the_post_is_retried_within_the_command_and_posts_once(
    mastodon_workspace: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, server = mastodon
    thread = thread_of(mastodon_workspace, "klant@other.example", capsys)
    # The server posts the status, then the answer is lost (a 502 from a proxy in front).
    server.fail("/api/v1/statuses", Reply(502, b"bad gateway"), method="POST", after=True)
    assert webcare(mastodon_workspace, "reply", str(thread), "--text", GOOD) == 0
    out = capsys.readouterr()
    [status] = fake.statuses
    assert out.out.strip() == status["id"] and TOKEN not in out.err
    posts = server.calls("/api/v1/statuses", "POST")
    assert len(posts) == 2 and len({p.headers["idempotency-key"] for p in posts}) == 1
    shown = show(mastodon_workspace, thread, capsys)
    assert shown["state"] == "replied"
    assert [m["remote_id"] for m in shown["messages"] if m["direction"] == "out"] == [status["id"]]


def test_the_platform_refusing_a_forced_overlong_reply_fails_with_its_reason(
    mastodon_workspace: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    thread = thread_of(mastodon_workspace, "klant@other.example", capsys)
    long_text = "Sorry! " + "Dat zoeken we uit. " * 40 + "^AB"
    assert webcare(mastodon_workspace, "reply", str(thread), "--text", long_text) == 1
    assert "length blocks" in capsys.readouterr().err
    forced = ("--force", "--reason", "legal wants the whole text")
    assert webcare(mastodon_workspace, "reply", str(thread), "--text", long_text, *forced) == 1
    err = capsys.readouterr().err
    assert "rejected by the platform" in err and "character limit" in err
    assert mastodon[0].statuses == []


def test_refusal_and_warning_lines_say_where_the_rule_comes_from(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    thread = thread_of(demo, "anna@x.example", capsys)
    assert webcare(demo, "reply", str(thread), "--text", RUDE) == 1
    blocks = [line for line in capsys.readouterr().err.splitlines() if " blocks: " in line]
    assert blocks and all(" (from " in line for line in blocks)
    assert any(re.search(r" \(from data/tone/\w+\.toml:\d+\)$", line) for line in blocks)
    cheer = "Hoi Anna! Fijn dat je het meldt! Ik zoek het uit! Dank! ^AB"
    assert webcare(demo, "reply", str(thread), "--text", cheer) == 0
    [warning] = [line for line in capsys.readouterr().err.splitlines() if " warns: " in line]
    assert warning.startswith("webcare: tone.exclamations warns: ")
    assert warning.endswith(" (from built-in rule any.exclamations)")
