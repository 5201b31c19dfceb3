# ruff: noqa: F811  (the outbox fixtures, imported from test_outbox, are named as arguments)
"""An unknown outcome resolved by the connector, and a reply sent at once that never answers a
customer twice: resumed under its own key, or refused while the thread is being answered."""

from __future__ import annotations

import asyncio

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.sending import SETTINGS, FakePlatform, KeylessConnector, KeylessPlatform
from tests.services.test_outbox import (  # noqa: F401 (fixtures shared with the outbox tests)
    GOOD,
    RUDE,
    T0,
    _no_agent_env,
    config,
    make_outbox,
    outbox,
    platform,
    replies_stored,
    thread_id,
)
from webcare_tui.config import Config
from webcare_tui.connectors.base import TransientError
from webcare_tui.core.outbox import OutboxState
from webcare_tui.services.outbox import (
    AlreadyAnswered,
    BeingAnswered,
    Outbox,
    ReasonNeeded,
    SendOutcome,
)
from webcare_tui.store import Store


@pytest.fixture
def keyless() -> KeylessPlatform:
    return KeylessPlatform()


@pytest.fixture
def keyless_outbox(
    store: Store, config: Config, keyless: KeylessPlatform, clock: FakeClock
) -> Outbox:
    connector = KeylessConnector(SETTINGS, keyless)
    return Outbox(store, config, now=clock, connectors={"c1": connector})


def send_due(outbox: Outbox) -> list[SendOutcome]:
    return asyncio.run(outbox.send_due())


def test_a_lost_answer_on_a_keyless_platform_is_looked_for_and_not_posted_again(
    keyless_outbox: Outbox, keyless: KeylessPlatform, store: Store, clock: FakeClock, thread_id: int
) -> None:
    keyless_outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    keyless.fault_after_post.append(TransientError("connection dropped"))
    [unknown] = send_due(keyless_outbox)
    assert unknown.item.state is OutboxState.UNCONFIRMED and keyless.looks == 0
    clock.advance(seconds=3600)
    [outcome] = send_due(keyless_outbox)
    assert outcome.ok and outcome.item.remote_id == "comment-1"
    assert len(keyless.posts) == 1 and keyless.looks == 1
    assert replies_stored(store, thread_id) == ["comment-1"]


def test_a_keyless_send_that_never_arrived_is_looked_for_then_sent(
    keyless_outbox: Outbox, keyless: KeylessPlatform, clock: FakeClock, thread_id: int
) -> None:
    keyless_outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=0)
    keyless.faults.append(TransientError("timed out before the server read it"))
    send_due(keyless_outbox)
    clock.advance(seconds=3600)
    [outcome] = send_due(keyless_outbox)
    assert outcome.ok and len(keyless.posts) == 1 and keyless.looks == 1


def test_within_one_command_the_lost_answer_is_looked_for_after_a_pause(
    keyless_outbox: Outbox, keyless: KeylessPlatform, thread_id: int
) -> None:
    start = keyless_outbox.reply_now(thread_id, GOOD, length_limit=500)
    keyless.fault_after_post.append(TransientError("connection dropped"))
    outcome = asyncio.run(keyless_outbox.send_claimed(start.item, pauses=(0.0,)))
    assert outcome.ok and len(keyless.posts) == 1 and keyless.looks == 1
    assert outcome.item.attempts == 2


def test_a_second_reply_resumes_the_unconfirmed_one_under_its_key(
    outbox: Outbox, platform: FakePlatform, store: Store, thread_id: int
) -> None:
    first = outbox.reply_now(thread_id, GOOD, length_limit=500)
    platform.fault_after_post.append(TransientError("connection dropped"))
    lost = asyncio.run(outbox.send_claimed(first.item, pauses=()))
    assert lost.item.state is OutboxState.UNCONFIRMED
    again = outbox.reply_now(thread_id, "Iets heel anders. ^AB", length_limit=500)
    assert again.resumed and again.item.id == first.item.id
    assert again.item.idempotency_key == first.item.idempotency_key
    assert asyncio.run(outbox.send_claimed(again.item, pauses=())).ok
    assert len(platform.posts) == 1 and replies_stored(store, thread_id) == ["post-1"]


def test_a_thread_being_answered_by_a_live_process_is_refused_unless_forced(
    store: Store, config: Config, platform: FakePlatform, clock: FakeClock, thread_id: int
) -> None:
    one = make_outbox(store, config, platform, clock, holder="here:1")
    two = make_outbox(store, config, platform, clock, holder="here:2")
    first = one.reply_now(thread_id, GOOD, length_limit=500)
    with pytest.raises(BeingAnswered, match=f"reply {first.item.id} by AB is sending"):
        two.reply_now(thread_id, GOOD, length_limit=500)
    assert asyncio.run(one.send_claimed(first.item, pauses=())).ok
    with pytest.raises(AlreadyAnswered, match="already answered"):
        two.reply_now(thread_id, GOOD, length_limit=500)
    again = two.reply_now(thread_id, "Nog iets: het komt morgen. ^AB", length_limit=500, force=True)
    assert not again.resumed and again.item.id != first.item.id


def test_forcing_past_a_blocking_check_takes_a_reason_and_keeps_it(
    outbox: Outbox, store: Store, thread_id: int
) -> None:
    with pytest.raises(ReasonNeeded, match="needs a reason"):
        outbox.reply_now(thread_id, RUDE, length_limit=500, force=True)
    with pytest.raises(ReasonNeeded):
        outbox.reply_now(thread_id, RUDE, length_limit=500, force=True, reason="   ")
    start = outbox.reply_now(thread_id, RUDE, length_limit=500, force=True, reason="hun woorden")
    assert start.item.reason == "hun woorden" and start.item.override
    assert asyncio.run(outbox.send_claimed(start.item, pauses=())).ok
    assert "reason: hun woorden" in store.events(thread_id)[-1].detail
    assert start.item.created_at >= T0


async def test_the_headless_poller_sends_what_is_due_while_it_holds_the_lease(
    outbox: Outbox, platform: FakePlatform, store: Store, clock: FakeClock, thread_id: int
) -> None:
    from webcare_tui.services.poller import Poller

    outbox.queue_reply(thread_id, GOOD, length_limit=500, undo_seconds=10)
    poller = Poller(store, outbox.connectors, outbox.config.clock(), now=clock, outbox=outbox)
    assert await poller.step() and platform.posts == {}
    await poller.settle()
    assert platform.posts == {}  # still in its undo window
    clock.advance(seconds=10)
    await poller.step()
    await poller.settle()
    assert len(platform.posts) == 1 and replies_stored(store, thread_id) == ["post-1"]
    await poller.release()
