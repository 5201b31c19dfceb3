"""The team's one rule from the command line: ignore, snooze, tag and resolve change a
colleague's thread only with a reason, which is recorded and told to them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli_team import run, team, thread_ids
from tests.cli.workspace import workspace_store

__all__ = ["team"]  # the fixture, used by name

ACTIONS = [
    ("ignore", "--reason", "spam"),
    ("snooze", "--until", "2h"),
    ("resolve", "--outcome", "answered by phone"),
]


@pytest.mark.parametrize("action", ACTIONS, ids=[a[0] for a in ACTIONS])
def test_a_colleagues_thread_changes_only_with_a_reason_they_are_told(
    team: Path, capsys: pytest.CaptureFixture[str], action: tuple[str, ...]
) -> None:
    first, *_ = thread_ids(team, capsys)
    assert run(team, "CD", "assign", str(first)) == 0
    command, *args = action
    capsys.readouterr()
    assert run(team, "AB", command, str(first), *args) == 1
    refusal = capsys.readouterr().err
    assert "assigned to CD" in refusal and "--colleague-reason" in refusal
    assert run(team, "AB", "show", str(first), "--json") == 0
    assert '"state": "open"' in capsys.readouterr().out  # nothing changed

    assert run(team, "AB", command, str(first), *args, "--colleague-reason", "CD is off") == 0
    assert "CD's; they are told" in capsys.readouterr().err
    with workspace_store(team) as store:
        [notice] = store.notices("CD")
    assert notice.from_agent == "AB" and notice.thread_id == first
    assert "CD is off" in notice.text


def test_my_own_and_unassigned_threads_need_no_reason(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second, *_ = thread_ids(team, capsys)
    assert run(team, "AB", "assign", str(first)) == 0
    assert run(team, "AB", "snooze", str(first), "--until", "2h") == 0
    assert run(team, "AB", "ignore", str(second), "--reason", "thanks") == 0
