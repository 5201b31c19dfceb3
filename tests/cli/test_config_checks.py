"""What `check-config` and the TUI's start refuse or warn about beyond the file's own shape:
key bindings, themes, unset secrets, a database path in a folder that is not there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.workspace import workspace_options
from webcare_tui.cli import main
from webcare_tui.config.keymap import DeclaredBinding, keymap_problems

CONFIG = """
[team]
name = "Acme Webcare"
timezone = "Europe/Amsterdam"

[[connectors]]
name = "social"
type = "mastodon"
base_url = "https://social.example"
token_env = "ACME_UNSET_TOKEN_FOR_TEST"
"""


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("WEBCARE_AGENT", "WEBCARE_CONFIG", "WEBCARE_DB", "ACME_UNSET_TOKEN_FOR_TEST"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def check(workspace: Path, extra: str = "", *args: str) -> list[str]:
    (workspace / "config.toml").write_text(CONFIG + extra, encoding="utf-8")
    (workspace / "config.toml").chmod(0o600)  # as it should be: it names a secret's variable
    return [*workspace_options(workspace), *args]


def test_an_unset_token_env_is_a_warning_and_exit_0(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(check(workspace, "", "check-config")) == 0
    out = capsys.readouterr().out
    assert "Warning: connector social: token_env: ACME_UNSET_TOKEN_FOR_TEST is not set" in out
    monkeypatch.setenv("ACME_UNSET_TOKEN_FOR_TEST", "secret")
    assert main(check(workspace, "", "check-config")) == 0
    assert "Warning" not in capsys.readouterr().out


def test_check_config_prints_the_new_keys(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = '\n[tags]\nnames = ["billing"]\n[escalation]\nteams = ["legal"]\n'
    assert main(check(workspace, extra, "check-config")) == 0
    out = capsys.readouterr().out
    assert "Tags: billing" in out and "Escalation teams: legal" in out
    assert "DM template: Hoi {name}" in out and "Contacts we publish: none" in out


@pytest.mark.parametrize(
    ("extra", "line", "words"),
    [
        ('\n[keys]\n"thread.assign" = "r"\n', 13,
         "[keys] thread.assign: 'r' is the key of thread.reply (Reply) too"),
        ('\n[keys]\n"thread.replyy" = "R"\n', 13, "[keys] thread.replyy: unknown binding id"),
        ('\n[ui]\ntheme = "webcare-drak"\n', 13, "[ui] theme: unknown theme 'webcare-drak'"),
    ],
)  # fmt: skip
def test_bindings_and_themes_the_tui_cannot_use_are_refused(
    workspace: Path, capsys: pytest.CaptureFixture[str], extra: str, line: int, words: str
) -> None:
    assert main(check(workspace, extra, "check-config")) == 2
    err = capsys.readouterr().err
    assert f"config.toml:{line}: {words}" in err
    assert "Traceback" not in err


def test_a_swap_of_two_keys_is_fine(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    extra = '\n[keys]\n"thread.assign" = "r"\n"thread.reply" = "a"\n'
    assert main(check(workspace, extra, "check-config")) == 0
    assert "Key thread.assign: r" in capsys.readouterr().out


def test_keys_shared_by_default_are_not_a_conflict() -> None:
    scope = [
        DeclaredBinding("Help", "help.close", "escape,q", "Close"),
        DeclaredBinding("App", "app.quit", "q", "Quit"),
        DeclaredBinding("App", "app.help", "question_mark", "Help"),
    ]
    assert keymap_problems({"help.close": "escape,q,x"}, [scope]) == []
    problems = keymap_problems({"app.help": "q"}, [scope])
    assert [binding for binding, _ in problems] == ["app.help", "app.help"]
    assert "help.close (Close)" in problems[0][1] and "app.quit (Quit)" in problems[1][1]


@pytest.mark.parametrize("where", ["missing/w.db", "."])
def test_a_database_outside_any_folder_is_refused(
    workspace: Path, capsys: pytest.CaptureFixture[str], where: str
) -> None:
    args = check(workspace, "", "threads")
    args[3] = str(workspace / where)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err or "is a folder" in err
    assert not (workspace / "missing").exists()


def test_webcare_db_in_a_missing_folder_is_refused_too(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WEBCARE_DB", str(workspace / "gone" / "w.db"))
    args = check(workspace, "", "threads")
    assert main(args[:2] + args[4:]) == 2
    assert "WEBCARE_DB" in capsys.readouterr().err and not (workspace / "gone").exists()


def test_a_config_that_is_a_folder_is_named(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", str(workspace), "--db", str(workspace / "w.db"), "threads"]) == 2
    assert f"{workspace}: file: is a folder, expected a TOML file" in capsys.readouterr().err
