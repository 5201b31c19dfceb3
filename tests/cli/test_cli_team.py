"""`webcare assign / unassign / agents / handover` as a team uses them on one database, and
what `check-config`, `status` and `poll --once` say about the files and the poller lease."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli_reply import DEMO
from tests.cli.workspace import webcare_in, workspace_store
from webcare_tui.cli import main
from webcare_tui.config import load_config
from webcare_tui.core.timeutil import now_utc
from webcare_tui.services.poller import LEASE
from webcare_tui.services.presence import Presence
from webcare_tui.store import Store


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("WEBCARE_CONFIG", "WEBCARE_DB"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "config.toml").write_text(DEMO, encoding="utf-8")
    mentions = [
        {"remote_id": str(n), "author": f"klant{n}@x.example", "text": f"Vraag {n}",
         "created_at": f"2026-11-23T08:0{n}:00Z"}
        for n in range(1, 4)
    ]  # fmt: skip
    export = tmp_path / "mentions.jsonl"
    export.write_text("\n".join(json.dumps(m) for m in mentions) + "\n", encoding="utf-8")
    assert run(tmp_path, "AB", "import", str(export), "--connector", "demo") == 0
    return tmp_path


def run(workspace: Path, agent: str, *args: str) -> int:
    os.environ["WEBCARE_AGENT"] = agent  # the autouse fixture restores it after the test
    return webcare_in(workspace, *args)


def as_json(workspace: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    capsys.readouterr()
    assert run(workspace, "AB", *args, "--json") == 0
    return json.loads(capsys.readouterr().out)


def thread_ids(workspace: Path, capsys: pytest.CaptureFixture[str]) -> list[int]:
    return sorted(t["id"] for t in as_json(workspace, capsys, "threads"))


def test_claim_hand_to_a_colleague_and_refuse_a_silent_take_over(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, *_ = thread_ids(team, capsys)
    assert run(team, "AB", "assign", str(first)) == 0
    assert run(team, "AB", "assign", str(first), "--to", "CD") == 0
    assert "assigned to CD (was AB)" in capsys.readouterr().out

    # EF may not take CD's thread without saying why: refused, naming CD and the way out.
    assert run(team, "EF", "assign", str(first)) == 1
    err = capsys.readouterr().err
    assert "assigned to CD" in err and "--reason" in err and "--to AGENT" in err
    assert as_json(team, capsys, "show", str(first))["assignee"] == "CD"

    assert run(team, "EF", "assign", str(first), "--reason", "CD went home ill") == 0
    shown = as_json(team, capsys, "show", str(first))
    assert shown["assignee"] == "EF"
    history = " ".join(f"{e['actor']} {e['kind']} {e['detail']}" for e in shown["events"])
    assert "CD went home ill" in history and "from CD" in history

    # CD is told, in words that name who took it and why.
    with workspace_store(team) as store:
        [notice] = store.notices("CD")
        assert notice.thread_id == first and "EF" in notice.text and "went home ill" in notice.text
        assert store.notices("EF") == []


def test_unassign_gives_the_thread_back_and_needs_a_reason_for_a_colleagues(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, _ = thread_ids(team, capsys)
    assert run(team, "AB", "assign", str(first)) == 0
    assert run(team, "AB", "unassign", str(first)) == 0
    assert as_json(team, capsys, "show", str(first))["assignee"] is None

    assert run(team, "CD", "assign", str(second)) == 0
    assert run(team, "AB", "unassign", str(second)) == 1
    assert "assigned to CD" in capsys.readouterr().err
    assert run(team, "AB", "unassign", str(second), "--reason", "shift over") == 0
    assert as_json(team, capsys, "show", str(second))["assignee"] is None


def test_assign_an_unknown_thread_is_a_clear_failure(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(team, "AB", "assign", "9999") == 1
    assert "no thread 9999" in capsys.readouterr().err


def test_agents_shows_who_is_active_what_they_hold_and_reply_to(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, third = thread_ids(team, capsys)
    assert run(team, "CD", "assign", str(second)) == 0
    assert run(team, "CD", "assign", str(third)) == 0
    with workspace_store(team) as store:
        presence = Presence(store, "AB", now_utc)
        presence.replying_to = first
        presence.beat()
        agents = {a["agent"]: a for a in as_json(team, capsys, "agents")}
        assert agents["AB"]["active"] is True
        assert agents["AB"]["replying_to"] == first
        assert agents["AB"]["last_seen"] is not None
        # CD holds two threads but runs no TUI: listed, not active.
        assert agents["CD"] == {
            "agent": "CD",
            "active": False,
            "last_seen": None,
            "holding": [second, third],
            "replying_to": None,
        }
        presence.leave()  # the TUI quit: AB stops counting at once
        assert all(a["agent"] != "AB" for a in as_json(team, capsys, "agents"))
    capsys.readouterr()
    assert run(team, "AB", "agents") == 0
    assert "CD: away · holds 2" in capsys.readouterr().out


def test_handover_lists_overdue_threads_with_notes_promises_and_drafts(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, _ = thread_ids(team, capsys)
    assert run(team, "AB", "handover", "--note", str(first), "Klant belt morgen terug") == 0
    with workspace_store(team) as store:
        store.save_draft(second, "CD", "Ik zoek het uit", now=now_utc())
    report = as_json(team, capsys, "handover")
    # Imported in November, due within the hour: overdue now, so they run out before any opening.
    listed = {t["thread"]: t for t in report["threads"]}
    assert first in listed and second in listed
    assert listed[first]["note"]["text"] == "Klant belt morgen terug"
    assert listed[first]["note"]["author"] == "AB"
    assert listed[second]["drafts"] == [
        {
            "agent": "CD",
            "text": "Ik zoek het uit",
            "updated_at": listed[second]["drafts"][0]["updated_at"],
        }
    ]
    assert listed[first]["seconds_left"] < 0
    capsys.readouterr()
    assert run(team, "AB", "handover") == 0
    out = capsys.readouterr().out
    assert "note (AB): Klant belt morgen terug" in out and "draft by CD: Ik zoek het uit" in out

    assert run(team, "AB", "handover", "--note", str(first), "") == 0
    assert as_json(team, capsys, "handover")["threads"][0]["note"] is None
    assert run(team, "AB", "handover", "--note", "abc", "x") == 2


def test_handover_lists_callbacks_due_before_the_next_opening_and_not_later_ones(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, _ = thread_ids(team, capsys)
    now = now_utc()
    with workspace_store(team) as store:
        late = store.add_callback(
            first, "+31 6 1234 5678", due_at=now - timedelta(hours=1), note="factuur", actor="AB",
            now=now,
        )  # fmt: skip
        store.add_callback(
            second, "+31 6 8765 4321", due_at=now + timedelta(days=30), note="later", actor="AB",
            now=now,
        )  # fmt: skip
        made = store.add_callback(
            second, "+31 6 1111 2222", due_at=now - timedelta(hours=2), note="gedaan",
            actor="AB", now=now,
        )  # fmt: skip
        store.complete_callback(
            made,
            outcome="gebeld",
            actor="AB",
            now=now,
            clock=load_config(team / "config.toml").clock(),
        )
    report = as_json(team, capsys, "handover")
    assert [(c["id"], c["thread"], c["phone"], c["note"]) for c in report["callbacks"]] == [
        (late, first, "+31 6 1234 5678", "factuur")
    ]
    assert report["callbacks"][0]["seconds_left"] < 0
    capsys.readouterr()
    assert run(team, "AB", "handover") == 0
    out = capsys.readouterr().out
    assert "Callbacks due before the next opening:" in out
    assert f"#{first} call +31 6 1234 5678" in out and "factuur" in out
    assert "8765" not in out and "gedaan" not in out


def test_check_config_warns_about_a_world_readable_config_naming_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_MASTODON_TOKEN", "t")
    config = tmp_path / "config.toml"
    config.write_text(
        '[team]\ntimezone = "Europe/Amsterdam"\n[[connectors]]\nname = "m"\n'
        'type = "mastodon"\nbase_url = "https://127.0.0.1"\ntoken_env = "ACME_MASTODON_TOKEN"\n',
        encoding="utf-8",
    )
    db = tmp_path / "w.db"
    Store(db).close()
    args = ["check-config", "--config", str(config), "--db", str(db)]
    config.chmod(0o600)
    assert main(args) == 0
    assert "Warning: the config" not in capsys.readouterr().out

    config.chmod(0o644)
    db.chmod(0o644)
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "readable by every user" in out and "ACME_MASTODON_TOKEN" in out
    assert f"the database {db} is readable by every user" in out


def test_poll_once_takes_the_lease_and_leaves_a_held_one_alone(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = load_config(team / "config.toml")
    assert config.connectors
    with workspace_store(team) as store:
        assert store.take_lease(
            LEASE, "shift-server:4711:abcdef", now=now_utc(), ttl_seconds=60, agent="CD"
        )
        assert run(team, "AB", "poll", "--once") == 1
        assert "CD on shift-server (pid 4711) polls this database already" in (
            capsys.readouterr().err
        )
        store.release_lease(LEASE, "shift-server:4711:abcdef")
        assert run(team, "AB", "poll", "--once") == 0
        assert store.lease(LEASE) is None  # given back when the round is done
