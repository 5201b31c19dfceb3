"""A config file on disk the way a user writes one, and `webcare` run against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.bluesky import PASSWORD
from tests.fakes.mastodon import TOKEN
from webcare_tui.cli import main

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


def platforms_config(
    path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    mastodon_url: str,
    bluesky_url: str,
    agent: bool = True,
    mastodon_extra: str = "",
) -> Path:
    """Write to `path` a config polling the fake Mastodon (`acme-social`) and Bluesky
    (`acme-bsky`), their secrets in the environment as it names them; `mastodon_extra` adds
    lines to the Mastodon table."""
    monkeypatch.setenv("ACME_MASTODON_TOKEN", TOKEN)
    monkeypatch.setenv("ACME_BSKY_PASSWORD", PASSWORD)
    head = HEADER if agent else TEAM
    path.write_text(
        f"""{head}
[[connectors]]
name = "acme-social"
type = "mastodon"
base_url = "{mastodon_url}"
token_env = "ACME_MASTODON_TOKEN"
{mastodon_extra}
[[connectors]]
name = "acme-bsky"
type = "bluesky"
service = "{bluesky_url}"
handle = "brand.test"
password_env = "ACME_BSKY_PASSWORD"
""",
        encoding="utf-8",
    )
    return path


def webcare(config: Path, *args: str) -> int:
    """`webcare ARGS --config CONFIG`, with its database `webcare.db` beside the config."""
    return main([*args, "--config", str(config), "--db", str(config.with_name("webcare.db"))])
