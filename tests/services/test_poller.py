"""The poller's rules, with scripted connectors, a real Store on a temp file and a clock that
only moves when the test says so."""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
from datetime import timedelta
from typing import Any

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.connectors import ScriptedConnector, batch, mention
from webcare_tui.connectors.base import (
    AuthFailed,
    ConnectorError,
    MalformedResponse,
    RateLimited,
    TransientError,
)
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import Direction
from webcare_tui.core.timeutil import from_db
from webcare_tui.services.poll_outcome import (
    AUTH_BACKOFF,
    MAX_BACKOFF,
    MAX_RETRY_WAIT,
    PollOutcome,
    backoff_delay,
)
from webcare_tui.services.poller import Poller
from webcare_tui.store import Store

SECRET = "tok-9f8e7d6c5b4a"


def health(store: Store) -> dict[str, dict[str, Any]]:
    return {str(row["name"]): row for row in store.health()}


def remote_ids(store: Store, connector: str) -> list[str]:
    rows = store.conn.execute(
        "SELECT remote_id FROM messages WHERE connector = ? ORDER BY remote_id", (connector,)
    )
    return [r[0] for r in rows]


def make_poller(
    store: Store, clock: FakeClock, response_clock: ResponseClock, *connectors: Any, **kw: Any
) -> Poller:
    kw.setdefault("rng", random.Random(1))
    return Poller(
        store, {c.name: c for c in connectors}, response_clock, now=clock, holder="me", **kw
    )


# -- one broken connector never stops the others ----------------------------------------------


async def test_one_broken_connector_never_stops_the_others(
    store: Store, clock: FakeClock, response_clock: ResponseClock, caplog: pytest.LogCaptureFixture
) -> None:
    t = clock()
    good = ScriptedConnector("good", batch(mention("g1", t), mention("g2", t), cursor="g2"))
    buggy = ScriptedConnector("buggy", KeyError("status"))  # a bug, not a ConnectorError
    down = ScriptedConnector("down", TransientError("down: server answered 503"))
    seen: list[PollOutcome] = []
    poller = make_poller(store, clock, response_clock, good, buggy, down, on_outcome=seen.append)

    outcomes = {o.connector: o for o in await poller.run_once()}

    assert outcomes["good"].ok and outcomes["good"].new_messages == 2
    assert remote_ids(store, "good") == ["g1", "g2"]
    assert not outcomes["buggy"].ok and outcomes["buggy"].error == "unexpected KeyError: 'status'"
    assert not outcomes["down"].ok
    assert {o.connector for o in seen} == {"good", "buggy", "down"}
    rows = health(store)
    assert rows["good"]["status"] == "ok" and rows["good"]["backoff_until"] is None
    assert rows["buggy"]["status"] == "backing off"
    assert rows["buggy"]["last_error"] == "unexpected KeyError: 'status'"
    assert rows["down"]["status"] == "backing off"
    assert rows["down"]["last_error"] == "down: server answered 503"
    # The bug is logged with its traceback, for whoever has to fix it.
    assert any(
        "Traceback" in r.getMessage() and "KeyError" in r.getMessage() for r in caplog.records
    )


async def test_a_bug_that_quotes_a_secret_never_shows_it(
    store: Store, clock: FakeClock, response_clock: ResponseClock, caplog: pytest.LogCaptureFixture
) -> None:
    leaky = ScriptedConnector(
        "leaky",
        ValueError(f"cannot parse header Authorization: Bearer {SECRET}"),
        token_env="LEAKY_TOKEN",
        environ={"LEAKY_TOKEN": SECRET},
    )
    [outcome] = await make_poller(store, clock, response_clock, leaky).run_once()
    assert outcome.error is not None and "Bearer ***" in outcome.error
    assert SECRET not in str(health(store)["leaky"])
    assert SECRET not in caplog.text
    assert "Bearer ***" in caplog.text


async def test_failures_of_the_store_or_a_listener_do_not_escape(
    store: Store,
    clock: FakeClock,
    response_clock: ResponseClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_listener(outcome: PollOutcome) -> None:
        raise RuntimeError("listener bug")

    def locked(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "record_health", locked)
    fine = ScriptedConnector("fine", batch(mention("m1", clock()), cursor="m1"))
    poller = make_poller(store, clock, response_clock, fine, on_outcome=broken_listener)
    [outcome] = await poller.run_once()
    assert outcome.ok and remote_ids(store, "fine") == ["m1"]


# -- back-off ---------------------------------------------------------------------------------


class Fixed(random.Random):
    """A "random" source that always answers the same, to pin the jitter to its extremes."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


def test_backoff_doubles_within_jitter_and_is_capped() -> None:
    every = timedelta(seconds=30)
    lowest = [backoff_delay(n, every, Fixed(0.0)) for n in range(1, 9)]
    highest = [backoff_delay(n, every, Fixed(0.999999)) for n in range(1, 9)]
    # The first retry waits one to two intervals, then the window doubles each time...
    assert lowest[:4] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert [round(h.total_seconds()) for h in highest[:4]] == [60, 120, 240, 480]
    # ...until the cap, which jitter never exceeds.
    assert max(highest) <= MAX_BACKOFF and highest[-1] > MAX_BACKOFF * 0.99
    assert lowest[-1] == MAX_BACKOFF / 2
    # A connector polled rarely is never retried more often than it is polled.
    hourly = timedelta(hours=1)
    assert backoff_delay(1, hourly, Fixed(0.0)) == hourly


async def test_a_failing_connector_backs_off_with_jitter_and_recovers(
    store: Store, clock: FakeClock, response_clock: ResponseClock
) -> None:
    t0 = clock()
    failing = [TransientError("flaky: 502") for _ in range(4)]
    flaky = ScriptedConnector("flaky", *failing, batch(mention("f1", t0), cursor="f1"), every=30)
    poller = make_poller(store, clock, response_clock, flaky, rng=random.Random(5))
    waits = []
    for _ in range(4):
        assert await poller.step()
        await poller.settle()
        until = from_db(str(health(store)["flaky"]["backoff_until"]))
        waits.append(until - clock())
        clock.at = until - timedelta(seconds=1)
        await poller.step()  # not yet: no fetch before the back-off ends
        await poller.settle()
        clock.at = until
    assert flaky.fetches == 4
    assert all(w >= timedelta(seconds=30) for w in waits)
    assert waits == sorted(waits) and waits[-1] > waits[0] * 2  # it grows
    await poller.step()
    await poller.settle()
    row = health(store)["flaky"]
    assert row["status"] == "ok" and row["backoff_until"] is None and row["failures"] == 0
    assert row["last_error"] == "flaky: 502"  # the last error stays readable after recovery
    assert remote_ids(store, "flaky") == ["f1"]

    # Jitter: another process's back-off for the same failure is not in lockstep.
    other_store = Store(store.path.with_name("other.db"))
    try:
        twin = ScriptedConnector("flaky", TransientError("flaky: 502"), every=30)
        await make_poller(other_store, FakeClock(t0), response_clock, twin).run_once()
        first_wait = from_db(str(health(other_store)["flaky"]["backoff_until"])) - t0
        assert first_wait != waits[0]
    finally:
        other_store.close()


@pytest.mark.parametrize(
    "wait", [timedelta(seconds=120), timedelta(hours=5)], ids=["retry-after", "absurd-reset"]
)
async def test_a_rate_limit_is_honoured_until_the_server_says(
    store: Store, clock: FakeClock, response_clock: ResponseClock, wait: timedelta
) -> None:
    t0 = clock()
    limited = ScriptedConnector(
        "limited",
        RateLimited("limited: answered 429", retry_at=t0 + wait),
        batch(mention("l1", t0), cursor="l1"),
        every=10,
    )
    poller = make_poller(store, clock, response_clock, limited)
    await poller.step()
    await poller.settle()
    row = health(store)["limited"]
    expected = t0 + min(wait, MAX_RETRY_WAIT)  # a reset five hours out is not believed
    assert row["status"] == "rate limited"
    assert from_db(str(row["backoff_until"])) == expected
    clock.at = expected - timedelta(seconds=1)
    await poller.step()
    await poller.settle()
    assert limited.fetches == 1
    clock.at = expected
    await poller.step()
    await poller.settle()
    assert limited.fetches == 2 and remote_ids(store, "limited") == ["l1"]


async def test_refused_credentials_back_off_for_long(
    store: Store, clock: FakeClock, response_clock: ResponseClock
) -> None:
    t0 = clock()
    locked_out = ScriptedConnector("locked", AuthFailed("locked: answered 401"), every=10)
    poller = make_poller(store, clock, response_clock, locked_out)
    await poller.step()
    await poller.settle()
    row = health(store)["locked"]
    assert row["status"] == "auth failed"
    assert from_db(str(row["backoff_until"])) == t0 + AUTH_BACKOFF
    for _ in range(59):
        clock.advance(minutes=1)
        await poller.step()
        await poller.settle()
    assert locked_out.fetches == 1  # not 350 tries of a password that is wrong


# -- scheduling -------------------------------------------------------------------------------


async def test_each_connector_runs_on_its_own_interval(
    store: Store, clock: FakeClock, response_clock: ResponseClock
) -> None:
    fast = ScriptedConnector("fast", every=10)
    slow = ScriptedConnector("slow", every=60)
    poller = make_poller(store, clock, response_clock, fast, slow)
    for _ in range(13):  # two minutes, a tick every ten seconds
        await poller.step()
        await poller.settle()
        clock.advance(seconds=10)
    assert (fast.fetches, slow.fetches) == (13, 3)


async def test_a_hanging_connector_holds_up_neither_the_others_nor_the_lease(
    store: Store, clock: FakeClock, response_clock: ResponseClock
) -> None:
    let_go = asyncio.Event()
    stuck = ScriptedConnector("stuck", let_go, every=10)
    fast = ScriptedConnector("fast", every=10)
    fast_done = asyncio.Event()

    def on_outcome(outcome: PollOutcome) -> None:
        if outcome.connector == "fast":
            fast_done.set()

    poller = make_poller(store, clock, response_clock, stuck, fast, on_outcome=on_outcome)
    expiries = []
    for _ in range(6):
        assert await poller.step()
        await asyncio.wait_for(fast_done.wait(), 60)  # a safety net, not a timing assertion
        fast_done.clear()
        assert poller.busy() == {"stuck"}
        expiries.append(store.lease("poller"))
        clock.advance(seconds=10)
    assert fast.fetches == 6 and stuck.fetches == 1  # one hung fetch is not started twice
    assert len({str(e) for e in expiries}) == 6  # renewed every tick meanwhile
    let_go.set()
    await poller.settle()


async def test_a_fetch_that_never_ends_is_given_up_and_retried(
    store: Store, clock: FakeClock, response_clock: ResponseClock
) -> None:
    # A server dripping one byte at a time never trips a read timeout; the poller's own
    # deadline does. (A short one here, like the connector tests' short client timeouts.)
    never = asyncio.Event()
    drip = ScriptedConnector("drip", never, batch(mention("d1", clock()), cursor="d1"))
    deadline = timedelta(seconds=0.05)
    poller = make_poller(store, clock, response_clock, drip, fetch_deadline=deadline)
    [outcome] = await poller.run_once()
    assert not outcome.ok and outcome.status == "backing off"
    assert outcome.error == "drip: fetching took longer than 0.05 s; gave up for now"
    poller.fetch_deadline = timedelta(minutes=10)
    [outcome] = await poller.run_once()
    assert outcome.ok and remote_ids(store, "drip") == ["d1"]


async def test_an_unreadable_answer_is_backed_off_like_an_outage(
    store: Store, clock: FakeClock, response_clock: ResponseClock
) -> None:
    odd = ScriptedConnector("odd", MalformedResponse("odd: answered something that is not JSON"))
    [outcome] = await make_poller(store, clock, response_clock, odd).run_once()
    assert outcome.status == "backing off" and outcome.retry_at is not None
    assert health(store)["odd"]["last_error"] == "odd: answered something that is not JSON"


# -- the cursor advances only with its batch --------------------------------------------------


async def test_a_crash_between_fetch_and_store_refetches_from_the_old_cursor(
    store: Store,
    clock: FakeClock,
    response_clock: ResponseClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    t = clock()
    second = batch(mention("m2", t), mention("m3", t), cursor="c3")
    feed = ScriptedConnector("feed", batch(mention("m1", t), cursor="c1"), second, second)
    poller = make_poller(store, clock, response_clock, feed)
    await poller.run_once()
    assert store.cursor("feed") == "c1"

    real_ingest = store.ingest

    def crash_once(connector: str, channel: str, messages: list[Any], **kwargs: Any) -> Any:
        if not messages:
            return real_ingest(connector, channel, messages, **kwargs)
        monkeypatch.setattr(store, "ingest", real_ingest)
        raise sqlite3.OperationalError("disk I/O error")  # the process "dies" here

    monkeypatch.setattr(store, "ingest", crash_once)
    [failed] = await poller.run_once()
    assert not failed.ok and failed.error == "unexpected OperationalError: disk I/O error"
    assert store.cursor("feed") == "c1" and remote_ids(store, "feed") == ["m1"]

    [again] = await poller.run_once()
    assert feed.cursors == [None, "c1", "c1"]  # fetched again from where the store stands
    assert again.ok and again.new_messages == 2
    assert store.cursor("feed") == "c3" and remote_ids(store, "feed") == ["m1", "m2", "m3"]


async def test_a_fetch_without_a_cursor_keeps_the_stored_one(
    store: Store, clock: FakeClock, response_clock: ResponseClock
) -> None:
    feed = ScriptedConnector("feed", batch(mention("m1", clock()), cursor="c1"), batch())
    poller = make_poller(store, clock, response_clock, feed)
    await poller.run_once()
    await poller.run_once()
    assert store.cursor("feed") == "c1"


# -- what needs attention ---------------------------------------------------------------------


async def test_the_outcome_counts_new_and_reopened_threads(
    store: Store, clock: FakeClock, response_clock: ResponseClock
) -> None:
    t = clock()
    # Before: one thread we answered, one still open (waiting for us).
    store.ingest(
        "social",
        "mastodon",
        [
            mention("a1", t - timedelta(hours=2)),
            mention("a2", t - timedelta(hours=1), in_reply_to="a1", direction=Direction.OUT),
            mention("b1", t - timedelta(hours=1), author="other@x.example"),
        ],
        clock=response_clock,
        seen_at=t - timedelta(hours=1),
        cursor="b1",
    )
    social = ScriptedConnector(
        "social",
        batch(
            mention("a3", t, in_reply_to="a2"),  # the customer writes again after our reply
            mention("b2", t, author="other@x.example", in_reply_to="b1"),  # still waiting
            mention("c1", t, author="new@x.example"),  # someone new
            cursor="c1",
        ),
        batch(cursor="c1"),
    )
    outcomes: list[PollOutcome] = []
    poller = make_poller(store, clock, response_clock, social, on_outcome=outcomes.append)
    await poller.run_once()
    [outcome] = outcomes
    assert (outcome.new_messages, outcome.new_threads, outcome.reopened_threads) == (3, 1, 1)
    assert outcome.needs_attention == 2
    clock.advance(minutes=1)
    await poller.run_once()
    assert outcomes[-1].needs_attention == 0  # nothing new: nothing to notify


# -- running and stopping ---------------------------------------------------------------------


async def test_run_polls_until_stopped_then_releases_the_lease(
    store: Store, clock: FakeClock, response_clock: ResponseClock
) -> None:
    stop = asyncio.Event()
    a = ScriptedConnector("a", batch(mention("a1", clock()), cursor="a1"))
    b = ScriptedConnector("b", ConnectorError("b: no base_url configured"))
    reported: list[str] = []

    def on_outcome(outcome: PollOutcome) -> None:
        reported.append(outcome.connector)
        assert store.lease("poller") is not None  # polling happens under the lease
        if len(reported) == 2:
            stop.set()

    poller = make_poller(store, clock, response_clock, a, b, on_outcome=on_outcome)
    await poller.run(stop)
    assert sorted(reported) == ["a", "b"]
    assert store.lease("poller") is None  # a successor need not wait for it to expire
    assert remote_ids(store, "a") == ["a1"]


async def test_a_cancelled_poller_still_releases_the_lease(
    store: Store, clock: FakeClock, response_clock: ResponseClock
) -> None:
    let_go = asyncio.Event()  # never set: the fetch is under way when the app quits
    started = asyncio.Event()

    class Hanging(ScriptedConnector):
        async def fetch(self, cursor: str | None) -> Any:
            started.set()
            return await super().fetch(cursor)

    poller = make_poller(store, clock, response_clock, Hanging("h", let_go))
    task = asyncio.create_task(poller.run(asyncio.Event()))
    await started.wait()
    assert store.lease("poller") is not None
    task.cancel()  # what Textual does to the worker when the TUI exits
    with pytest.raises(asyncio.CancelledError):
        await task
    assert store.lease("poller") is None


async def test_warnings_are_recorded_but_count_as_a_success(
    store: Store, clock: FakeClock, response_clock: ResponseClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    result = batch(mention("w1", clock()), cursor="w1")
    result.warnings.append("skipped notification 7: no account")
    [outcome] = await make_poller(
        store, clock, response_clock, ScriptedConnector("w", result)
    ).run_once()
    assert outcome.ok and outcome.status == "warning"
    row = health(store)["w"]
    assert row["status"] == "warning" and row["last_error"] == "skipped notification 7: no account"
    assert row["last_success_at"] is not None
