from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fakes.clock import FROZEN_NOW
from tests.ui.snapshots import RunBefore, ScreenMatches
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


@pytest.fixture
def screen_matches(
    snap_compare: Callable[..., bool], build_app: Callable[..., WebcareApp]
) -> ScreenMatches:
    """`screen_matches(size, run_before, app=None)`: whether the app (the demo app unless
    given) looks as its stored snapshot at `size` once `run_before` has run."""

    def matches(
        size: tuple[int, int], run_before: RunBefore, *, app: WebcareApp | None = None
    ) -> bool:
        return snap_compare(app or build_app(), terminal_size=size, run_before=run_before)

    return matches
