"""Tags, snoozing, and what the report and priority read from the store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.store.test_search import CLOCK, T0, put
from webcare_tui.core.model import Direction, ThreadState
from webcare_tui.core.report import build_report
from webcare_tui.store import Store
from webcare_tui.store.base import FeedFilter, StoreError
from webcare_tui.store.insights import SnoozeInPast


def test_tags_are_added_once_and_removed(store: Store) -> None:
    thread = put(store, "1", "parcel late")
    assert store.tag(thread, ["Delivery", "billing"], actor="AB", now=T0) == ["delivery", "billing"]
    assert store.tag(thread, ["delivery"], actor="AB", now=T0) == []
    assert store.tags_of([thread]) == {thread: ("billing", "delivery")}
    assert store.tag(thread, ["billing"], actor="AB", now=T0, remove=True) == ["billing"]
    assert store.tags_of([thread]) == {thread: ("delivery",)}
    kinds = [e.kind for e in store.events(thread)]
    assert kinds.count("tagged") == 1 and kinds.count("untagged") == 1


def test_a_snoozed_thread_leaves_the_feed_and_comes_back_at_its_time(store: Store) -> None:
    thread = put(store, "1", "any news?")
    store.snooze(thread, T0 + timedelta(hours=2), actor="AB", now=T0)
    assert store.feed_count() == 0
    assert store.feed_count(FeedFilter(with_snoozed=True)) == 1  # `webcare threads` lists it
    assert store.thread(thread).state is ThreadState.SNOOZED
    assert store.wake_snoozed(T0 + timedelta(hours=1), CLOCK) == 0
    assert store.wake_snoozed(T0 + timedelta(hours=2), CLOCK) == 1
    woke = store.thread(thread)
    assert woke.state is ThreadState.OPEN and woke.due_at is not None
    assert store.feed_count() == 1


def test_a_customer_message_ends_the_snooze_early(store: Store) -> None:
    thread = put(store, "1", "any news?")
    put(store, "2", "Thanks, we're on it", author="brand", minutes=5, reply_to="1",
        direction=Direction.OUT)  # fmt: skip
    store.snooze(thread, T0 + timedelta(days=2), actor="AB", now=T0)
    put(store, "3", "still nothing", minutes=30, reply_to="2")
    assert store.thread(thread).state is ThreadState.OPEN
    assert store.feed_count() == 1


def test_a_thread_with_nothing_owed_wakes_as_replied(store: Store) -> None:
    thread = put(store, "1", "thanks!")
    put(store, "2", "you're welcome", author="brand", minutes=1, reply_to="1",
        direction=Direction.OUT)  # fmt: skip
    store.snooze(thread, T0 + timedelta(hours=1), actor="AB", now=T0)
    store.wake_snoozed(T0 + timedelta(hours=3), CLOCK)
    assert store.thread(thread).state is ThreadState.REPLIED


def test_snooze_refuses_the_past_and_closed_threads(store: Store) -> None:
    thread = put(store, "1", "hi")
    with pytest.raises(SnoozeInPast):
        store.snooze(thread, T0, actor="AB", now=T0)
    store.set_state(thread, ThreadState.RESOLVED, actor="AB", now=T0)
    with pytest.raises(StoreError, match="resolved"):
        store.snooze(thread, T0 + timedelta(hours=1), actor="AB", now=T0)


def test_contacts_are_counted_across_channels_by_handle(store: Store) -> None:
    put(store, "1", "one", author="anna", channel="mastodon")
    put(store, "2", "two", author="anna", minutes=60, channel="bluesky")
    put(store, "3", "three", author="bob", minutes=61, channel="bluesky")
    contacts = store.contact_times(["anna"])
    assert list(contacts) == ["anna"]
    assert contacts["anna"] == [T0, T0 + timedelta(minutes=60)]


def test_histories_feed_the_report(store: Store) -> None:
    late = put(store, "1", "parcel?")
    put(store, "2", "on its way", author="brand", minutes=90, reply_to="1",
        direction=Direction.OUT)  # fmt: skip
    spam = put(store, "3", "crypto!!", author="bot", minutes=5)
    store.set_state(spam, ThreadState.IGNORED, actor="AB", now=T0, reason="spam")
    store.tag(late, ["delivery"], actor="AB", now=T0)
    histories = list(store.histories())
    assert [h.id for h in histories] == [late, spam]
    assert [m.direction for m in histories[0].messages] == [Direction.IN, Direction.OUT]
    report = build_report(histories, CLOCK, T0 + timedelta(hours=3))
    assert report.whole.first_response.count == 1
    assert report.whole.first_response.median_seconds == 5400.0
    assert report.whole.first_response.within_window_share == 0.0  # 60m promised
    assert report.ignored == {"spam": 1}
    assert report.by_tag["delivery"].threads == 1


def test_customer_messages_come_with_their_tags(store: Store) -> None:
    thread = put(store, "1", "parcel late", minutes=10)
    put(store, "0", "older", author="zed")
    store.tag(thread, ["delivery"], actor="AB", now=T0)
    [message] = store.customer_messages(T0 + timedelta(minutes=5))
    assert (message.thread_id, message.text, message.tags) == (thread, "parcel late", ("delivery",))
