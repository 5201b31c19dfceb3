"""Fixtures of the CLI tests: a config file for the fake platforms, as a user writes one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.workspace import HEADER, TEAM, PlatformsConfig
from tests.fakes.bluesky import PASSWORD, FakeBluesky
from tests.fakes.mastodon import TOKEN, FakeMastodon
from tests.fakes.server import FakeServer


@pytest.fixture
def platform_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake platforms' secrets in the environment, under the names the configs give."""
    monkeypatch.setenv("ACME_MASTODON_TOKEN", TOKEN)
    monkeypatch.setenv("ACME_BSKY_PASSWORD", PASSWORD)


@pytest.fixture
def platforms_config(
    tmp_path: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    bluesky: tuple[FakeBluesky, FakeServer],
    platform_secrets: None,
) -> PlatformsConfig:
    """Writes `config.toml` polling the fake Mastodon (`acme-social`) and Bluesky (`acme-bsky`),
    their secrets in the environment as it names them; `agent=False` leaves out `[agent]`,
    `mastodon_extra` adds lines to the Mastodon table."""

    def write(*, agent: bool = True, mastodon_extra: str = "") -> Path:
        path = tmp_path / "config.toml"
        path.write_text(
            f"""{HEADER if agent else TEAM}
[[connectors]]
name = "acme-social"
type = "mastodon"
base_url = "{mastodon[1].base_url}"
token_env = "ACME_MASTODON_TOKEN"
{mastodon_extra}
[[connectors]]
name = "acme-bsky"
type = "bluesky"
service = "{bluesky[1].base_url}"
handle = "brand.test"
password_env = "ACME_BSKY_PASSWORD"
""",
            encoding="utf-8",
        )
        return path

    return write
