"""A colleague's thread in the TUI: ignore, snooze, tag and resolve first warn naming the
holder and ask why; escape leaves it alone; the reason is recorded and the holder is told,
also when their TUI was closed at the time."""

from __future__ import annotations

import pytest

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import press_and_settle, running, settle
from tests.ui.team_apps import app_for
from webcare_tui.config import Config
from webcare_tui.core.model import ThreadState
from webcare_tui.services.handover import Handover
from webcare_tui.store import Store
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.dialogs.take_over import ColleagueChangeDialog
from webcare_tui.ui.screens.inbox import InboxScreen


def changed(store: Store, thread_id: int, key: str) -> bool:
    thread = store.thread(thread_id)
    return {
        "i": thread.state is ThreadState.IGNORED,
        "s": thread.state is ThreadState.SNOOZED,
        "t": store.tags_of([thread_id]).get(thread_id, ()) != (),
        "x": thread.state is ThreadState.RESOLVED,
    }[key]


# What the action's own dialog is answered with, once the reason is given.
ANSWERS = {
    "i": ["t"],  # thanks
    "s": ["1"],  # for 2 hours
    "t": ["1", "enter"],  # the first tag
    "x": [*"opgelost", "enter", *"delivery", "enter"],
}
DONE = {"i": "ignored", "s": "snoozed", "t": "tagged", "x": "resolved"}


@pytest.mark.parametrize("key", ["i", "s", "t", "x"])
async def test_a_change_to_a_colleagues_thread_warns_asks_why_and_tells_them(
    key: str, demo_store: Store, demo: Config
) -> None:
    thread = demo_store.feed_page()[0].id
    Handover(demo_store, "MK", lambda: FROZEN_NOW).assign(thread)
    events_before = len(demo_store.events(thread))
    app = app_for("AB", demo, demo_store.path)
    async with running(app, size=(80, 24), notifications=True) as pilot:
        await press_and_settle(pilot, key)
        warning = app.screen
        assert isinstance(warning, ColleagueChangeDialog)
        assert f"MK holds #{thread}: why do you change it?" in str(
            warning.query_one("Label").render()
        )
        await press_and_settle(pilot, "escape")  # escape: nothing changes, nobody is told
        assert isinstance(app.screen, InboxScreen)
        assert not changed(demo_store, thread, key)
        assert len(demo_store.events(thread)) == events_before
        assert demo_store.notices("MK") == []

        await press_and_settle(pilot, key, "enter")  # no reason: still asking
        assert isinstance(app.screen, ColleagueChangeDialog)
        await press_and_settle(pilot, *"MK is met verlof", "enter")
        assert not isinstance(app.screen, ColleagueChangeDialog)
        assert not changed(demo_store, thread, key)  # the action's own dialog asks next
        for answer in ANSWERS[key]:
            await press_and_settle(pilot, answer)
        assert changed(demo_store, thread, key)
        assert demo_store.thread(thread).assignee == "MK"
    overrides = [e for e in demo_store.events(thread) if e.kind == "override"]
    assert [e.actor for e in overrides] == ["AB"]
    assert DONE[key] in overrides[0].detail and "MK is met verlof" in overrides[0].detail
    [notice] = demo_store.notices("MK")
    assert notice.from_agent == "AB" and "MK is met verlof" in notice.text


async def test_a_thread_a_colleague_took_since_the_screen_showed_it_warns_then(
    demo_store: Store, demo: Config
) -> None:
    thread = demo_store.feed_page()[0].id
    app = app_for("AB", demo, demo_store.path)
    async with running(app, size=(80, 24), notifications=True) as pilot:
        Handover(Store(demo_store.path), "MK", lambda: FROZEN_NOW).assign(thread)
        await press_and_settle(pilot, "s", "1")  # the screen still shows it as nobody's
        assert isinstance(app.screen, ColleagueChangeDialog)
        assert demo_store.thread(thread).state is ThreadState.OPEN
        await press_and_settle(pilot, *"klant belde", "enter")
        assert demo_store.thread(thread).state is ThreadState.SNOOZED
    [notice] = demo_store.notices("MK")
    assert "AB snoozed" in notice.text and "klant belde" in notice.text


def colleague_notices(app: WebcareApp) -> list[str]:
    return [n.message for n in app._notifications if n.title in ("taken over", "your thread")]


async def test_a_holder_whose_tui_was_closed_is_told_on_the_next_start_once(
    demo_store: Store, demo: Config
) -> None:
    first, second = (t.id for t in demo_store.feed_page()[:2])
    for thread in (first, second):
        Handover(demo_store, "MK", lambda: FROZEN_NOW).assign(thread)
    Handover(demo_store, "AB", lambda: FROZEN_NOW).assign(first, reason="MK is ziek")
    ab = Handover(demo_store, "AB", lambda: FROZEN_NOW)
    ab.check_change(second, reason="spam, zeker weten", what="ignored")

    mk = app_for("MK", demo, demo_store.path)
    async with running(mk, size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        told = colleague_notices(mk)
    assert len(told) == 2
    assert "AB took over" in told[0] and "MK is ziek" in told[0]
    assert "AB ignored" in told[1] and "spam, zeker weten" in told[1]

    again = app_for("MK", demo, demo_store.path)
    async with running(again, size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert colleague_notices(again) == []  # told once
        ab.check_change(second, reason="toch niet", what="tagged")
        again.beat()
        await settle(pilot)
        [news] = colleague_notices(again)
        assert "toch niet" in news


async def test_another_agents_start_does_not_swallow_my_notices(
    demo_store: Store, demo: Config
) -> None:
    thread = demo_store.feed_page()[0].id
    Handover(demo_store, "MK", lambda: FROZEN_NOW).assign(thread)
    Handover(demo_store, "AB", lambda: FROZEN_NOW).assign(thread, reason="MK is ziek")
    cd = app_for("CD", demo, demo_store.path)
    async with running(cd, size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert colleague_notices(cd) == []
    mk = app_for("MK", demo, demo_store.path)
    async with running(mk, size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        assert len(colleague_notices(mk)) == 1


@pytest.mark.parametrize(("opening", "key"), [(["enter"], "x"), (["T"], "i"), (["T"], "s")])
async def test_the_thread_screen_and_triage_warn_too(
    opening: list[str], key: str, demo_store: Store, demo: Config
) -> None:
    for thread in demo_store.feed_page():
        demo_store.assign(thread.id, "MK", now=FROZEN_NOW)
    app = app_for("AB", demo, demo_store.path)
    async with running(app, size=(80, 24), notifications=True) as pilot:
        await press_and_settle(pilot, *opening)
        thread = app.screen.current_thread_id()  # type: ignore[attr-defined]
        await press_and_settle(pilot, key)
        assert isinstance(app.screen, ColleagueChangeDialog)
        assert app.screen.thread_id == thread
        await press_and_settle(pilot, "escape")
        assert not changed(demo_store, thread, key)
    assert demo_store.notices("MK") == []
