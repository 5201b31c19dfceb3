"""Headless flows through the inbox, as an agent on a shift would use it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual import events
from textual.widget import Widget
from textual.widgets import Static

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import settle
from webcare_tui.core.model import IncomingMessage, ThreadState
from webcare_tui.store.store import FeedFilter
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.dialogs.help import HelpDialog
from webcare_tui.ui.screens.thread import ThreadScreen
from webcare_tui.ui.widgets.inbox_header import InboxHeader
from webcare_tui.ui.widgets.thread_feed import ThreadFeed
from webcare_tui.ui.widgets.thread_view import ThreadView


def shown_text(widget: Widget) -> str:
    return "\n".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


async def test_feed_fills_most_urgent_first(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        feed = app.screen.query_one(ThreadFeed)
        assert feed.rows.total == app.store.feed_count() >= 25
        rows = [feed.rows.get(i) for i in range(feed.rows.total)]
        dues = [t.due_at for t in rows if t and t.due_at]
        assert dues == sorted(dues)
        assert "overdue" in shown_text(feed)
        header = app.screen.query_one(InboxHeader)
        assert header.counts.open > 0 and header.counts.overdue > 0


async def test_keys_move_and_enter_opens_thread_screen(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        feed = app.screen.query_one(ThreadFeed)
        await pilot.press("j", "j", "down")
        assert feed.cursor == 3
        await pilot.press("k")
        assert feed.cursor == 2
        chosen = feed.highlighted
        assert chosen is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ThreadScreen)
        view = app.screen.query_one(ThreadView)
        assert view.detail is not None and view.detail.thread.id == chosen.id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(ThreadFeed).cursor == 2


async def test_wide_terminal_shows_thread_beside_feed(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ThreadScreen)
        side = app.screen.query_one("#side", ThreadView)
        feed = app.screen.query_one(ThreadFeed)
        assert side.display
        # Both on screen, side by side: the feed's right edge is where the pane begins.
        assert 40 <= feed.region.width <= 80 and side.region.right <= 120
        assert side.region.x >= feed.region.right and side.region.width >= 40
        assert side.detail is not None
        highlighted = app.screen.query_one(ThreadFeed).highlighted
        assert highlighted is not None and side.detail.thread.id == highlighted.id


async def test_end_jumps_to_last_thread(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        feed = app.screen.query_one(ThreadFeed)
        await pilot.press("end")
        await settle(pilot)
        assert feed.cursor == feed.rows.total - 1
        assert feed.highlighted is not None


async def test_help_lists_every_key(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpDialog)
        listed = {keys for _, keys, _ in app.screen.rows}
        for key in ("j, down", "k, up", "enter", "r", "e", "a", "i", "/", "?", "ctrl+p", "q"):
            assert key in listed
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpDialog)


async def test_assign_to_me(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        thread = app.screen.query_one(ThreadFeed).highlighted
        assert thread is not None
        await pilot.press("a")
        await settle(pilot)
        assert app.store.thread(thread.id).assignee == app.config.agent
        assert app.screen.query_one(InboxHeader).counts.mine == 1


async def test_ignore_asks_why_and_records_it(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = app.store.feed_count()
        thread = app.screen.query_one(ThreadFeed).highlighted
        assert thread is not None
        await pilot.press("i", "o")  # another reason than the one-key ones
        await pilot.press("enter")  # no reason: refused
        await settle(pilot)
        assert app.store.thread(thread.id).state is ThreadState.OPEN
        await pilot.press(*"spam")
        await pilot.press("enter")
        await settle(pilot)
        assert app.store.thread(thread.id).state is ThreadState.IGNORED
        assert app.store.events(thread.id)[-1].detail == "spam"
        assert app.screen.query_one(ThreadFeed).rows.total == before - 1


async def test_filter_narrows_the_feed(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"forum")
        await settle(pilot)
        feed = app.screen.query_one(ThreadFeed)
        assert feed.rows.total == app.store.feed_count(FeedFilter(query="forum")) > 0
        shown = [feed.rows.get(i) for i in range(feed.rows.total)]
        assert all(t is not None and t.channel == "forum" for t in shown)
        await pilot.press("escape")
        await settle(pilot)
        assert feed.rows.total == app.store.feed_count()


async def test_escalate_to_phone(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        thread = app.screen.query_one(ThreadFeed).highlighted
        assert thread is not None
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("enter")  # the first option: phone; then its number, the note
        await pilot.press(*"0612345678", "tab", "tab", *"belt om 3 uur terug", "enter")
        await settle(pilot)
        stored = app.store.thread(thread.id)
        assert stored.state is ThreadState.ESCALATED
        assert stored.clock is not None and stored.clock.kind == "follow_up"
        assert app.store.notes(thread.id)[-1].text == "belt om 3 uur terug"


async def test_hostile_text_is_shown_literally_and_does_nothing(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"klik")
        await settle(pilot)
        feed = app.screen.query_one(ThreadFeed)
        assert feed.rows.total == 1
        side = app.screen.query_one("#side", ThreadView)
        await pilot.press("enter")
        await settle(pilot)
        text = "\n".join(str(static.content) for static in side.query(Static))
        assert "[bold red]URGENT[/] Uw abonnement" in text
        assert "[@click=app.quit]klik hier[/]" in text
        assert app.is_running


async def test_quit(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_header_names_a_connector_in_trouble(build_app: Callable[..., WebcareApp]) -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        header = app.screen.query_one(InboxHeader)
        assert header.health == ""
        for settings in app.config.connectors:
            app.store.record_health(settings.name, status="ok", now=app.now)
        app.store.record_health(
            "demo-bluesky", status="auth failed", now=app.now, error="401 from the PDS"
        )
        # A connector taken out of the config is no longer the team's concern.
        app.store.record_health("gone", status="auth failed", now=app.now, error="401")
        app.data_changed()
        await settle(pilot)
        assert header.health == "demo-bluesky auth failed"
        assert "demo-bluesky auth failed" in str(header.render())


async def test_feed_rows_follow_the_clock_the_cursor_and_the_data(
    build_app: Callable[..., WebcareApp],
) -> None:
    """Painted rows are reused while scrolling; nothing the agent should see may go stale."""
    clock = {"now": FROZEN_NOW}
    app = build_app(now=lambda: clock["now"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        feed = app.screen.query_one(ThreadFeed)
        first_row = shown_text(feed).splitlines()[0]
        clock["now"] = FROZEN_NOW + timedelta(minutes=7)
        app.now = clock["now"]
        await settle(pilot)
        assert shown_text(feed).splitlines()[0] != first_row  # the countdown moved on
        assert first_row.split()[-1] in shown_text(feed).splitlines()[0]  # same thread

        await pilot.press("a")
        await settle(pilot)
        assert " AB " in shown_text(feed).splitlines()[0]  # reloaded thread, new assignee

        cursor_style = feed._style("cursor-focus")
        await pilot.press("j")
        await pilot.pause()
        lines = feed.render_lines(feed.region.reset_offset)
        assert cursor_style.bgcolor is not None
        assert any(s.style and s.style.bgcolor == cursor_style.bgcolor for s in lines[1])
        assert not any(s.style and s.style.bgcolor == cursor_style.bgcolor for s in lines[0])


async def test_mouse_wheel_scrolls_the_feed_and_a_key_brings_the_cursor_back(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        feed = app.screen.query_one(ThreadFeed)
        assert feed.rows.total > feed.view_height
        first_shown = shown_text(feed).splitlines()[0]
        for _ in range(2):
            wheel = events.MouseScrollDown(feed, 5, 3, 0, 1, 0, False, False, False)
            feed.post_message(wheel)
        await pilot.pause()
        assert feed.top == 6 and feed.cursor == 0  # the view moved, the cursor stayed
        assert shown_text(feed).splitlines()[0] != first_shown
        await pilot.press("j")
        assert feed.cursor == 1 and feed.top == 1  # the cursor row is back in view
        await pilot.press("end")
        assert feed.top == feed.rows.total - feed.view_height
        last = feed.rows.get(feed.rows.total - 1)
        assert last is not None and (last.author_name or last.author)[:10] in shown_text(feed)


async def test_an_open_thread_that_joins_another_is_followed(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    clock = app.clock
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        reply = IncomingMessage(
            remote_id="late-child", author="sam@example.social", text="ook nog dit",
            created_at=FROZEN_NOW - timedelta(minutes=5), in_reply_to="late-parent",
        )  # fmt: skip
        orphan = app.store.ingest(
            "demo-mastodon", "mastodon", [reply], clock=clock, seen_at=FROZEN_NOW
        ).new_threads[0]
        app.open_thread(orphan)
        await settle(pilot)
        assert isinstance(app.screen, ThreadScreen)

        parent = IncomingMessage(
            remote_id="late-parent", author="sam@example.social", text="waar blijft mijn krant",
            created_at=FROZEN_NOW - timedelta(minutes=30),
        )  # fmt: skip
        app.store.ingest("demo-mastodon", "mastodon", [parent], clock=clock, seen_at=FROZEN_NOW)
        app.data_changed()
        await settle(pilot)

        view = app.screen.query_one(ThreadView)
        assert view.thread_id != orphan and view.detail is not None
        assert [m.remote_id for m in view.detail.messages] == ["late-parent", "late-child"]
        assert app.screen.current_thread_id() == view.thread_id


async def test_a_frozen_app_has_no_blinking_cursor_anywhere(
    build_app: Callable[..., WebcareApp],
) -> None:
    """A blink is time passing: snapshots of dialogs and the filter box must not depend on it."""
    from textual.widgets import Input

    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert app.screen.query_one("#filter", Input).cursor_blink is False
        await pilot.press("escape", "i")
        await settle(pilot)
        assert [field.cursor_blink for field in app.screen.query(Input)] == [False]
