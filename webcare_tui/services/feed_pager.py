"""The feed's window onto the store: pages of threads fetched on demand, keyset where it can.

Threads are never all in memory: at most MAX_PAGES pages are held, the ones farthest from
where the agent is reading are let go. A page is fetched (in a worker thread) when the feed
first needs one of its rows; a neighbouring page already held gives the keyset to continue
from, so scrolling reads `WHERE (sort_key, id) > (?, ?) ... LIMIT n` on the feed index. A
jump with no neighbour (End, a filter) falls back to an offset.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from webcare_tui.core.model import Thread
from webcare_tui.core.outbox import OutboxState
from webcare_tui.store import Store
from webcare_tui.store.base import DatabaseLocked, DatabaseReadOnly, FeedFilter, FeedOrder
from webcare_tui.store.reads import FeedPage

if TYPE_CHECKING:
    from webcare_tui.services.insights import ThreadInsight

__all__ = [
    "MAX_PAGES",
    "PAGE",
    "FeedFilter",
    "FeedOrder",
    "FeedPage",
    "FeedPager",
    "FeedRows",
]

PAGE = 100
MAX_PAGES = 30

ORDER_LABELS = {
    FeedOrder.DUE: "due",
    FeedOrder.PRIORITY: "priority",
    FeedOrder.WAITING: "longest waiting",
}
"""How the header names each order."""


@dataclass
class FeedRows:
    """A sparse copy of the feed: the total and whichever pages have been fetched, and the
    threads with a reply that may still go out (by the state of their latest one)."""

    feed: FeedFilter = field(default_factory=FeedFilter)
    total: int = 0
    pages: dict[int, FeedPage] = field(default_factory=dict)
    sending: Mapping[int, OutboxState] = field(default_factory=dict)
    # Priority and repeat marks, read with each page in a few queries (never one per row).
    insights: dict[int, Mapping[int, ThreadInsight]] = field(default_factory=dict)

    def get(self, index: int) -> Thread | None:
        """The thread at position `index`, or None while its page is not held."""
        page = self.pages.get(index // PAGE)
        if page is None:
            return None
        offset = index % PAGE
        return page.threads[offset] if offset < len(page.threads) else None

    def insight(self, index: int, thread_id: int) -> ThreadInsight | None:
        """The priority and marks of the thread at `index`, once its page's are read."""
        marks = self.insights.get(index // PAGE)
        return marks.get(thread_id) if marks is not None else None

    def has_page(self, number: int) -> bool:
        return number in self.pages

    def add_page(
        self, number: int, page: FeedPage, insights: Mapping[int, ThreadInsight] | None = None
    ) -> None:
        """Hold page `number`; past MAX_PAGES, let go of the pages farthest from it."""
        self.pages[number] = page
        if insights is not None:
            self.insights[number] = insights
        if len(self.pages) > MAX_PAGES:
            keep = sorted(self.pages, key=lambda held: abs(held - number))[:MAX_PAGES]
            self.pages = {held: self.pages[held] for held in sorted(keep)}
            self.insights = {held: self.insights[held] for held in keep if held in self.insights}


class FeedPager:
    """What the feed widget reads: windows and pages of the feed, nothing else of the store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def page(self, rows: FeedRows, number: int) -> FeedPage:
        """Page `number` of `rows`' feed, from a neighbouring page's keyset where one is held."""
        self._scored(rows.feed)
        before = rows.pages.get(number - 1)
        if before is not None and before.last is not None:
            return self._store.feed_keyed(rows.feed, after=before.last, limit=PAGE)
        after = rows.pages.get(number + 1)
        if after is not None and after.first is not None and number >= 0:
            return self._store.feed_keyed(rows.feed, before=after.first, limit=PAGE)
        return self._store.feed_keyed(rows.feed, offset=number * PAGE, limit=PAGE)

    def score(self, feed: FeedFilter) -> int:
        """Store the priority of `feed`'s threads that have none yet (all of them once, on an
        older database; a few after an ingest); returns how many. A database that cannot be
        written now still shows its feed: the unscored threads sort last until it can."""
        from webcare_tui.services.insights import score_unscored

        try:
            return score_unscored(self._store, feed)
        except (DatabaseReadOnly, DatabaseLocked):
            return 0

    def _scored(self, feed: FeedFilter) -> None:
        # In priority order a thread that got a message since it was scored is scored first,
        # so it sits where it belongs.
        if feed.order is FeedOrder.PRIORITY:
            self.score(feed)

    def insights(self, page: FeedPage) -> Mapping[int, ThreadInsight]:
        """Priority, tags and the repeat mark of a page's threads, by thread id."""
        from webcare_tui.services.insights import thread_insights

        return thread_insights(self._store, page.threads)

    def window(
        self, feed: FeedFilter, *, selected: int | None, cursor: int, marks: bool = True
    ) -> tuple[FeedRows, int]:
        """A fresh copy of the feed around the selected thread (else the cursor position),
        and where the cursor stands in it now; without `marks`, its page's priority marks are
        left for later (`insights`)."""
        store = self._store
        self._scored(feed)
        rows = FeedRows(feed=feed, total=store.feed_count(feed), sending=store.pending_threads())
        if selected is not None:
            position = store.feed_position(feed, selected)
            if position is not None:
                cursor = position
        cursor = max(0, min(cursor, rows.total - 1)) if rows.total else 0
        number = cursor // PAGE
        page = store.feed_keyed(feed, offset=number * PAGE, limit=PAGE)
        rows.add_page(number, page, self.insights(page) if marks else None)
        return rows, cursor
