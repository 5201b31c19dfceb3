"""The reply pane, driven by keys as an agent drives it: draft, findings, send, undo, send.

Time moves only when a test moves it: the app takes a mutable clock as `now`, and setting
`app.now` is what the app's one-second tick would do.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.fakes.clock import FakeClock
from tests.pilot import press_and_settle, settle
from webcare_tui.connectors.base import (
    Connector,
    FetchResult,
    OutgoingReply,
    SentReply,
    TransientError,
)
from webcare_tui.core.model import Direction, ThreadState
from webcare_tui.core.outbox import OutboxState
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.dialogs.canned_picker import CannedPicker
from webcare_tui.ui.dialogs.confirm_send import ConfirmSendDialog
from webcare_tui.ui.dialogs.help import HelpDialog
from webcare_tui.ui.screens.reply import ReplyScreen
from webcare_tui.ui.screens.thread import ThreadScreen
from webcare_tui.ui.widgets.draft_findings import DraftFindings
from webcare_tui.ui.widgets.send_banner import SendBanner
from webcare_tui.ui.widgets.thread_feed import ThreadFeed

RUDE = "Wat wil je nou?"
KIND = "Sorry, ik zoek het uit."


async def advance(pilot: Pilot[None], clock: FakeClock, seconds: float) -> None:
    """What the app's tick does: the clock moves, `app.now` follows, the screens react."""
    clock.advance(seconds=seconds)
    app = pilot.app
    assert isinstance(app, WebcareApp)
    app.now = clock()
    await settle(pilot)


def pane(app: WebcareApp) -> ReplyScreen:
    assert isinstance(app.screen, ReplyScreen)
    return app.screen


def codes(app: WebcareApp) -> list[str]:
    return [f.code for f in pane(app).query_one(DraftFindings).findings]


def banner(app: WebcareApp) -> str:
    return str(pane(app).query_one(SendBanner).content)


def notes(app: WebcareApp) -> list[str]:
    return [n.message for n in app._notifications]


async def open_reply(pilot: Pilot[None]) -> int:
    """The first thread of the feed: enter opens it, r opens the draft pane below it."""
    await settle(pilot)
    thread = pilot.app.screen.query_one(ThreadFeed).highlighted
    await press_and_settle(pilot, "enter")
    assert isinstance(pilot.app.screen, ThreadScreen)
    await press_and_settle(pilot, "r")
    assert isinstance(pilot.app.screen, ReplyScreen)
    assert thread is not None
    return thread.id


async def draft_kind(pilot: Pilot[None]) -> int:
    """The first thread's reply pane with a reply no check stops (put in at once, as typing
    is tested here on its own). Returns the thread's id."""
    thread_id = await open_reply(pilot)
    assert isinstance(pilot.app, WebcareApp)
    pane(pilot.app).area.insert(KIND)
    await settle(pilot)
    return thread_id


async def queue_kind(pilot: Pilot[None]) -> int:
    """`draft_kind`, then ctrl+s: the reply waits in its undo window. Returns the thread's id."""
    thread_id = await draft_kind(pilot)
    await press_and_settle(pilot, "ctrl+s")
    assert isinstance(pilot.app, WebcareApp)
    [item] = pilot.app.store.outbox_items(thread_id)
    assert item.state is OutboxState.QUEUED
    return thread_id


async def delete(pilot: Pilot[None], count: int) -> None:
    for _ in range(count):
        await pilot.press("backspace")


async def test_the_whole_flow_bad_reply_fix_send_undo_send(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        thread_id = await open_reply(pilot)
        area = pane(app).area
        thread = app.store.thread(thread_id)
        signature = app.config.signature_text
        # What Mastodon needs first, the signature last, the cursor in between.
        assert area.text == f"@{thread.author} \n\n{signature}"
        await press_and_settle(pilot, *RUDE)
        assert area.text == f"@{thread.author} {RUDE}\n\n{signature}"
        assert codes(app) == ["tone.defensive"]
        await delete(pilot, len(RUDE))
        await press_and_settle(pilot, *KIND)
        assert codes(app) == []
        assert app.store.draft(thread_id, app.config.agent) == area.text  # saved as typed
        sent_text = area.text

        await press_and_settle(pilot, "ctrl+s")
        [item] = app.store.outbox_items(thread_id)
        assert item.state is OutboxState.QUEUED
        assert banner(app) == "Sending in 10s · u to undo"
        assert area.disabled

        await advance(pilot, clock, 9)
        assert banner(app) == "Sending in 1s · u to undo"
        await press_and_settle(pilot, "u")
        assert app.store.outbox_item(item.id).state is OutboxState.CANCELLED
        assert area.text == sent_text and not area.disabled
        assert app.store.draft(thread_id, app.config.agent) == sent_text
        await advance(pilot, clock, 30)
        assert app.store.thread(thread_id).state is ThreadState.OPEN  # nothing went out

        await press_and_settle(pilot, "ctrl+s")
        assert banner(app) == "Sending in 10s · u to undo"
        await advance(pilot, clock, 10)  # the window passes: the app's outbox worker sends
        stored = app.store.thread(thread_id)
        assert stored.state is ThreadState.REPLIED and stored.due_at is None
        out = [m for m in app.store.messages(thread_id) if m.direction is Direction.OUT]
        assert [m.text for m in out][-1] == sent_text and out[-1].agent == app.config.agent
        assert banner(app).startswith("Sent at ")
        assert any(n.startswith("Reply to ") and n.endswith(" sent.") for n in notes(app))
        assert [e.kind for e in app.store.events(thread_id)][-1] == "replied"
        assert app.store.draft(thread_id, app.config.agent) == ""


async def test_a_blocked_reply_asks_for_a_reason_and_two_ctrl_s_do_not_send_it(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        thread_id = await open_reply(pilot)
        await pilot.press(*RUDE)
        await press_and_settle(pilot, "ctrl+s")
        assert isinstance(app.screen, ConfirmSendDialog)
        await press_and_settle(pilot, "escape")  # back to the draft: nothing queued
        assert app.store.outbox_items(thread_id) == []
        await press_and_settle(pilot, "ctrl+s")
        await press_and_settle(pilot, "ctrl+s")  # a reflex: no reason given, nothing sent
        assert isinstance(app.screen, ConfirmSendDialog)
        assert app.screen.query_one("#confirm-missing").has_class("-shown")
        assert app.store.outbox_items(thread_id) == []
        await press_and_settle(pilot, *"klant vroeg erom", "enter")
        [item] = app.store.outbox_items(thread_id)
        assert [o.code for o in item.override] == ["tone.defensive"]
        assert item.reason == "klant vroeg erom"
        await advance(pilot, clock, 10)
        detail = app.store.events(thread_id)[-1].detail
        assert "sent despite: tone.defensive" in detail and "reason: klant vroeg erom" in detail


async def test_each_finding_says_where_its_rule_comes_from_and_the_draft_stays_in_view(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_reply(pilot)
        pane(app).area.insert(RUDE)
        await settle(pilot)
        box = pane(app).query_one(DraftFindings)
        [finding] = box.findings
        assert finding.source.startswith("data/tone/")
        shown = box.render().plain
        assert shown.endswith(f"(from {finding.source})")
        area = pane(app).area.region
        assert area.bottom <= box.region.y and box.region.bottom <= 24


async def test_another_agent_taking_the_thread_shows_up_while_typing(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        thread_id = await draft_kind(pilot)
        assert codes(app) == []
        app.store.assign(thread_id, "MK", now=clock(), force=True)
        app.data_changed()  # what the database watcher does when another process writes
        await settle(pilot)
        assert codes(app) == ["ownership"]
        findings = pane(app).query_one(DraftFindings).findings
        assert "held by MK" in findings[0].message


async def test_a_draft_survives_leaving_the_pane(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        thread_id = await open_reply(pilot)
        await press_and_settle(pilot, *"Half af")
        await press_and_settle(pilot, "escape")
        await press_and_settle(pilot, "r")
        assert "Half af" in pane(app).area.text
        assert "Half af" in app.store.draft(thread_id, app.config.agent)


async def test_canned_replies_fill_their_placeholders(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_reply(pilot)
        await press_and_settle(pilot, "ctrl+t")
        assert isinstance(app.screen, CannedPicker)
        await press_and_settle(pilot, *"late delivery")
        chosen = app.screen.shown[0]
        assert "{first_name}" in chosen.text
        await press_and_settle(pilot, "enter")
        text = pane(app).area.text
        assert "{" not in text and text.endswith(app.config.signature_text)
        assert text.splitlines()[0].startswith("@")  # still addressed to the customer
        assert "placeholder" not in codes(app)


async def test_ctrl_e_hands_the_draft_to_the_editor(
    build_app: Callable[..., WebcareApp],
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('TODO', 'Dank je wel!') + '\\n')\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    app = build_app(now=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_reply(pilot)
        await pilot.press(*"TODO")
        await press_and_settle(pilot, "ctrl+e")
        assert any("export EDITOR" in n for n in notes(app))
        monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
        await press_and_settle(pilot, "ctrl+e")  # the test terminal cannot be handed over: said so
        assert any("cannot be handed" in n for n in notes(app))
        monkeypatch.setattr(app, "suspend", contextlib.nullcontext)
        await press_and_settle(pilot, "ctrl+e")
        text = pane(app).area.text
        assert "Dank je wel!" in text and "TODO" not in text and not text.endswith("\n")


class FlakyConnector(Connector):
    """Fails the first send as a timeout would, then posts; dedupes on the idempotency key."""

    type = "flaky"
    idempotent_send = True

    def __init__(self, base: Connector) -> None:
        super().__init__(base.settings)
        self.keys: list[str] = []

    async def fetch(self, cursor: str | None) -> FetchResult:
        return FetchResult([], cursor)

    async def send(self, reply: OutgoingReply) -> SentReply:
        self.keys.append(reply.idempotency_key)
        if len(self.keys) == 1:
            raise TransientError("mastodon: [bold]social.example[/] did not answer in time")
        return SentReply(f"flaky-{reply.idempotency_key[-6:]}")


async def test_a_failed_send_is_shown_and_retried_under_the_same_key(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        thread_id = await open_reply(pilot)
        name = app.store.thread(thread_id).connector
        base = app.outbox.connector(name)
        assert base is not None
        flaky = app.outbox.connectors[name] = FlakyConnector(base)
        pane(app).area.insert(KIND)
        await pilot.press("ctrl+s")
        await advance(pilot, clock, 10)
        # The platform's words are shown as written, markup and all.
        assert banner(app).startswith(
            "Not confirmed yet: temporarily unavailable: mastodon: [bold]"
        )
        assert any("[bold]social.example[/]" in n for n in notes(app))
        assert app.store.thread(thread_id).state is ThreadState.OPEN
        await advance(pilot, clock, 10)  # the first back-off is over
        assert banner(app).startswith("Sent at ")
        assert len(set(flaky.keys)) == 1 and len(flaky.keys) == 2
        assert app.store.thread(thread_id).state is ThreadState.REPLIED


async def test_the_help_lists_the_reply_keys(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_reply(pilot)
        await press_and_settle(pilot, "escape")
        await press_and_settle(pilot, "question_mark")
        assert isinstance(app.screen, HelpDialog)
        reply_keys = {keys for group, keys, _ in app.screen.rows if group == "Reply"}
        assert {"ctrl+s", "u", "ctrl+t", "ctrl+e", "escape"} <= reply_keys


async def test_hostile_and_huge_drafts_do_nothing_bad(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        thread_id = await open_reply(pilot)
        area = pane(app).area
        area.insert("[@click=app.quit]klik[/] [bold red]WAT WIL JE NOU[/] ")
        await settle(pilot)
        assert app.is_running and "tone.defensive" in codes(app)
        area.insert("lang verhaal " * 20_000)
        await settle(pilot)
        assert "length" in codes(app)
        assert app.is_running
        assert app.store.draft(thread_id, app.config.agent) == area.text
