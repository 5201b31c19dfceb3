"""The outbox under faults: crashes between states, connector errors, undo at the last moment.

A fake connector stands in for the platform and dedupes on the idempotency key the way
Mastodon does, so "exactly once" means: one post per key, and one stored reply per thread.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.sending import SETTINGS, FakeConnector, FakePlatform
from webcare_tui.config import Config, demo_config
from webcare_tui.connectors.base import (
    AuthFailed,
    ConnectorSettings,
    MalformedResponse,
    RateLimited,
    TransientError,
)
from webcare_tui.connectors.http_errors import RequestRejected
from webcare_tui.connectors.rss import RssOptions
from webcare_tui.core.clock import ClockKind
from webcare_tui.core.model import Direction, IncomingMessage, ThreadState
from webcare_tui.core.outbox import OutboxState, retry_delay
from webcare_tui.services.holders import process_is_dead
from webcare_tui.services.outbox import (
    ChannelCannotSend,
    DraftRefused,
    NothingToSend,
    Outbox,
    ReasonNeeded,
    SendOutcome,
)
from webcare_tui.store import Store
from webcare_tui.store.store import ClaimedByOther, OutboxTooLate

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LONG_AGO = T0 - timedelta(hours=1)  # `stale_before` that takes over no live claim
GOOD = "@anna@social.example Wat vervelend! Stuur je ons een DM met je ordernummer? ^AB"
RUDE = "@anna@social.example Wat wil je nou? De juf uithangen of geholpen worden? ^AB"


class Killed(BaseException):
    """Stands for the process dying: nothing in the outbox catches it."""


@pytest.fixture
def config() -> Config:
    return replace(demo_config(), agent="AB", connectors=(SETTINGS,), undo_seconds=10)


@pytest.fixture
def platform() -> FakePlatform:
    return FakePlatform()


@pytest.fixture
def thread_id(store: Store, config: Config) -> int:
    customer = IncomingMessage(
        remote_id="m1",
        author="anna@social.example",
        text="@brand waar blijft mijn pakket?",
        created_at=T0 - timedelta(minutes=20),
        extra={"visibility": "public", "lang": "nl"},
    )
    result = store.ingest("c1", "mastodon", [customer], clock=config.clock(), seen_at=T0)
    return result.new_threads[0]


def make_outbox(
    store: Store, config: Config, platform: FakePlatform, clock: FakeClock, **kwargs: object
) -> Outbox:
    connector = FakeConnector(SETTINGS, platform)
    return Outbox(store, config, now=clock, connectors={"c1": connector}, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def outbox(store: Store, config: Config, platform: FakePlatform, clock: FakeClock) -> Outbox:
    return make_outbox(store, config, platform, clock)


def send_due(
    outbox: Outbox, item_id: int | None = None, auto_retry: bool = True
) -> list[SendOutcome]:
    return asyncio.run(outbox.send_due(item_id=item_id, auto_retry=auto_retry))


def replies_stored(store: Store, thread_id: int) -> list[str]:
    return [m.remote_id for m in store.messages(thread_id) if m.direction is Direction.OUT]


# -- the happy path ----------------------------------------------------------------------------


def test_a_reply_waits_out_the_undo_window_then_goes_out_once(
    outbox: Outbox, store: Store, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    item = outbox.queue_reply(thread_id, GOOD, length_limit=500)
    assert item.state is OutboxState.QUEUED
    assert item.send_after == T0 + timedelta(seconds=10)
    assert store.thread(thread_id).assignee == "AB"  # sending claims the thread
    clock.advance(seconds=9)
    assert send_due(outbox) == [] and platform.attempts == []
    clock.advance(seconds=1)
    [outcome] = send_due(outbox)
    assert outcome.ok and outcome.item.remote_id == "post-1"
    sent = platform.attempts[0]
    assert sent.idempotency_key == item.idempotency_key
    assert (sent.in_reply_to, sent.root, sent.customer) == ("m1", "m1", "anna@social.example")
    assert sent.reply_to_extra["visibility"] == "public" and not sent.private
    thread = store.thread(thread_id)
    assert thread.state is ThreadState.REPLIED and thread.due_at is None
    [reply] = [m for m in store.messages(thread_id) if m.direction is Direction.OUT]
    assert (reply.remote_id, reply.agent, reply.text) == ("post-1", "AB", GOOD)
    assert reply.in_reply_to == "m1"
    event = store.events(thread_id)[-1]
    assert (event.kind, event.actor, event.detail) == ("replied", "AB", GOOD)
    assert send_due(outbox) == []  # nothing left


def test_the_customer_writing_again_reopens_on_next_response(
    outbox: Outbox, store: Store, config: Config, clock: FakeClock, thread_id: int
) -> None:
    outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    send_due(outbox)
    again = IncomingMessage(
        remote_id="m2",
        author="anna@social.example",
        text="nog steeds niets",
        created_at=T0 + timedelta(minutes=5),
        in_reply_to="post-1",
    )
    store.ingest("c1", "mastodon", [again], clock=config.clock(), seen_at=T0)
    thread = store.thread(thread_id)
    assert thread.state is ThreadState.OPEN
    assert thread.clock is not None and thread.clock.kind is ClockKind.NEXT


# -- checks, claims and overrides --------------------------------------------------------------


def test_a_blocking_finding_refuses_and_force_records_the_override(
    outbox: Outbox, store: Store, clock: FakeClock, thread_id: int
) -> None:
    with pytest.raises(DraftRefused) as refused:
        outbox.queue_reply(thread_id, RUDE, length_limit=500)
    codes = {f.code for f in refused.value.blocking}
    assert {"tone.defensive", "tone.lecturing"} <= codes or "tone.sarcasm" in codes
    assert store.outbox_items(thread_id) == []
    with pytest.raises(ReasonNeeded):
        outbox.queue_reply(thread_id, RUDE, length_limit=500, force=True, undo_seconds=0)
    item = outbox.queue_reply(
        thread_id, RUDE, length_limit=500, force=True, undo_seconds=0, reason="hun eigen woorden"
    )
    assert {o.code for o in item.override} == codes
    send_due(outbox)
    event = store.events(thread_id)[-1]
    assert event.kind == "replied" and "sent despite" in event.detail
    assert "reason: hun eigen woorden" in event.detail
    [reply] = [m for m in store.messages(thread_id) if m.direction is Direction.OUT]
    assert "override" in store.message_extra(reply.id)


def test_another_agents_thread_is_refused_naming_them_unless_forced(
    outbox: Outbox, store: Store, thread_id: int
) -> None:
    store.assign(thread_id, "MK", now=T0)
    with pytest.raises(ClaimedByOther) as refused:
        outbox.queue_reply(thread_id, GOOD, length_limit=500)
    assert refused.value.holder == "MK" and "MK" in str(refused.value)
    item = outbox.queue_reply(thread_id, GOOD, length_limit=500, force=True)
    assert store.thread(thread_id).assignee == "AB"
    assert any(e.detail == "taken over from MK" for e in store.events(thread_id))
    assert [o.code for o in item.override] == ["ownership"]


def test_someone_elses_reply_in_its_undo_window_counts_as_answered(
    store: Store, config: Config, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    colleague = make_outbox(store, replace(config, agent="MK"), platform, clock)
    opened_at = clock()
    clock.advance(seconds=5)
    colleague.queue_reply(thread_id, GOOD.replace("^AB", "^MK"), length_limit=500)
    store.save_draft(thread_id, "MK", "", now=clock())
    mine = make_outbox(store, config, platform, clock)
    review = mine.review(thread_id, GOOD, length_limit=500, opened_at=opened_at)
    assert [f.code for f in review.blocking] == ["ownership", "ownership"]
    assert any("MK answered" in f.message for f in review.findings)


def test_empty_and_unsendable_replies_are_refused_even_when_forced(
    outbox: Outbox, store: Store, config: Config, platform: FakePlatform, clock: FakeClock
) -> None:
    result = store.ingest(
        "c1",
        "mastodon",
        [IncomingMessage("x", "anna", "hoi", T0)],
        clock=config.clock(),
        seen_at=T0,
    )
    thread_id = result.new_threads[0]
    with pytest.raises(NothingToSend):
        outbox.queue_reply(thread_id, "@anna \n\n^AB", length_limit=500, force=True)
    feed = store.ingest(
        "news",
        "rss",
        [IncomingMessage("r", "blog", "review", T0)],
        clock=config.clock(),
        seen_at=T0,
    )
    news = ConnectorSettings("news", "rss", "rss", options=RssOptions(url="http://127.0.0.1:9/"))
    rss = replace(config, connectors=(*config.connectors, news))
    with pytest.raises(ChannelCannotSend, match="cannot send"):
        make_outbox(store, rss, platform, clock).queue_reply(
            feed.new_threads[0], GOOD, length_limit=0, force=True
        )


def test_hostile_and_huge_text_never_crash(outbox: Outbox, store: Store, thread_id: int) -> None:
    hostile = "@anna hoi \x1b]52;c;aGk=\x07[bold]x[/] \u202eevil ^AB"
    item = outbox.queue_reply(thread_id, hostile, length_limit=500, undo_seconds=0)
    assert "\x1b" not in item.text and "\u202e" not in item.text and "[bold]" in item.text
    huge = "@anna " + "heel lang verhaal " * 20_000 + "^AB"
    with pytest.raises(DraftRefused) as refused:
        outbox.queue_reply(thread_id, huge, length_limit=500)
    assert [f.code for f in refused.value.blocking] == ["length"]


# -- undo --------------------------------------------------------------------------------------


def test_undo_puts_the_text_back_into_the_draft_and_nothing_is_sent(
    outbox: Outbox, store: Store, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    store.save_draft(thread_id, "AB", GOOD, now=clock())
    item = outbox.queue_reply(thread_id, GOOD, length_limit=500)
    assert store.draft(thread_id, "AB") == ""  # the draft became the outbox item
    clock.advance(seconds=9)
    assert outbox.cancel(item.id).state is OutboxState.CANCELLED
    assert store.draft(thread_id, "AB") == GOOD
    clock.advance(seconds=60)
    assert send_due(outbox) == [] and platform.attempts == []
    assert store.thread(thread_id).state is ThreadState.OPEN


def test_undo_at_the_last_moment_either_wins_or_is_told_it_is_too_late(
    outbox: Outbox, store: Store, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    first = outbox.queue_reply(thread_id, GOOD, length_limit=500)
    clock.advance(seconds=10)  # the window is over, but nobody has claimed it yet: undo still wins
    outbox.cancel(first.id)
    assert send_due(outbox) == []
    second = outbox.queue_reply(thread_id, GOOD, length_limit=500)
    clock.advance(seconds=10)
    claimed = store.claim_reply(now=clock(), holder=outbox.holder, stale_before=LONG_AGO)
    assert claimed is not None and claimed.id == second.id
    with pytest.raises(OutboxTooLate, match="is being sent"):
        outbox.cancel(second.id)  # a send under way cannot be taken back
    assert store.draft(thread_id, "AB") == ""


def race_undo_against_claim(outbox: Outbox, item_id: int, now: datetime) -> tuple[bool, bool]:
    """Undo and claim one item from two threads at once: (undo won, claim won)."""
    results: dict[str, object] = {}
    start = threading.Barrier(2)

    def undo() -> None:
        start.wait()
        try:
            results["undo"] = outbox.cancel(item_id)
        except OutboxTooLate as error:
            results["undo"] = error

    def claim() -> None:
        start.wait()
        results["claim"] = outbox.store.claim_reply(now=now, holder="h:1", stale_before=LONG_AGO)

    threads = [threading.Thread(target=undo), threading.Thread(target=claim)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return not isinstance(results["undo"], OutboxTooLate), results["claim"] is not None


def test_undo_and_claim_racing_from_two_threads_never_both_win(
    outbox: Outbox, store: Store, clock: FakeClock, thread_id: int
) -> None:
    for _ in range(20):
        item = outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
        undone, claimed = race_undo_against_claim(outbox, item.id, clock())
        assert undone != claimed
        state = store.outbox_item(item.id).state
        assert state is (OutboxState.CANCELLED if undone else OutboxState.SENDING)
        if claimed:  # clear it away for the next round
            store.mark_reply_failed(item.id, holder="h:1", error="x", retry_at=None, now=T0)
            outbox.cancel(item.id)


# -- crashes between states --------------------------------------------------------------------


def test_a_claim_left_by_a_process_elsewhere_is_taken_over_once_stale(
    store: Store, config: Config, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    outbox = make_outbox(store, config, platform, clock)
    item = outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    assert (
        store.claim_reply(now=clock(), holder="elsewhere:4242", stale_before=LONG_AGO) is not None
    )
    store.close()
    # A restart: a new store and outbox on the same file.
    reopened = Store(store.path)
    restarted = make_outbox(reopened, config, platform, clock)
    assert send_due(restarted) == []  # it may still be sending over there
    clock.advance(seconds=121)
    [outcome] = send_due(restarted)
    assert outcome.ok and outcome.item.attempts == 2
    assert len(platform.posts) == 1 and platform.attempts[0].idempotency_key == item.idempotency_key
    assert len(replies_stored(reopened, thread_id)) == 1
    reopened.close()


def test_killed_after_the_post_went_out_sends_exactly_once_on_restart(
    store: Store, config: Config, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    outbox = make_outbox(store, config, platform, clock)
    item = outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    platform.fault_after_post.append(Killed())
    with pytest.raises(Killed):
        send_due(outbox)
    assert store.outbox_item(item.id).state is OutboxState.SENDING
    assert store.thread(thread_id).state is ThreadState.OPEN  # we never heard it went out
    store.close()
    reopened = Store(store.path)
    restarted = make_outbox(reopened, config, platform, clock, holder="other-host:1")
    clock.advance(seconds=121)
    [outcome] = send_due(restarted)
    assert outcome.ok
    keys = [a.idempotency_key for a in platform.attempts]
    assert keys == [item.idempotency_key] * 2  # tried twice, under one key...
    assert len(platform.posts) == 1  # ...so the platform posted once
    assert replies_stored(reopened, thread_id) == ["post-1"]
    assert [e.kind for e in reopened.events(thread_id)].count("replied") == 1
    reopened.close()


CLAIM_AND_DIE = """
import os, socket, sys
from datetime import datetime
from webcare_tui.store import Store
store = Store(sys.argv[1])
now = datetime.fromisoformat(sys.argv[2])
holder = f"{socket.gethostname()}:{os.getpid()}"
item = store.claim_reply(now=now, holder=holder, stale_before=now)
assert item is not None
os._exit(9)  # killed mid-send: no cleanup, no except, no finally
"""


def test_a_process_killed_mid_send_is_taken_over_at_once_on_the_same_host(
    store: Store, config: Config, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    outbox = make_outbox(store, config, platform, clock)
    item = outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    child = subprocess.run(
        [sys.executable, "-c", CLAIM_AND_DIE, str(store.path), clock().isoformat()], check=False
    )
    assert child.returncode == 9
    claimed = store.outbox_item(item.id)
    assert claimed.state is OutboxState.SENDING and claimed.claimed_by != outbox.holder
    assert process_is_dead(claimed.claimed_by or "")
    restarted = make_outbox(Store(store.path), config, platform, clock)
    [outcome] = send_due(restarted)  # no waiting: that process is gone
    assert outcome.ok and len(platform.posts) == 1
    assert len(replies_stored(store, thread_id)) == 1
    restarted.store.close()


def test_a_live_process_claim_is_left_alone() -> None:
    assert not process_is_dead(f"{socket.gethostname()}:{os.getpid()}")
    assert not process_is_dead("another-host:1")
    assert not process_is_dead("garbage")


# -- connector errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        TransientError("mastodon: social.example did not answer in time"),
        MalformedResponse("mastodon: POST /api/v1/statuses answered something that is not JSON"),
    ],
    ids=["timeout", "malformed"],
)
def test_a_temporary_failure_retries_by_itself_under_the_same_key(
    outbox: Outbox,
    store: Store,
    platform: FakePlatform,
    clock: FakeClock,
    thread_id: int,
    error: Exception,
) -> None:
    item = outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    platform.fault_after_post.append(error)  # worst case: it did go out
    [failed] = send_due(outbox)
    assert not failed.ok and failed.item.state is OutboxState.UNCONFIRMED
    assert failed.item.retry_at == T0 + retry_delay(1) and failed.error
    assert send_due(outbox) == []  # backing off
    clock.advance(seconds=retry_delay(1).total_seconds())
    [outcome] = send_due(outbox)
    assert outcome.ok and outcome.item.attempts == 2
    assert len(platform.posts) == 1
    assert {a.idempotency_key for a in platform.attempts} == {item.idempotency_key}
    assert replies_stored(store, thread_id) == ["post-1"]


def test_a_rate_limit_waits_as_long_as_the_platform_asks(
    outbox: Outbox, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    platform.faults.append(RateLimited("slow down", retry_at=T0 + timedelta(minutes=5)))
    [failed] = send_due(outbox)
    assert failed.item.retry_at == T0 + timedelta(minutes=5)
    clock.advance(seconds=299)
    assert send_due(outbox) == []
    clock.advance(seconds=1)
    assert send_due(outbox)[0].ok


@pytest.mark.parametrize(
    "error",
    [
        RequestRejected("mastodon: POST /api/v1/statuses answered 422 (Validation failed)"),
        AuthFailed("mastodon: POST /api/v1/statuses answered 401"),
    ],
    ids=["rejected", "auth"],
)
def test_a_refusal_waits_for_an_agent_and_a_retry_posts_once(
    outbox: Outbox,
    store: Store,
    platform: FakePlatform,
    clock: FakeClock,
    thread_id: int,
    error: Exception,
) -> None:
    item = outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    platform.faults.append(error)
    [failed] = send_due(outbox)
    assert failed.item.state is OutboxState.FAILED and failed.item.retry_at is None
    assert str(error) in (failed.item.last_error or "")
    assert store.events(thread_id)[-1].kind == "reply failed"
    clock.advance(seconds=3600)
    assert send_due(outbox) == []  # never by itself
    outbox.retry(item.id)
    assert send_due(outbox)[0].ok
    assert len(platform.posts) == 1


def test_the_cli_mode_leaves_a_rate_limit_to_an_agent_and_resolves_an_unknown_outcome(
    outbox: Outbox, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    item = outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    platform.faults.append(RateLimited("slow down"))
    [failed] = send_due(outbox, item_id=item.id, auto_retry=False)
    assert failed.item.state is OutboxState.FAILED and failed.item.retry_at is None
    outbox.retry(item.id)
    platform.faults.append(TransientError("down"))
    [unknown] = send_due(outbox, item_id=item.id, auto_retry=False)
    assert unknown.item.state is OutboxState.UNCONFIRMED and unknown.item.retry_at is not None
    assert platform.posts == {}
    clock.advance(seconds=3600)
    [outcome] = send_due(outbox)
    assert outcome.ok and len(platform.posts) == 1


def test_retries_stop_by_themselves_after_a_while(
    outbox: Outbox, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    platform.faults.extend(TransientError("down") for _ in range(20))
    for _ in range(20):
        send_due(outbox)
        clock.advance(seconds=3600)
    assert len(platform.attempts) == 8 and platform.posts == {}


def test_a_connector_bug_fails_the_item_instead_of_leaving_it_claimed(
    outbox: Outbox, platform: FakePlatform, thread_id: int
) -> None:
    outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    platform.faults.append(KeyError("uri"))
    [failed] = send_due(outbox)
    assert failed.item.state is OutboxState.FAILED and "KeyError" in (failed.error or "")


def test_claims_from_two_processes_never_take_one_item_twice(
    tmp_path: Path, config: Config, platform: FakePlatform, clock: FakeClock
) -> None:
    first = Store(tmp_path / "shared.db")
    message = IncomingMessage("m1", "anna", "hoi", T0 - timedelta(minutes=1))
    thread = first.ingest("c1", "mastodon", [message], clock=config.clock(), seen_at=T0)
    outbox = make_outbox(first, config, platform, clock)
    for _ in range(10):
        outbox.queue_reply(thread.new_threads[0], GOOD, length_limit=500, undo_seconds=0)
    stores = [first, Store(tmp_path / "shared.db")]
    claimed: list[int] = []

    def claim(store: Store, holder: str) -> None:
        while item := store.claim_reply(now=clock(), holder=holder, stale_before=LONG_AGO):
            claimed.append(item.id)

    workers = [threading.Thread(target=claim, args=(s, f"h:{n}")) for n, s in enumerate(stores)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(claimed) == list(range(1, 11))
    for s in stores:
        s.close()


@pytest.fixture(autouse=True)
def _no_agent_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("WEBCARE_AGENT", raising=False)
    yield
