"""The feed by stored priority: highest first, then by due time; kept up to date by the
ingest (a thread that gets a message, and its customer's other threads, are scored again)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.store.test_feed_order import page_plan
from tests.store.test_store import CLOCK, T0, ingest, msg
from webcare_tui.core.model import Direction, Thread
from webcare_tui.store import Store
from webcare_tui.store.base import FeedFilter, FeedOrder

PRIORITY = FeedFilter(order=FeedOrder.PRIORITY)


class CountingScorer:
    """Scores a thread by how many messages it holds (10 points each) unless told otherwise,
    and remembers which threads it was asked about."""

    def __init__(self, fixed: Mapping[int, int] | None = None) -> None:
        self.fixed = dict(fixed or {})
        self.asked: list[int] = []

    def __call__(self, threads: Sequence[Thread]) -> dict[int, int]:
        self.asked += [t.id for t in threads]
        return {t.id: self.fixed.get(t.id, 10 * t.message_count) for t in threads}


def ids_in(store: Store, feed: FeedFilter) -> list[int]:
    return [t.id for t in store.feed_keyed(feed, limit=10_000).threads]


def test_new_threads_wait_to_be_scored_and_then_lead_by_priority(store: Store) -> None:
    ingest(store, msg("a1", author="anna"))
    ingest(store, msg("b1", 5, author="bob"), msg("b2", 6, reply_to="b1", author="bob"))
    ingest(store, msg("c1", 10, author="cas"))
    assert store.unscored() == 3
    assert store.rescore(CountingScorer()) == 3
    assert store.unscored() == 0
    anna, bob, cas = ids_in(store, FeedFilter())  # by due: the first message first
    assert store.priority_of(bob) == 20
    # Bob's two messages put him first; Anna and Cas tie, so the sooner due comes first.
    assert ids_in(store, PRIORITY) == [bob, anna, cas]


def test_a_message_unscores_its_thread_and_the_customers_threads_it_counts_in(
    store: Store,
) -> None:
    ingest(store, msg("a1", author="anna"), msg("a2", 60, author="anna"))
    ingest(store, msg("b1", 5, author="bob"))
    store.rescore(CountingScorer())
    first, second = (store.thread_of_message("c1", r) for r in ("a1", "a2"))
    bob = store.thread_of_message("c1", "b1")
    assert first is not None and second is not None and bob is not None

    ingest(store, msg("a3", 70, reply_to="a2", author="anna"))
    assert store.priority_of(second) is None  # her thread got a message
    # Her first thread counts contacts as of its own last message, before this one: it holds.
    assert store.priority_of(first) == 10 and store.priority_of(bob) == 10
    scorer = CountingScorer()
    assert store.rescore(scorer, PRIORITY) == 1
    assert scorer.asked == [second] and store.priority_of(second) == 20
    assert ids_in(store, PRIORITY)[0] == second

    # A message of hers from before (a backfill) counts in both: both wait.
    ingest(store, msg("a0", -30, author="anna"))
    assert store.priority_of(first) is None and store.priority_of(second) is None
    assert store.priority_of(bob) == 10  # nobody else's number is thrown away


def test_a_new_follower_count_unscores_every_thread_of_that_customer(store: Store) -> None:
    ingest(store, msg("a1", author="anna"), msg("a2", 60, author="anna"))
    store.rescore(CountingScorer())
    first, second = (store.thread_of_message("c1", r) for r in ("a1", "a2"))
    assert first is not None and second is not None
    store.ingest("c1", "mastodon", [replace(msg("a3", 90, reply_to="a2", author="anna"),
                 followers=80_000)], clock=CLOCK, seen_at=T0)  # fmt: skip
    assert store.priority_of(first) is None and store.priority_of(second) is None
    store.rescore(CountingScorer())
    ingest(store, msg("a4", 95, reply_to="a3", author="anna"))  # no count: the same reach
    assert store.priority_of(first) == 10


def test_our_own_reply_leaves_other_customers_scored(store: Store) -> None:
    ingest(store, msg("a1", author="anna"))
    ingest(store, msg("b1", 5, author="bob"))
    store.rescore(CountingScorer())
    ingest(store, msg("a2", 10, reply_to="a1", author="brand", direction=Direction.OUT))
    bob = store.thread_of_message("c1", "b1")
    assert bob is not None and store.priority_of(bob) == 10
    assert store.unscored() == 1


def test_rescoring_stays_inside_the_feed_asked_for(store: Store) -> None:
    ingest(store, msg("a1", author="anna"))
    ingest(store, msg("b1", 5, author="bob"))
    bob = store.thread_of_message("c1", "b1")
    assert bob is not None
    store.resolve(bob, actor="AB", now=store.thread(bob).created_at)
    assert store.rescore(CountingScorer(), PRIORITY) == 1  # the resolved thread is not in it
    assert store.priority_of(bob) is None
    assert store.rescore(CountingScorer()) == 1


def test_rescore_with_nothing_unscored_does_nothing(store: Store) -> None:
    ingest(store, msg("a1", author="anna"))
    store.rescore(CountingScorer())
    scorer = CountingScorer()
    assert store.rescore(scorer) == 0
    assert scorer.asked == []


def test_a_score_out_of_range_is_kept_within_what_the_order_tells_apart(store: Store) -> None:
    ingest(store, msg("a1", author="anna"))
    ingest(store, msg("b1", 5, author="bob"))
    anna, bob = ids_in(store, FeedFilter())
    store.rescore(CountingScorer({anna: 5000, bob: -3}))
    assert store.priority_of(anna) == 999 and store.priority_of(bob) == 0
    assert ids_in(store, PRIORITY) == [anna, bob]


def test_the_priority_order_is_read_on_its_index(store: Store) -> None:
    plan = page_plan(store, PRIORITY)
    assert "threads_by_priority" in plan and "TEMP B-TREE" not in plan


@settings(max_examples=40, deadline=None)
@given(
    scores=st.lists(st.integers(0, 3), min_size=1, max_size=14),
    limit=st.integers(1, 5),
)
def test_keyset_pages_walk_the_priority_order_both_ways(
    tmp_path_factory: pytest.TempPathFactory, scores: list[int], limit: int
) -> None:
    store = Store(tmp_path_factory.mktemp("prio") / "webcare.db")
    try:
        # Few distinct scores, so most threads tie on priority; some answered (no clock, so
        # the rest of the key is their activity), so ties go on to due time and then id.
        for n in range(len(scores)):
            ingest(store, msg(f"m{n}", (n * 7) % 5, author=f"c{n}"))
            if n % 3 == 0:
                ingest(store, msg(f"r{n}", 9, reply_to=f"m{n}", author="brand",
                                  direction=Direction.OUT))  # fmt: skip
        ids = ids_in(store, FeedFilter())
        store.rescore(CountingScorer({i: 10 * s for i, s in zip(ids, scores, strict=True)}))
        keys = {
            row[0]: (-row[1], row[2], row[0])
            for row in store.conn.execute("SELECT id, priority, sort_key FROM threads")
        }
        expected = sorted(ids, key=keys.__getitem__)
        assert ids_in(store, PRIORITY) == expected

        walked: list[int] = []
        page = store.feed_keyed(PRIORITY, limit=limit)
        while page.threads:
            walked += [t.id for t in page.threads]
            assert page.last is not None
            page = store.feed_keyed(PRIORITY, after=page.last, limit=limit)
        assert walked == expected

        back: list[int] = []
        page = store.feed_keyed(PRIORITY, offset=max(0, len(expected) - limit), limit=limit)
        while page.threads:
            back = [t.id for t in page.threads] + back
            assert page.first is not None
            page = store.feed_keyed(PRIORITY, before=page.first, limit=limit)
        assert back == expected
        assert [store.feed_position(PRIORITY, i) for i in expected] == list(range(len(ids)))
    finally:
        store.close()
