"""The contract's commands, driven the way a script or an outside test drives them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.workspace import HEADER, workspace_options
from webcare_tui.cli import main

CONFIG = (
    HEADER
    + """
[[windows]]
channel = "*"
first_response = "60m"
hours = "mon-fri 09:00-17:00"

[[connectors]]
name = "demo"
type = "demo"
channel = "mastodon"
"""
)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("WEBCARE_AGENT", raising=False)
    monkeypatch.delenv("WEBCARE_CONFIG", raising=False)
    monkeypatch.delenv("WEBCARE_DB", raising=False)
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def run(workspace: Path, *args: str) -> list[str]:
    return [*workspace_options(workspace), *args]


def export(path: Path) -> Path:
    lines = [
        {"remote_id": "1", "author": "anna@x.example", "text": "Krant niet bezorgd",
         "created_at": "2026-11-23T08:00:00Z", "followers": 80000},
        {"remote_id": "2", "author": "anna@x.example", "text": "Nog steeds niet!",
         "created_at": "2026-11-23T08:30:00Z", "in_reply_to": "1"},
        {"remote_id": "3", "author": "bob@x.example", "text": "[bold]hi[/] \u001b[2J",
         "created_at": "2026-11-21T12:00:00Z"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    return path


def test_import_threads_and_show_json(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = export(workspace / "export.jsonl")
    assert main(run(workspace, "import", str(source), "--connector", "demo")) == 0
    captured = capsys.readouterr()
    assert "export.jsonl:4: skipped" in captured.err
    assert main(run(workspace, "import", str(source), "--connector", "demo")) == 0
    assert "0 imported, 3 already there, 1 skipped." in capsys.readouterr().out

    assert main(run(workspace, "threads", "--json")) == 0
    threads = json.loads(capsys.readouterr().out)
    assert len(threads) == 2
    for key in ("id", "channel", "connector", "author", "state", "assignee", "created_at",
                "due_at", "seconds_left", "last_message"):  # fmt: skip
        assert key in threads[0]
    # Bob wrote on Saturday: his clock started Monday 09:00 local and is due first.
    assert threads[0]["author"] == "bob@x.example"
    assert threads[0]["due_at"] == "2026-11-23T09:00:00+00:00"
    assert threads[1]["last_message"] == "Nog steeds niet!"
    assert threads[1]["channel"] == "mastodon"

    assert main(run(workspace, "show", str(threads[1]["id"]), "--json")) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [m["remote_id"] for m in shown["messages"]] == ["1", "2"]
    assert {m["direction"] for m in shown["messages"]} == {"in"}
    assert shown["messages"][0]["created_at"].endswith("+00:00")

    assert main(run(workspace, "threads")) == 0
    table = capsys.readouterr().out.splitlines()
    bob = next(line for line in table if "bob@x.example" in line)
    # Due Monday 09:00 local, long past: the table words it as the feed does.
    assert "overdue " in bob and "[bold]hi[/]" in bob


def test_state_filter_and_escalate(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(run(workspace, "import", str(export(workspace / "e.jsonl")), "--connector", "demo"))
    capsys.readouterr()
    assert main(run(workspace, "escalate", "1", "--to", "phone", "--note", "belt terug")) == 2
    assert "--phone" in capsys.readouterr().err  # a phone escalation without a number
    assert main(run(workspace, "escalate", "1", "--to", "phone", "--phone", "0612345678")) == 0
    capsys.readouterr()
    assert main(run(workspace, "threads", "--json", "--state", "escalated")) == 0
    [thread] = json.loads(capsys.readouterr().out)
    assert thread["state"] == "escalated"
    assert main(run(workspace, "escalate", "1", "--to", "fax")) == 2
    assert main(run(workspace, "escalate", "99", "--to", "dm")) == 1
    assert "no thread 99" in capsys.readouterr().err


def test_bad_config_exits_2_naming_file_line_and_key(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = workspace / "config.toml"
    bad.write_text(CONFIG.replace('first_response = "60m"', 'first_response = "soon"'))
    assert main(run(workspace, "threads")) == 2
    err = capsys.readouterr().err
    assert f"{bad}:11:" in err and "first_response" in err
    assert "Traceback" not in err


def test_check_config_and_window_text(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(run(workspace, "check-config")) == 0
    out = capsys.readouterr().out
    assert "Acme Webcare" in out and "^AB" in out and "demo" in out
    assert main(run(workspace, "window-text", "--lang", "nl")) == 0
    assert capsys.readouterr().out.startswith("We reageren binnen 60 minuten, ma-vr 09:00-17:00.")


def test_poll_once_on_the_demo_connector(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(run(workspace, "poll", "--once")) == 0
    assert "demo:" in capsys.readouterr().out
    assert main(run(workspace, "threads", "--json")) == 0
    assert len(json.loads(capsys.readouterr().out)) > 0


def test_json_output_is_one_document_and_nothing_else(workspace: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "webcare_tui", *run(workspace, "threads", "--json")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(done.stdout) == []
