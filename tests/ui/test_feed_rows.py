"""The feed's sparse copy of the store keeps only the pages near where the agent reads."""

from __future__ import annotations

from datetime import UTC, datetime

from webcare_tui.core.model import Thread, ThreadState
from webcare_tui.ui.feed_rows import MAX_PAGES, PAGE, FeedRows

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)


def thread(thread_id: int) -> Thread:
    return Thread(
        id=thread_id, connector="c", channel="mastodon", author="a", author_name=None,
        state=ThreadState.OPEN, assignee=None, created_at=T0, updated_at=T0, due_at=None,
        clock_kind=None, last_text="", message_count=1,
    )  # fmt: skip


def page(number: int) -> list[Thread]:
    return [thread(number * PAGE + i) for i in range(PAGE)]


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
