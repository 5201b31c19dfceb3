"""Apps of named agents on one database, as several TUIs of a team run on one server."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.fakes.clock import FROZEN_NOW
from webcare_tui.config import Config
from webcare_tui.store import Store
from webcare_tui.ui.app import WebcareApp, make_app


def app_for(agent: str, demo: Config, path: Path) -> WebcareApp:
    """`agent`'s app on the database at `path`, with its own connection: frozen clock, no
    poller, no watcher, no ticking."""
    return make_app(
        replace(demo, agent=agent),
        Store(path),
        now=lambda: FROZEN_NOW,
        tick=False,
        poll=False,
        watch_db=False,
    )
