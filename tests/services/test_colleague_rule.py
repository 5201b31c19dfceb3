"""From the TUI's handles, snooze, tag and resolve leave a colleague's thread alone without a
reason: the refusal names the holder and nothing changes. With one, the change is made, the
reason recorded and the holder told."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes.clock import FROZEN_NOW
from webcare_tui.config import Config
from webcare_tui.core.model import ThreadState
from webcare_tui.services.escalation_desk import EscalationDesk
from webcare_tui.services.thread_actions import ThreadActions
from webcare_tui.store import Store
from webcare_tui.store.base import FeedFilter
from webcare_tui.store.store import ClaimedByOther


def actions(store: Store, demo: Config) -> ThreadActions:
    return ThreadActions(store, demo.clock(), "AB", lambda: FROZEN_NOW)


def test_a_colleagues_thread_is_not_snoozed_tagged_or_resolved(
    demo_store: Store, demo: Config
) -> None:
    thread = demo_store.feed_slice(demo_store_filter(), 0, 1)[0]
    demo_store.assign(thread.id, "CD", now=FROZEN_NOW)
    mine = actions(demo_store, demo)
    with pytest.raises(ClaimedByOther, match="CD"):
        mine.snooze(thread.id, FROZEN_NOW + timedelta(hours=2))
    with pytest.raises(ClaimedByOther, match="CD"):
        mine.retag(thread.id, demo.tags[:1], ())
    desk = EscalationDesk(demo_store, demo, lambda: FROZEN_NOW, outbox=lambda: None)  # type: ignore[arg-type, return-value]
    with pytest.raises(ClaimedByOther, match="CD"):
        desk.resolve(thread.id, "done", ())
    after = demo_store.thread(thread.id)
    assert after.state is thread.state and after.assignee == "CD"
    assert demo_store.tags_of([thread.id]).get(thread.id, ()) == ()


def test_my_own_thread_snoozes_as_before(demo_store: Store, demo: Config) -> None:
    thread = demo_store.feed_slice(demo_store_filter(), 0, 1)[0]
    demo_store.assign(thread.id, "AB", now=FROZEN_NOW)
    actions(demo_store, demo).snooze(thread.id, FROZEN_NOW + timedelta(hours=2))
    assert demo_store.thread(thread.id).state is ThreadState.SNOOZED


def demo_store_filter() -> FeedFilter:
    return FeedFilter()


def test_with_a_reason_a_colleagues_thread_is_snoozed_tagged_and_resolved_and_they_are_told(
    demo_store: Store, demo: Config
) -> None:
    thread = demo_store.feed_slice(demo_store_filter(), 0, 1)[0]
    demo_store.assign(thread.id, "CD", now=FROZEN_NOW)
    mine = actions(demo_store, demo)
    mine.snooze(thread.id, FROZEN_NOW + timedelta(hours=2), over_colleague="CD is vrij")
    assert demo_store.thread(thread.id).state is ThreadState.SNOOZED
    mine.retag(thread.id, demo.tags[:1], (), over_colleague="de klant vroeg het")
    assert demo_store.tags_of([thread.id])[thread.id] == tuple(demo.tags[:1])
    desk = EscalationDesk(demo_store, demo, lambda: FROZEN_NOW, outbox=lambda: None)  # type: ignore[arg-type, return-value]
    desk.resolve(thread.id, "done", (), over_colleague="opgelost aan de telefoon")
    assert demo_store.thread(thread.id).state is ThreadState.RESOLVED
    told = [n.text for n in demo_store.notices("CD")]
    assert told == [
        f"AB snoozed thread {thread.id}: CD is vrij",
        f"AB tagged thread {thread.id}: de klant vroeg het",
        f"AB resolved thread {thread.id}: opgelost aan de telefoon",
    ]
    overrides = [e.detail for e in demo_store.events(thread.id) if e.kind == "override"]
    assert overrides == told
