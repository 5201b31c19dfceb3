"""Driving the app in tests: one way to wait until it has caught up."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from textual.app import App
from textual.pilot import Pilot

# A loaded CI machine can take seconds to run a worker thread: waits are bounded generously,
# and a wait that runs out leaves the test's own assertion to say what was not reached.
PATIENCE = 60.0


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and every footer show its keys (the inbox mounts its footer after
    the first feed rows), so the screen is as an agent would see it."""
    from textual.widgets import Footer

    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    # The wide inbox's side pane follows the cursor after a short timer, then loads in a worker.
    screen = pilot.app.screen
    if getattr(screen, "side_pane_pending", False):
        await until(pilot, lambda: not getattr(screen, "side_pane_pending", False))
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    def footers_ready() -> bool:
        footers = [f for s in pilot.app.screen_stack for f in s.query(Footer)]
        return all(f.query("FooterKey") for f in footers)

    await until(pilot, footers_ready, patience=5.0)  # a screen may have no keys to show


@asynccontextmanager
async def running(
    app: App[None], *, size: tuple[int, int], notifications: bool = False
) -> AsyncIterator[Pilot[None]]:
    """`app.run_test(...)`, settled before the test drives it: the first screen is drawn."""
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await settle(pilot)
        yield pilot


async def press_and_settle(pilot: Pilot[None], *keys: str) -> None:
    """Press `keys` as an agent would, then wait until the app has caught up (`settle`)."""
    await pilot.press(*keys)
    await settle(pilot)


async def until(
    pilot: Pilot[None], condition: Callable[[], bool], *, patience: float = PATIENCE
) -> None:
    """Give the app message rounds until `condition` holds, for work that runs beside
    long-lived workers (the poller) so that waiting for all workers would never return."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    while not condition() and loop.time() < deadline:
        await pilot.pause(0.02)
