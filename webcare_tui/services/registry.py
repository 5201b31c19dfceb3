"""Which connector class serves which `type` in the config.

Classes are imported when first asked for, so that a command that never polls does not load
httpx or feedparser.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from webcare_tui.connectors.base import Connector, ConnectorSettings

__all__ = ["KNOWN_TYPES", "build_all", "build_connector", "connector_class"]

_CLASSES = {
    "demo": ("webcare_tui.connectors.demo", "DemoConnector"),
    "mastodon": ("webcare_tui.connectors.mastodon", "MastodonConnector"),
    "bluesky": ("webcare_tui.connectors.bluesky", "BlueskyConnector"),
    "rss": ("webcare_tui.connectors.rss", "RssConnector"),
    "x": ("webcare_tui.connectors.x", "XConnector"),
    "facebook": ("webcare_tui.connectors.facebook", "FacebookConnector"),
    "instagram": ("webcare_tui.connectors.instagram", "InstagramConnector"),
}
KNOWN_TYPES = tuple(_CLASSES)


def connector_class(kind: str) -> type[Connector]:
    """The class for connector type `kind`; ValueError for a type nobody wrote yet."""
    try:
        module, name = _CLASSES[kind]
    except KeyError:
        known = ", ".join(KNOWN_TYPES)
        raise ValueError(f"no connector of type {kind!r} (known: {known})") from None
    cls: type[Connector] = getattr(importlib.import_module(module), name)
    return cls


def build_connector(
    settings: ConnectorSettings, *, database: Path | None = None, **kwargs: Any
) -> Connector:
    """A connector for `settings`, keeping its own files (if any) beside `database`. Extra
    keyword arguments (`http`, `environ`, and `now` for the demo replay, which is the only one
    that keeps time) go to its constructor."""
    cls = connector_class(settings.type)
    if settings.type != "demo":
        kwargs.pop("now", None)
    connector = cls(settings, **kwargs)
    if database is not None and str(database) != ":memory:":
        connector.use_state_dir(database.parent)
    return connector


def build_all(
    settings: tuple[ConnectorSettings, ...], *, database: Path | None = None, **kwargs: Any
) -> Mapping[str, Connector]:
    """Every enabled connector of the config, by name, keeping their files beside `database`."""
    return {s.name: build_connector(s, database=database, **kwargs) for s in settings if s.enabled}
