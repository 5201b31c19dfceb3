"""Reopening a snoozed or ignored thread brings it back with its clock running."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.fakes.clock import FROZEN_NOW
from webcare_tui.config import Config
from webcare_tui.core.model import ThreadState
from webcare_tui.store import Store, StoreError


def test_a_snoozed_thread_comes_back_open_with_its_due_time(
    demo_store: Store, demo: Config
) -> None:
    thread = demo_store.feed_page(limit=1)[0]
    assert thread.state is ThreadState.OPEN and thread.due_at is not None
    demo_store.snooze(thread.id, FROZEN_NOW + timedelta(hours=2), actor="AB", now=FROZEN_NOW)
    state = demo_store.reopen(thread.id, actor="AB", now=FROZEN_NOW, clock=demo.clock())
    back = demo_store.thread(thread.id)
    assert state is ThreadState.OPEN and back.state is ThreadState.OPEN
    assert back.due_at == thread.due_at  # the customer still waits since the same message
    assert back.id in [t.id for t in demo_store.feed_page(limit=100)]
    assert demo_store.events(thread.id)[-1].kind == "reopened"


def test_an_ignored_thread_comes_back_but_an_open_one_is_refused(
    demo_store: Store, demo: Config
) -> None:
    thread = demo_store.feed_page(limit=1)[0]
    demo_store.set_state(thread.id, ThreadState.IGNORED, actor="AB", now=FROZEN_NOW, reason="x")
    demo_store.reopen(thread.id, actor="AB", now=FROZEN_NOW, clock=demo.clock())
    assert demo_store.thread(thread.id).state.is_active
    with pytest.raises(StoreError, match="in the feed"):
        demo_store.reopen(thread.id, actor="AB", now=FROZEN_NOW, clock=demo.clock())
