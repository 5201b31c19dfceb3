"""Driving the app in tests: one way to wait until it has caught up."""

from __future__ import annotations

from textual.pilot import Pilot


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and every footer show its keys (the inbox mounts its footer after
    the first feed rows), so the screen is as an agent would see it. Counts message rounds,
    never time."""
    from textual.widgets import Footer

    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for _ in range(50):
        footers = [f for s in pilot.app.screen_stack for f in s.query(Footer)]
        if all(f.query("FooterKey") for f in footers):
            return
        await pilot.pause()
