"""Which connector class serves which `type` in the config."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from webcare_tui.connectors.base import Connector, ConnectorSettings

_CLASSES = {
    "demo": ("webcare_tui.connectors.demo", "DemoConnector"),
    "mastodon": ("webcare_tui.connectors.mastodon", "MastodonConnector"),
    "bluesky": ("webcare_tui.connectors.bluesky", "BlueskyConnector"),
    "rss": ("webcare_tui.connectors.rss", "RssConnector"),
}


def connector_class(kind: str) -> type[Connector]:
    module, name = _CLASSES[kind]
    cls: type[Connector] = getattr(importlib.import_module(module), name)
    return cls


def build_connector(settings: ConnectorSettings, **kwargs: Any) -> Connector:
    """A connector for `settings`. Extra keyword arguments (`now`, `http`) go to its constructor
    where it takes them."""
    cls = connector_class(settings.type)
    if settings.type != "demo":
        kwargs.pop("now", None)
    return cls(settings, **kwargs)


def build_all(settings: tuple[ConnectorSettings, ...], **kwargs: Any) -> Mapping[str, Connector]:
    return {s.name: build_connector(s, **kwargs) for s in settings if s.enabled}
