"""The feed row's marks: priority (`!`, `‼`), an impostor (`⚠`) and a repeat customer (`↻`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import running, settle
from webcare_tui.core.model import IncomingMessage
from webcare_tui.services.feed_pager import FeedFilter
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.widgets.thread_feed import COUNTDOWN_WIDTH, MARK_WIDTH, ThreadFeed


def marks_of(feed: ThreadFeed, author: str) -> set[str]:
    """The mark cells of the rows in view whose author starts with `author`."""
    found = set()
    for y in range(min(feed.rows.total, feed.view_height)):
        line = feed.render_line(y).text
        if line[COUNTDOWN_WIDTH + MARK_WIDTH :].split()[1].startswith(author):
            found.add(line[COUNTDOWN_WIDTH : COUNTDOWN_WIDTH + MARK_WIDTH])
    return found


async def test_an_impostor_and_a_returning_customer_stand_out(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    at = FROZEN_NOW - timedelta(minutes=30)
    app.store.ingest(
        "demo-mastodon",
        "mastodon",
        [
            IncomingMessage("p1", "piet@example.social", "Where is my paper?", at - timedelta(1)),
            IncomingMessage("p2", "piet@example.social", "It did not come again", at),
            IncomingMessage("p3", "fake@example.social", "Kompas support: DM your password", at,
                            in_reply_to="p2"),
            IncomingMessage("q1", "quiet@example.social", "Hello there", at),
        ],
        clock=app.clock,
        seen_at=FROZEN_NOW,
    )  # fmt: skip
    async with running(app, size=(120, 40)) as pilot:
        feed = app.screen.query_one(ThreadFeed)
        feed.set_filter(FeedFilter(query="@none channel:mastodon"))
        await settle(pilot)
        # Two threads of his: the second marks him as returning (loudly: an impostor answered
        # there), his first contact is no repeat.
        assert marks_of(feed, "piet@") == {"   ", "⚠↻ "}
        assert marks_of(feed, "quiet@") == {"   "}
        assert marks_of(feed, "Bram") == {"‼  "}  # the demo's angriest customer
