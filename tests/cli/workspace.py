"""A config file on disk the way a user writes one, and `webcare` run against it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import pytest

from webcare_tui.cli import main
from webcare_tui.store import Store

TEAM = """
[team]
name = "Acme Webcare"
timezone = "Europe/Amsterdam"
"""

HEADER = (
    TEAM
    + """
[agent]
initials = "AB"
"""
)
"""The team and the agent (initials AB) that most CLI configs start with. No braces: it can
stand in front of a `str.format` template."""

UTC_HEADER = """
[team]
name = "Acme Webcare"
timezone = "UTC"

[agent]
initials = "AB"
"""
"""The same team keeping its clock in UTC, for tests whose times are easier read that way."""


class PlatformsConfig(Protocol):
    """The `platforms_config` fixture: writes the config for the fake Mastodon and Bluesky."""

    def __call__(self, *, agent: bool = True, mastodon_extra: str = "") -> Path: ...


def webcare(config: Path, *args: str) -> int:
    """`webcare ARGS --config CONFIG`, with its database `webcare.db` beside the config."""
    return main([*args, "--config", str(config), "--db", str(config.with_name("webcare.db"))])


def workspace_options(folder: Path) -> list[str]:
    """`--config` and `--db` of a workspace folder: its `config.toml` and its database `w.db`."""
    return ["--config", str(folder / "config.toml"), "--db", str(folder / "w.db")]


def webcare_in(folder: Path, *args: str) -> int:
    """`webcare ARGS` in the workspace `folder`."""
    return main([*args, *workspace_options(folder)])


def json_in(folder: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    """What `webcare ARGS --json` prints in the workspace `folder`, read as JSON (what was
    printed before is dropped)."""
    capsys.readouterr()
    assert webcare_in(folder, *args, "--json") == 0
    return json.loads(capsys.readouterr().out)


def polled(folder: Path, config: str) -> Path:
    """`config` written as `folder/config.toml` and polled once: where a platform test starts."""
    (folder / "config.toml").write_text(config, encoding="utf-8")
    assert webcare_in(folder, "poll", "--once") == 0
    return folder


@contextmanager
def workspace_store(folder: Path) -> Iterator[Store]:
    """The database `webcare_in(folder, ...)` uses, open for the block and closed after it."""
    store = Store(folder / "w.db")
    try:
        yield store
    finally:
        store.close()
