"""The feed's window onto the store: pages of threads fetched on demand, keyset where it can.

Threads are never all in memory: at most MAX_PAGES pages are held, the ones farthest from
where the agent is reading are let go. A page is fetched in a worker thread when the feed first
needs one of its rows; a neighbouring page already held gives the keyset to continue from, so
scrolling reads `WHERE (sort_key, id) > (?, ?) ... LIMIT n` on the feed index. A jump with no
neighbour (End, a filter) falls back to an offset.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from webcare_tui.core.model import Thread
from webcare_tui.core.timeutil import to_db
from webcare_tui.store import FeedKey, Store
from webcare_tui.store.base import sort_key
from webcare_tui.store.store import FeedFilter

PAGE = 100
MAX_PAGES = 30


def feed_key(thread: Thread) -> FeedKey:
    """A thread's place in the feed order, as the store computes it."""
    due = to_db(thread.due_at) if thread.due_at else None
    return FeedKey(sort_key(due, to_db(thread.updated_at)), thread.id)


@dataclass
class FeedRows:
    """A sparse copy of the feed: the total and whichever pages have been fetched."""

    feed: FeedFilter = field(default_factory=FeedFilter)
    total: int = 0
    pages: dict[int, list[Thread]] = field(default_factory=dict)

    def get(self, index: int) -> Thread | None:
        page = self.pages.get(index // PAGE)
        if page is None:
            return None
        offset = index % PAGE
        return page[offset] if offset < len(page) else None

    def has_page(self, number: int) -> bool:
        return number in self.pages

    def add_page(self, number: int, page: list[Thread]) -> None:
        """Hold page `number`; past MAX_PAGES, let go of the pages farthest from it."""
        self.pages[number] = page
        if len(self.pages) > MAX_PAGES:
            keep = sorted(self.pages, key=lambda held: abs(held - number))[:MAX_PAGES]
            self.pages = {held: self.pages[held] for held in sorted(keep)}

    def index_of(self, thread_id: int) -> int | None:
        for number, page in self.pages.items():
            for offset, thread in enumerate(page):
                if thread.id == thread_id:
                    return number * PAGE + offset
        return None


def fetch_page(store: Store, rows: FeedRows, number: int) -> list[Thread]:
    """Page `number` of the feed, from a neighbouring page's keyset where one is held."""
    before = rows.pages.get(number - 1)
    if before:
        return store.feed_page(rows.feed, after=feed_key(before[-1]), limit=PAGE)
    after = rows.pages.get(number + 1)
    if after and number >= 0:
        return store.feed_page(rows.feed, before=feed_key(after[0]), limit=PAGE)
    return store.feed_slice(rows.feed, number * PAGE, PAGE)


def fetch_window(
    store: Store, feed: FeedFilter, *, selected: int | None, cursor: int
) -> tuple[FeedRows, int]:
    """A fresh copy of the feed around the selected thread (or the cursor position)."""
    rows = FeedRows(feed=feed, total=store.feed_count(feed))
    if selected is not None:
        position = store.feed_position(feed, selected)
        if position is not None:
            cursor = position
    cursor = max(0, min(cursor, rows.total - 1)) if rows.total else 0
    number = cursor // PAGE
    rows.add_page(number, store.feed_slice(feed, number * PAGE, PAGE))
    return rows, cursor
