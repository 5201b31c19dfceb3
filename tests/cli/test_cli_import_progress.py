"""`webcare import` shows its progress on a terminal and keeps a pipe clean."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.cli.test_cli import workspace as workspace
from webcare_tui.cli import main
from webcare_tui.cli.importing import ProgressBar


def big_export(path: Path, count: int) -> Path:
    lines = (
        json.dumps(
            {
                "remote_id": str(n),
                "author": f"c{n}@x.example",
                "text": f"Waar is krant {n}?",
                "created_at": "2026-11-23T08:00:00Z",
            }
        )
        for n in range(count)
    )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_terminal_sees_the_bar_reach_the_end(
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = big_export(workspace / "export.jsonl", 1200)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(run(workspace, "import", str(source), "--connector", "demo")) == 0
    captured = capsys.readouterr()
    assert "\r[" in captured.err
    last = captured.err.rstrip("\n").rsplit("\r", 1)[-1]
    assert last == f"[{'#' * ProgressBar.WIDTH}] 100% 1,200 lines"
    assert "1200 imported" in captured.out
    assert "\r" not in captured.out


def test_a_pipe_gets_no_bar(
    workspace: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = big_export(workspace / "export.jsonl", 1200)
    assert main(run(workspace, "import", str(source), "--connector", "demo")) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "1200 imported" in captured.out


def test_the_bar_redraws_at_most_once_per_interval() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, total_bytes=1000, interval=3600)
    for lines in range(1, 101):
        bar(lines, lines * 5)
    bar.close()
    drawn = stream.getvalue().split("\r")[1:]
    # The first update, then the last one on closing; the 98 between are not drawn.
    assert len(drawn) == 2
    assert drawn[0].startswith("[-") and drawn[0].endswith(" 1 lines")
    assert drawn[1] == f"[{'#' * 15}{'-' * 15}]  50% 100 lines\n"


def test_a_bar_never_drawn_leaves_the_terminal_alone() -> None:
    stream = io.StringIO()
    ProgressBar(stream, total_bytes=0).close()
    assert stream.getvalue() == ""
