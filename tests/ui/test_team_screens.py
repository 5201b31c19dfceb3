"""The agents view (`A`): what a colleague sees of the team, and its snapshots."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle
from tests.ui.snapshots import ScreenMatches, at_both_sizes, keys_then_settle
from webcare_tui.services.handover import Handover
from webcare_tui.store import Store
from webcare_tui.store.team import PresenceRow
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.screens.agents import AgentsScreen


def colleagues(store: Store) -> None:
    """CD replies to the first thread and holds two; EF's TUI died five minutes ago."""
    first, second, *_ = [t.id for t in store.feed_page()]
    for thread in (first, second):
        Handover(store, "CD", lambda: FROZEN_NOW).assign(thread)
    rows = [
        ("cd-laptop:11:aaaaaa", "CD", FROZEN_NOW - timedelta(seconds=1), first),
        ("ef-laptop:12:bbbbbb", "EF", FROZEN_NOW - timedelta(minutes=5), None),
    ]
    for session, agent, seen, replying in rows:
        host, pid, _ = session.split(":")
        store.heartbeat(
            PresenceRow(
                session, agent, host, int(pid), seen - timedelta(hours=2), seen, None, replying
            )
        )


open_agents = keys_then_settle("A")


async def test_the_agents_view_shows_who_is_on_shift_and_goes_back(
    build_app: Callable[..., WebcareApp], demo_store: Store
) -> None:
    colleagues(demo_store)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_agents(pilot)
        assert isinstance(app.screen, AgentsScreen)
        lines = [str(s.render()) for s in app.screen.query("#agents Static")]
        text = "\n".join(lines)
        assert "2 on shift · 3 agents" in text  # AB (this TUI) and CD; EF is away
        cd = next(line for line in lines if line.startswith("CD"))
        assert "on shift" in cd and "holds   2" in cd and "replying to #" in cd
        ef = next(line for line in lines if line.startswith("EF"))
        assert "away" in ef
        await press_and_settle(pilot, "escape")
        assert not isinstance(app.screen, AgentsScreen)


@at_both_sizes
def test_agents_snapshot(
    screen_matches: ScreenMatches, demo_store: Store, size: tuple[int, int]
) -> None:
    colleagues(demo_store)
    assert screen_matches(size, open_agents)
