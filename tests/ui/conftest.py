from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fakes.clock import FROZEN_NOW
from webcare_tui.config import Config
from webcare_tui.store import Store
from webcare_tui.ui.app import WebcareApp, make_app


@pytest.fixture
def build_app(demo_store: Store, demo: Config) -> Callable[..., WebcareApp]:
    """A deterministic app on the demo workspace: frozen clock, no poller, no watcher."""

    def build(**overrides: object) -> WebcareApp:
        options: dict[str, object] = {
            "now": lambda: FROZEN_NOW,
            "tick": False,
            "poll": False,
            "watch_db": False,
        }
        options.update(overrides)
        return make_app(demo, demo_store, **options)  # type: ignore[arg-type]

    return build
