"""The feed by real waiting time: the customer who has waited longest for us comes first."""

from __future__ import annotations

from tests.store.test_store import ingest, msg
from webcare_tui.core.model import Direction
from webcare_tui.store import Store
from webcare_tui.store.base import FeedFilter, FeedOrder

WAITING = FeedFilter(order=FeedOrder.WAITING)


def three_threads(store: Store) -> None:
    # Anna was answered, wrote again at +20 and is on the 4h next-response clock: due late,
    # but waiting longest. Bob wrote first at +60 on the 60m clock: due first. Cas is answered.
    ingest(store, msg("a1", author="anna"))
    ingest(store, msg("a2", 10, reply_to="a1", author="brand", direction=Direction.OUT))
    ingest(store, msg("a3", 20, reply_to="a2", author="anna"))
    ingest(store, msg("b1", 60, author="bob"))
    ingest(store, msg("c1", 5, author="cas"))
    ingest(store, msg("c2", 6, reply_to="c1", author="brand", direction=Direction.OUT))


def authors(store: Store, feed: FeedFilter) -> list[str]:
    return [thread.author for thread in store.feed_keyed(feed).threads]


def test_waiting_order_puts_the_longest_wait_first_and_due_order_stays(store: Store) -> None:
    three_threads(store)
    assert authors(store, FeedFilter()) == ["bob", "anna", "cas"]
    assert authors(store, WAITING) == ["anna", "bob", "cas"]


def test_waiting_order_pages_by_keyset_both_ways(store: Store) -> None:
    three_threads(store)
    first = store.feed_keyed(WAITING, limit=1)
    assert first.last is not None
    second = store.feed_keyed(WAITING, after=first.last, limit=1)
    assert second.last is not None
    third = store.feed_keyed(WAITING, after=second.last, limit=2)
    walked = [t.author for page in (first, second, third) for t in page.threads]
    assert walked == ["anna", "bob", "cas"]
    assert third.first is not None
    back = store.feed_keyed(WAITING, before=third.first, limit=5)
    assert [t.author for t in back.threads] == ["anna", "bob"]


def test_a_threads_position_follows_the_order(store: Store) -> None:
    three_threads(store)
    anna = next(t for t in store.feed_page() if t.author == "anna")
    assert store.feed_position(FeedFilter(), anna.id) == 1
    assert store.feed_position(WAITING, anna.id) == 0


def page_plan(store: Store, feed: FeedFilter) -> str:
    """How SQLite reads the page after a keyset in `feed`'s order."""
    where, params = feed.where()
    key = feed.order.key
    return " ".join(
        str(row[3])
        for row in store.conn.execute(
            f"EXPLAIN QUERY PLAN SELECT id FROM threads WHERE {where} AND {key} >= ? "
            f"AND ({key}, id) > (?, ?) ORDER BY {key}, id LIMIT 100",
            [*params, "0 ", "0 ", 0],
        )
    )


def test_the_waiting_order_is_read_on_its_index(store: Store) -> None:
    plan = page_plan(store, WAITING)
    assert "threads_by_waiting_time" in plan and "TEMP B-TREE" not in plan


def test_the_order_cycles_through_every_order_back_to_due() -> None:
    assert FeedOrder.DUE.next() is FeedOrder.PRIORITY
    assert FeedOrder.PRIORITY.next() is FeedOrder.WAITING
    assert FeedOrder.WAITING.next() is FeedOrder.DUE
