"""Each agent's notices are marked once shown: a TUI that starts later shows only the rest."""

from __future__ import annotations

from tests.fakes.clock import FROZEN_NOW
from webcare_tui.store import Store


def notify(store: Store, holder: str, actor: str, reason: str) -> None:
    thread = store.feed_page()[0].id
    store.assign(thread, holder, now=FROZEN_NOW, force=True)
    store.colleague_change(thread, actor, reason=reason, what="snoozed", now=FROZEN_NOW)


def test_notices_marked_shown_are_not_unshown_again_and_the_mark_never_moves_back(
    demo_store: Store,
) -> None:
    notify(demo_store, "MK", "AB", "one")
    notify(demo_store, "MK", "AB", "two")
    assert demo_store.notice_mark("MK") == 0
    first, second = demo_store.notices("MK")
    demo_store.mark_notices_shown("MK", second.id)
    demo_store.mark_notices_shown("MK", first.id)  # a slower TUI of MK's marks an older one
    assert demo_store.notice_mark("MK") == second.id
    assert demo_store.notices("MK", after=demo_store.notice_mark("MK")) == []
    notify(demo_store, "MK", "AB", "three")
    [later] = demo_store.notices("MK", after=demo_store.notice_mark("MK"))
    assert "three" in later.text


def test_each_agent_has_their_own_mark(demo_store: Store) -> None:
    notify(demo_store, "MK", "AB", "for MK")
    notify(demo_store, "CD", "AB", "for CD")
    [for_mk] = demo_store.notices("MK")
    demo_store.mark_notices_shown("MK", for_mk.id)
    assert demo_store.notice_mark("CD") == 0
    [for_cd] = demo_store.notices("CD", after=demo_store.notice_mark("CD"))
    assert "for CD" in for_cd.text
