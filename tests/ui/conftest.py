from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import FROZEN_NOW
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


async def settle_screens(pilot) -> None:  # type: ignore[no-untyped-def]
    """Let workers finish and every footer show its keys (the inbox mounts its footer after
    the first feed rows), so a snapshot shows the screen as an agent sees it."""
    from textual.widgets import Footer

    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for _ in range(50):  # message rounds, not time
        footers = [f for s in pilot.app.screen_stack for f in s.query(Footer)]
        if all(f.query("FooterKey") for f in footers):
            return
        await pilot.pause()
