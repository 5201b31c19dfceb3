"""The feed's sparse copy of the store keeps only the pages near where the agent reads, and
pages on from the keys the store gave, in the store's order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import IncomingMessage, Thread, ThreadState
from webcare_tui.services.feed_pager import (
    MAX_PAGES,
    PAGE,
    FeedFilter,
    FeedPage,
    FeedPager,
    FeedRows,
)
from webcare_tui.store import Store

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)


def thread(thread_id: int) -> Thread:
    return Thread(
        id=thread_id, connector="c", channel="mastodon", author="a", author_name=None,
        state=ThreadState.OPEN, assignee=None, created_at=T0, updated_at=T0, clock=None,
        last_text="", message_count=1,
    )  # fmt: skip


def page(number: int) -> FeedPage:
    return FeedPage([thread(number * PAGE + i) for i in range(PAGE)], None, None)


def test_reading_on_and_on_holds_only_the_pages_near_the_reader() -> None:
    rows = FeedRows(total=200 * PAGE)
    for number in range(200):
        rows.add_page(number, page(number))
    assert len(rows.pages) == MAX_PAGES
    assert sorted(rows.pages) == list(range(200 - MAX_PAGES, 200))
    last = rows.get(200 * PAGE - 1)
    assert last is not None and last.id == 200 * PAGE - 1
    assert rows.get(0) is None  # let go: fetched again when the agent goes back

    rows.add_page(0, page(0))
    assert 0 in rows.pages and len(rows.pages) == MAX_PAGES
    assert 199 not in rows.pages and 170 in rows.pages  # the farthest from where it went


def test_pages_continue_from_their_neighbours_in_feed_order(
    store: Store, response_clock: ResponseClock
) -> None:
    messages = [
        IncomingMessage(
            remote_id=str(i),
            author=f"a{i}",
            text="hallo",
            created_at=T0 - timedelta(minutes=(i * 7) % 250),
        )
        for i in range(2 * PAGE + 30)
    ]
    store.ingest("c", "mastodon", messages, clock=response_clock, seen_at=T0)
    everything = [t.id for t in store.feed_slice(FeedFilter(), 0, 10 * PAGE)]
    pager = FeedPager(store)
    rows, cursor = pager.window(FeedFilter(), selected=everything[PAGE + 5], cursor=0)
    assert (rows.total, cursor, sorted(rows.pages)) == (len(everything), PAGE + 5, [1])
    rows.add_page(2, pager.page(rows, 2))  # after page 1, by its last key
    rows.add_page(0, pager.page(rows, 0))  # before page 1, by its first key
    assert [rows.get(i).id for i in range(rows.total)] == everything  # type: ignore[union-attr]
