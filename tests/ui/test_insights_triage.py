"""Snooze, ignore with a one-key reason, tag and reopen, driven from the keyboard."""

from __future__ import annotations

from collections.abc import Callable

from tests.pilot import press_and_settle, running
from tests.ui.test_query_filter import shown_ids
from webcare_tui.core.model import Thread, ThreadState
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.dialogs.tag import TagDialog
from webcare_tui.ui.widgets.thread_feed import ThreadFeed


def highlighted(app: WebcareApp) -> Thread:
    thread = app.screen.query_one(ThreadFeed).highlighted
    assert thread is not None
    return thread


async def test_snooze_takes_the_thread_out_of_the_feed_until_reopened(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    async with running(app, size=(80, 24)) as pilot:
        feed = app.screen.query_one(ThreadFeed)
        thread = highlighted(app)
        await press_and_settle(pilot, "s", "2")  # until tomorrow 09:00
        assert app.store.thread(thread.id).state is ThreadState.SNOOZED
        assert thread.id not in shown_ids(feed)
        await press_and_settle(pilot, "slash", *"state:snoozed", "enter")
        assert shown_ids(feed) == [thread.id]
        await press_and_settle(pilot, "o")
        assert app.store.thread(thread.id).state is ThreadState.OPEN
        assert shown_ids(feed) == []  # no longer snoozed: out of this filter, back in the feed


async def test_a_typed_snooze_time_that_makes_no_sense_is_said_and_kept(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    async with running(app, size=(80, 24)) as pilot:
        thread = highlighted(app)
        await press_and_settle(pilot, "s", "tab", *"soon[b]", "enter")
        problem = str(app.screen.query_one("#problem").render())
        assert "soon[b]" in problem
        assert app.store.thread(thread.id).state is ThreadState.OPEN
        await press_and_settle(pilot, *["backspace"] * 7, *"2h", "enter")
        assert app.store.thread(thread.id).state is ThreadState.SNOOZED


async def test_until_the_customer_writes_snoozes_far_off(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    async with running(app, size=(80, 24), notifications=True) as pilot:
        thread = highlighted(app)
        await press_and_settle(pilot, "s", "3")
        assert app.store.thread(thread.id).state is ThreadState.SNOOZED
        assert any("until the customer writes" in str(n.message) for n in app._notifications)


async def test_thanks_is_one_key_and_ignored_threads_are_one_filter_away(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    async with running(app, size=(80, 24)) as pilot:
        feed = app.screen.query_one(ThreadFeed)
        thread = highlighted(app)
        await press_and_settle(pilot, "i", "t")
        assert app.store.thread(thread.id).state is ThreadState.IGNORED
        assert app.store.events(thread.id)[-1].detail == "thanks"
        await press_and_settle(pilot, "slash", *"state:ignored", "enter")
        assert shown_ids(feed) == [thread.id]
        await press_and_settle(pilot, "o")
        assert app.store.thread(thread.id).state.is_active


async def test_tag_toggles_with_one_key_suggested_first(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    async with running(app, size=(80, 24)) as pilot:
        await pilot.press("j")  # the demo's second thread is about a bill
        thread = highlighted(app)
        await press_and_settle(pilot, "t")
        dialog = app.screen
        assert isinstance(dialog, TagDialog)
        assert set(dialog.order) == set(app.config.tags)
        assert app.config.tags[0] != "billing"
        first, second = dialog.order[0], dialog.order[1]
        assert first == "billing"  # suggested: ahead of the config's order
        await press_and_settle(pilot, "1", "2", "2", "enter")  # 2 toggled on and off again
        assert app.store.tags_of([thread.id])[thread.id] == (first,)
        await press_and_settle(pilot, "t", "1", "enter")  # off again
        assert app.store.tags_of([thread.id]).get(thread.id) is None
        assert second not in app.store.tags_of([thread.id]).get(thread.id, ())
