"""Database trouble at the command line: one line saying what to do, exit 1, never a traceback;
`webcare check-db` says what is wrong and how to recover."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_cli import CONFIG
from tests.fakes.clock import FROZEN_NOW
from webcare_tui.cli import main
from webcare_tui.config import demo_config
from webcare_tui.services.importer import import_file
from webcare_tui.store import Store
from webcare_tui.store import base as store_base

GOOD = "Wat vervelend! Stuur je ons een DM met je ordernummer? Dan zoek ik het uit. ^AB"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("WEBCARE_CONFIG", "WEBCARE_DB", "WEBCARE_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    rows = [
        {"remote_id": str(i), "author": f"klant{i}", "text": "waar blijft mijn krant? " * 50,
         "created_at": "2026-11-23T08:00:00Z"}
        for i in range(60)
    ]  # fmt: skip
    source = tmp_path / "export.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    store = Store(db(tmp_path))
    try:
        import_file(store, source, connector="demo", channel="mastodon",
                    clock=demo_config().clock(), now=FROZEN_NOW)  # fmt: skip
    finally:
        store.close()  # the last connection out writes everything into the main file
    return tmp_path


def webcare(workspace: Path, *args: str) -> int:
    return main([*args, "--config", str(workspace / "config.toml"), "--db", str(db(workspace))])


def db(workspace: Path) -> Path:
    return workspace / "webcare.db"


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    [line] = err.splitlines()
    return line


def damage(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(4096)
        file.write(b"\xa5" * (size - 4096))


def test_a_damaged_database_gives_one_line_naming_check_db(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    damage(db(workspace))
    for command in (["threads"], ["show", "1"], ["reply", "1", "--text", GOOD], ["status"]):
        assert webcare(workspace, *command) == 1
        line = one_line(capsys)
        assert line.startswith("webcare: the database ") and "run `webcare check-db`" in line


def test_check_db_finds_the_damage_and_says_how_to_recover(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert webcare(workspace, "check-db") == 0
    healthy = capsys.readouterr().out
    assert "Integrity: ok" in healthy and "webcare.db 0600" in healthy and "folder" in healthy
    damage(db(workspace))
    before = db(workspace).read_bytes()
    assert webcare(workspace, "check-db") == 1
    out = capsys.readouterr()
    assert "Integrity: DAMAGED" in out.out or "Integrity: cannot be read" in out.out
    assert "How to recover:" in out.out and "last backup" in out.out and ".recover" in out.out
    assert "is damaged" in out.err and "Traceback" not in out.err
    assert db(workspace).read_bytes() == before  # looked at, not touched


def test_check_db_warns_about_files_every_user_can_read(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db(workspace).chmod(0o644)
    capsys.readouterr()
    assert webcare(workspace, "check-db") == 0
    assert "readable by every local user: webcare.db" in capsys.readouterr().out


def test_a_locked_database_gives_one_line(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_base, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(db(workspace), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    capsys.readouterr()
    try:
        assert webcare(workspace, "reply", "1", "--text", GOOD) == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "stayed locked by another process" in one_line(capsys)


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[bool]:
    """Make `path` unwritable, even for root (immutable), if this machine allows it."""
    if os.geteuid() == 0:
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode == 0
        try:
            yield made
        finally:
            if made:
                subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        yield True
        path.chmod(0o600)


def test_a_read_only_database_gives_one_line_for_each_command_that_writes(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    with read_only(db(workspace)) as made:
        if not made:
            pytest.skip("this file system cannot make a file read-only for root")
        for command in (
            ["reply", "1", "--text", GOOD],
            ["escalate", "1", "--to", "team:backoffice"],
            ["import", str(workspace / "export.jsonl"), "--connector", "demo"],
            ["poll", "--once"],
        ):
            assert webcare(workspace, *command) == 1, command
            err = capsys.readouterr().err
            assert "Traceback" not in err and "unexpected" not in err, command
            assert "read-only" in err, command


def test_a_thread_number_too_large_is_bad_usage(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        webcare(workspace, "show", "999999999999999999999999")
    assert exited.value.code == 2
    assert "there is no thread 999999999999999999999999" in capsys.readouterr().err


def test_threads_into_a_closed_pipe_exits_quietly(workspace: Path) -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "webcare_tui", "threads", "--config",
         str(workspace / "config.toml"), "--db", str(db(workspace))],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.close()  # `| head -0`: the reader is gone before the first line
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 141
    assert err == ""
