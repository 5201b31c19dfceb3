"""A reply goes out exactly once, end to end: `webcare reply`, `webcare outbox` and the poller
against the fake Mastodon on 127.0.0.1, with answers lost, processes killed mid-send, and eight
processes racing on one thread. "Once" is counted where it matters: statuses on the server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli_reply import GOOD, MASTODON, RUDE, thread_of, webcare
from tests.cli.workspace import json_in, polled, workspace_options, workspace_store
from tests.fakes.mastodon import TOKEN, FakeMastodon
from tests.fakes.server import FakeServer, Reply
from webcare_tui.cli import replies

SUBPROCESS_TIMEOUT = 60


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WEBCARE_CONFIG", "WEBCARE_DB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WEBCARE_AGENT", "AB")
    monkeypatch.setenv("ACME_MASTODON_TOKEN", TOKEN)
    # The back-off between tries within one command: no waiting in tests.
    monkeypatch.setattr(replies, "RESOLVE_PAUSES", (0.0, 0.0))


@pytest.fixture
def workspace(tmp_path: Path, mastodon: tuple[FakeMastodon, FakeServer]) -> Path:
    mastodon[0].add_mention("mijn krant is niet bezorgd", acct="klant@other.example")
    return polled(tmp_path, MASTODON.format(base_url=mastodon[1].base_url))


def outbox_json(workspace: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    document: list[dict[str, Any]] = json_in(workspace, capsys, "outbox")
    return document


def keys_posted(server: FakeServer) -> set[str]:
    return {r.headers["idempotency-key"] for r in server.calls("/api/v1/statuses", "POST")}


def replies_stored(workspace: Path, thread: int) -> list[str]:
    with workspace_store(workspace) as store:
        return [m.remote_id for m in store.messages(thread) if m.direction.value == "out"]


def posted_once(
    workspace: Path, mastodon: tuple[FakeMastodon, FakeServer], thread: int
) -> dict[str, Any]:
    """The one status on the server, posted under one idempotency key and stored as our reply."""
    fake, server = mastodon
    [status] = fake.statuses
    assert len(keys_posted(server)) == 1
    assert replies_stored(workspace, thread) == [status["id"]]
    return status


def lose_every_answer_of_one_command(
    workspace: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, int]:
    """`webcare reply` whose status is created but whose every answer (three tries) is lost."""
    fake, _ = mastodon
    thread = thread_of(workspace, "klant@other.example", capsys)
    fake.lose_answers = 3
    assert webcare(workspace, "reply", str(thread), "--text", GOOD) == 1
    err = capsys.readouterr().err
    assert "unconfirmed" in err and "never posts twice" in err and TOKEN not in err
    [item] = outbox_json(workspace, capsys)
    assert item["thread"] == thread and item["state"] == "unconfirmed"
    assert item["attempts"] == 3 and item["text"] == GOOD and item["last_error"]
    assert len(fake.statuses) == 1  # it did go out, once
    return thread, int(item["id"])


def test_a_lost_answer_then_the_same_reply_again_resumes_it_and_posts_once(
    workspace: Path, mastodon: tuple[FakeMastodon, FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    thread, item_id = lose_every_answer_of_one_command(workspace, mastodon, capsys)
    assert webcare(workspace, "reply", str(thread), "--text", GOOD) == 0
    out = capsys.readouterr()
    status = posted_once(workspace, mastodon, thread)
    assert out.out.strip() == status["id"]
    assert f"resuming reply {item_id}" in out.err
    assert outbox_json(workspace, capsys) == []


def test_a_lost_answer_then_outbox_retry_posts_once(
    workspace: Path, mastodon: tuple[FakeMastodon, FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, _ = mastodon
    thread, item_id = lose_every_answer_of_one_command(workspace, mastodon, capsys)
    assert webcare(workspace, "outbox", "retry", str(item_id)) == 0
    status = posted_once(workspace, mastodon, thread)
    assert capsys.readouterr().out.strip() == status["id"]
    assert webcare(workspace, "outbox", "retry", str(item_id)) == 0  # nothing left to do
    out = capsys.readouterr()
    assert out.out.strip() == status["id"] and "sent already" in out.err
    assert len(fake.statuses) == 1


def test_a_different_text_on_an_unconfirmed_thread_resumes_the_first_and_says_so(
    workspace: Path, mastodon: tuple[FakeMastodon, FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, _ = mastodon
    thread, item_id = lose_every_answer_of_one_command(workspace, mastodon, capsys)
    assert webcare(workspace, "reply", str(thread), "--text", "Iets anders. ^AB") == 0
    err = capsys.readouterr().err
    assert f"resuming reply {item_id}" in err and "the text given now is not sent" in err
    assert [s["_sent"]["form"]["status"] for s in fake.statuses] == [f"@klant@other.example {GOOD}"]


def test_cancelling_an_unconfirmed_reply_warns_it_may_be_out(
    workspace: Path, mastodon: tuple[FakeMastodon, FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    _, item_id = lose_every_answer_of_one_command(workspace, mastodon, capsys)
    assert webcare(workspace, "outbox", "cancel", str(item_id)) == 0
    out = capsys.readouterr()
    assert "may have reached the platform" in out.err and "cancelled" in out.out
    assert outbox_json(workspace, capsys) == []
    assert webcare(workspace, "outbox", "cancel", str(item_id)) == 1
    assert "taken back" in capsys.readouterr().err


def test_outbox_lists_nothing_when_all_is_sent_and_refuses_unknown_items(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert webcare(workspace, "outbox") == 0
    assert "empty" in capsys.readouterr().out
    assert webcare(workspace, "outbox", "retry", "42") == 1
    assert "no outbox item 42" in capsys.readouterr().err


def test_with_four_eyes_a_blocked_reply_waits_for_a_colleagues_approval(
    workspace: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, _ = mastodon
    config = workspace / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[replies]\noverride = "second-agent"\n',
        encoding="utf-8",
    )
    thread = thread_of(workspace, "klant@other.example", capsys)
    forced = ("--force", "--reason", "quoting them")
    assert webcare(workspace, "reply", str(thread), "--text", RUDE, *forced) == 1  # not sent
    out = capsys.readouterr()
    assert out.out == "" and "waits for a colleague's approval" in out.err
    assert "sent despite" not in out.err
    [listed] = outbox_json(workspace, capsys)
    assert listed["state"] == "awaiting_approval" and fake.statuses == []
    assert webcare(workspace, "outbox", "approve", str(listed["id"])) == 1
    assert "a colleague approves it" in capsys.readouterr().err
    assert fake.statuses == []
    monkeypatch.setenv("WEBCARE_AGENT", "MK")
    assert webcare(workspace, "outbox", "approve", str(listed["id"])) == 0
    [status] = fake.statuses
    assert capsys.readouterr().out.strip() == status["id"]
    with workspace_store(workspace) as store:
        events = store.events(thread)
    assert ("reply approved", "MK") in [(e.kind, e.actor) for e in events]
    assert "reason: quoting them" in events[-1].detail and "approved by MK" in events[-1].detail


# -- separate processes --------------------------------------------------------------------


def webcare_process(workspace: Path, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "webcare_tui", *args]
    command += workspace_options(workspace)
    env = {**os.environ, "WEBCARE_AGENT": "AB", "ACME_MASTODON_TOKEN": TOKEN}
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def killed_mid_send(
    workspace: Path, mastodon: tuple[FakeMastodon, FakeServer], capsys: pytest.CaptureFixture[str]
) -> int:
    """The customer's thread, after `webcare reply` to it ran in its own process and was killed
    (-9) after the status was created and before its answer came back."""
    fake, server = mastodon
    thread = thread_of(workspace, "klant@other.example", capsys)
    server.fail("/api/v1/statuses", Reply(hang=True), method="POST", after=True)
    process = webcare_process(workspace, "reply", str(thread), "--text", GOOD)
    try:
        assert fake.posted.wait(SUBPROCESS_TIMEOUT)
    finally:
        process.kill()
        process.wait(SUBPROCESS_TIMEOUT)
    return thread


def test_killed_between_sending_and_the_answer_the_poller_posts_once(
    workspace: Path, mastodon: tuple[FakeMastodon, FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, _ = mastodon
    thread = killed_mid_send(workspace, mastodon, capsys)
    [stuck] = outbox_json(workspace, capsys)
    assert stuck["state"] == "sending" and len(fake.statuses) == 1
    assert webcare(workspace, "poll", "--once") == 0
    posted_once(workspace, mastodon, thread)
    assert outbox_json(workspace, capsys) == []


def test_killed_mid_send_the_same_reply_again_resumes_and_posts_once(
    workspace: Path, mastodon: tuple[FakeMastodon, FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, server = mastodon
    thread = killed_mid_send(workspace, mastodon, capsys)
    assert webcare(workspace, "reply", str(thread), "--text", GOOD) == 0
    [status] = fake.statuses
    assert capsys.readouterr().out.strip() == status["id"]
    assert len(keys_posted(server)) == 1


def test_eight_reply_processes_on_one_thread_post_one_status(
    workspace: Path, mastodon: tuple[FakeMastodon, FakeServer], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, _ = mastodon
    thread = thread_of(workspace, "klant@other.example", capsys)
    processes = [webcare_process(workspace, "reply", str(thread), "--text", GOOD) for _ in range(8)]
    results = [(p.wait(SUBPROCESS_TIMEOUT), *p.communicate()) for p in processes]
    assert len(fake.statuses) == 1
    assert [code for code, _, _ in results].count(0) == 1
    refused = [err for code, _, err in results if code != 0]
    assert all(("being answered" in e or "already answered" in e) for e in refused), refused
    assert all("Traceback" not in err for _, _, err in results)
    assert replies_stored(workspace, thread) == [fake.statuses[0]["id"]]
