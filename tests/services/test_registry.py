"""The registry builds the configured connectors, and only the enabled ones."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from webcare_tui.config import demo_config
from webcare_tui.connectors.base import ConnectorSettings
from webcare_tui.connectors.mastodon import MastodonConnector, MastodonOptions
from webcare_tui.services.registry import build_all, connector_class


async def test_enabled_connectors_are_built_with_the_given_client() -> None:
    settings = (
        ConnectorSettings(
            "on",
            "mastodon",
            "mastodon",
            options=MastodonOptions(base_url="http://127.0.0.1:9", token_env="T"),
        ),
        ConnectorSettings("off", "rss", "forum", timedelta(seconds=60), enabled=False),
    )
    async with httpx.AsyncClient() as http:
        built = build_all(settings, http=http, now=lambda: None)
        assert list(built) == ["on"]
        assert isinstance(built["on"], MastodonConnector) and built["on"].http is http


def test_every_demo_connector_is_built() -> None:
    config = demo_config()
    assert set(build_all(config.connectors)) == {c.name for c in config.connectors}


def test_an_unknown_type_is_named() -> None:
    with pytest.raises(ValueError, match=r"'twitter'.*known: demo, mastodon, bluesky, rss"):
        connector_class("twitter")
