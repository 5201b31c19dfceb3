"""Two agents' apps on one database: each sees the other's reply pane, and a take-over."""

from __future__ import annotations

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle, running, settle
from tests.ui.team_apps import app_for
from webcare_tui.config import Config
from webcare_tui.services.handover import Handover
from webcare_tui.services.presence import Presence
from webcare_tui.store import Store
from webcare_tui.ui.dialogs.assign_to import AssignToDialog
from webcare_tui.ui.widgets.thread_feed import ThreadFeed
from webcare_tui.ui.widgets.thread_view import ThreadView


def row_text(feed: ThreadFeed, thread_id: int) -> str:
    index = next(i for i in range(feed.rows.total) if feed.rows.get(i).id == thread_id)  # type: ignore[union-attr]
    return feed.render_line(index - feed.top).text


async def test_a_colleagues_open_reply_pane_shows_on_the_feed_row_and_the_thread(
    demo_store: Store, demo: Config
) -> None:
    ab, cd = app_for("AB", demo, demo_store.path), app_for("CD", demo, demo_store.path)
    async with ab.run_test(size=(80, 24)) as ab_pilot, cd.run_test(size=(80, 24)) as cd_pilot:
        await settle(ab_pilot)
        await settle(cd_pilot)
        thread = ab.screen.query_one(ThreadFeed).highlighted
        assert thread is not None
        await ab_pilot.press("r")  # AB opens the reply pane on the first thread
        await settle(ab_pilot)
        ab.beat()
        await settle(ab_pilot)

        cd.beat()
        await settle(cd_pilot)
        feed = cd.screen.query_one(ThreadFeed)
        assert "✎AB" in row_text(feed, thread.id)
        await cd_pilot.press("enter")  # at 80 columns the thread opens on its own screen
        await settle(cd_pilot)
        cd.beat()
        await settle(cd_pilot)
        view = cd.screen.query_one(ThreadView)
        assert view.thread_id == thread.id
        assert "AB is replying" in " ".join(str(s.render()) for s in view.query(".presence"))

        await ab_pilot.press("escape")  # AB closes the reply pane: the mark goes
        await settle(ab_pilot)
        ab.beat()
        await settle(ab_pilot)
        cd.beat()
        await settle(cd_pilot)
        assert not view.query(".presence")


async def test_the_holder_is_told_in_their_tui_when_a_colleague_takes_over(
    demo_store: Store, demo: Config
) -> None:
    ab = app_for("AB", demo, demo_store.path)
    thread = demo_store.feed_page()[0].id
    async with ab.run_test(size=(80, 24), notifications=True) as pilot:
        await press_and_settle(pilot, "a")  # AB claims the thread
        ab.beat()
        await settle(pilot)
        assert demo_store.thread(thread).assignee == "AB"
        Handover(Store(demo_store.path), "CD", lambda: FROZEN_NOW).assign(
            thread, reason="AB is on the phone with this customer"
        )
        ab.beat()
        await settle(pilot)
        told = [n for n in ab._notifications if n.title == "taken over"]
        assert len(told) == 1
        assert "CD took over thread" in told[0].message and "on the phone" in told[0].message
        ab.beat()  # told once
        await settle(pilot)
        assert len([n for n in ab._notifications if n.title == "taken over"]) == 1


async def test_a_on_a_colleagues_thread_asks_why_and_takes_it_over(
    demo_store: Store, demo: Config
) -> None:
    thread = demo_store.feed_page()[0].id
    Handover(demo_store, "CD", lambda: FROZEN_NOW).assign(thread)
    ab = app_for("AB", demo, demo_store.path)
    async with running(ab, size=(80, 24), notifications=True) as pilot:
        await press_and_settle(pilot, "a")
        assert demo_store.thread(thread).assignee == "CD"  # not yet: it asks why first
        await press_and_settle(pilot, "enter")  # no reason: refused, still asking
        assert demo_store.thread(thread).assignee == "CD"
        await press_and_settle(pilot, *"CD is ziek", "enter")
        assert demo_store.thread(thread).assignee == "AB"
    [notice] = Handover(demo_store, "CD", lambda: FROZEN_NOW).notices(after=0)
    assert "AB took over" in notice.text and "CD is ziek" in notice.text


async def test_ctrl_a_hands_a_thread_to_a_colleague_on_shift_or_typed_asking_why_for_theirs(
    demo_store: Store, demo: Config
) -> None:
    thread = demo_store.feed_page()[0].id
    Presence(demo_store, "CD", lambda: FROZEN_NOW).beat()  # CD is on shift
    ab = app_for("AB", demo, demo_store.path)
    async with running(ab, size=(80, 24), notifications=True) as pilot:
        await press_and_settle(pilot, "ctrl+a")
        assert isinstance(ab.screen, AssignToDialog) and ab.screen.agents == ["CD"]
        await press_and_settle(pilot, "down", "enter")  # the colleague on shift
        assert demo_store.thread(thread).assignee == "CD"

        await press_and_settle(pilot, "ctrl+a")  # now CD's: handing it on needs a reason
        await press_and_settle(pilot, "tab", *"EF", "enter")
        assert demo_store.thread(thread).assignee == "CD"  # not yet: it asks why first
        await press_and_settle(pilot, *"CD is vrij", "enter")
        assert demo_store.thread(thread).assignee == "EF"
    notices = Handover(demo_store, "CD", lambda: FROZEN_NOW).notices(after=0)
    assert any("CD is vrij" in n.text for n in notices)
