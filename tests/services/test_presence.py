"""Presence: a TUI's heartbeat counts for 60 s; the colleague rule on every change."""

from __future__ import annotations

import pytest

from tests.fakes.clock import FakeClock
from webcare_tui.config import Config
from webcare_tui.services.handover import Handover
from webcare_tui.services.presence import STALE_SECONDS, Presence, team_status
from webcare_tui.services.thread_actions import ThreadActions
from webcare_tui.store import Store
from webcare_tui.store.base import ClaimedByOther


def first_thread(store: Store) -> int:
    return store.feed_page()[0].id


def test_a_session_that_stops_beating_is_not_active_after_a_minute(
    demo_store: Store, clock: FakeClock
) -> None:
    thread = first_thread(demo_store)
    ab = Presence(demo_store, "AB", clock)
    cd = Presence(demo_store, "CD", clock)
    ab.replying_to = thread
    ab.beat()
    cd.beat()
    assert cd.replying() == {thread: ("AB",)}
    assert ab.replying() == {}  # one's own session is no news
    clock.advance(seconds=STALE_SECONDS - 1)
    cd.beat()
    assert {s.agent: s.active for s in team_status(demo_store, clock())} == {"AB": True, "CD": True}
    clock.advance(seconds=2)  # AB's TUI died: killed, no goodbye
    statuses = {s.agent: s for s in team_status(demo_store, clock())}
    assert statuses["AB"].active is False and statuses["AB"].replying_to is None
    assert statuses["CD"].active is True
    assert cd.replying() == {}


def test_ignoring_a_colleagues_thread_needs_a_reason_and_tells_them(
    demo_store: Store, demo: Config, clock: FakeClock
) -> None:
    thread = first_thread(demo_store)
    Handover(demo_store, "CD", clock).assign(thread)
    actions = ThreadActions(demo_store, demo.clock(), "AB", clock)
    with pytest.raises(ClaimedByOther) as refused:
        actions.ignore(thread, "spam")
    assert refused.value.holder == "CD"
    assert demo_store.thread(thread).state.value == "open"
    actions.ignore(thread, "spam", over_colleague="CD is off today")
    assert demo_store.thread(thread).state.value == "ignored"
    [notice] = Handover(demo_store, "CD", clock).notices(after=0)
    assert "AB ignored" in notice.text and "CD is off today" in notice.text
