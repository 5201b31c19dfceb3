"""One process polls a database at a time: two pollers (two "processes", each with its own
Store connection) on one database file, with a clock the test moves."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.clock import FakeClock
from tests.fakes.connectors import ScriptedConnector
from webcare_tui.connectors.base import RateLimited
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.timeutil import from_db
from webcare_tui.services.poller import Poller
from webcare_tui.store import Store

EVERY = 30  # seconds: the interval of every connector here


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    path = tmp_path / "shared.db"
    first, second = Store(path), Store(path)
    yield first, second
    first.close()
    second.close()


def agent(
    holder: str, store: Store, clock: FakeClock, response_clock: ResponseClock, *script: Any
) -> tuple[Poller, ScriptedConnector]:
    connector = ScriptedConnector("social", *script, every=EVERY)
    poller = Poller(
        store,
        {"social": connector},
        response_clock,
        now=clock,
        holder=holder,
        rng=random.Random(holder),
    )
    return poller, connector


async def tick(*pollers: Poller) -> list[bool]:
    held = [await p.step() for p in pollers]
    for p in pollers:
        await p.settle()
    return held


async def test_only_one_of_two_pollers_polls(
    stores: tuple[Store, Store], clock: FakeClock, response_clock: ResponseClock
) -> None:
    a, a_conn = agent("laptop-a:1", stores[0], clock, response_clock)
    b, b_conn = agent("laptop-b:2", stores[1], clock, response_clock)
    for _ in range(20):  # ten minutes, a tick every 30 s
        assert await tick(a, b) == [True, False]
        clock.advance(seconds=EVERY)
    assert a_conn.fetches == 20 and b_conn.fetches == 0
    lease = stores[1].lease("poller")
    assert lease is not None and lease["holder"] == "laptop-a:1"


async def test_the_holder_renews_its_lease_while_it_runs(
    stores: tuple[Store, Store], clock: FakeClock, response_clock: ResponseClock
) -> None:
    a, _ = agent("a", stores[0], clock, response_clock)
    b, _ = agent("b", stores[1], clock, response_clock)
    expiries = []
    for _ in range(60):  # a minute in one-second ticks: many times the lease's lifetime
        assert await tick(a, b) == [True, False]
        expiries.append(stores[0].lease("poller"))
        clock.advance(seconds=1)
    ends = [from_db(str(e["expires_at"])) for e in expiries if e]
    assert len(ends) == 60 and ends == sorted(ends) and ends[-1] > ends[0]


async def test_a_dead_holder_is_taken_over_within_one_interval(
    stores: tuple[Store, Store], clock: FakeClock, response_clock: ResponseClock
) -> None:
    a, a_conn = agent("a", stores[0], clock, response_clock)
    b, b_conn = agent("b", stores[1], clock, response_clock)
    assert await tick(a, b) == [True, False]
    died_at = clock()
    # `a` dies: it is simply never run again. `b` keeps trying every second.
    taken_after = polled_after = None
    for second in range(1, 3 * EVERY):
        clock.at = died_at + timedelta(seconds=second)
        if await b.step() and taken_after is None:
            taken_after = second
        await b.settle()
        if b_conn.fetches and polled_after is None:
            polled_after = second
    assert taken_after is not None and 1 < taken_after <= EVERY
    # ...and polls when `a` would have polled next: the schedule carries on without a gap.
    assert polled_after == EVERY
    assert a_conn.fetches == 1
    lease = stores[0].lease("poller")
    assert lease is not None and lease["holder"] == "b"

    # Should `a` wake up again (a laptop lid opened), it finds the lease gone and stays quiet.
    for _ in range(EVERY):
        clock.advance(seconds=1)
        assert await tick(a, b) == [False, True]
    assert a_conn.fetches == 1 and b_conn.fetches > 1


async def test_a_clean_stop_hands_over_at_once(
    stores: tuple[Store, Store], clock: FakeClock, response_clock: ResponseClock
) -> None:
    stop = asyncio.Event()
    a, _ = agent("a", stores[0], clock, response_clock)
    a.on_outcome = lambda outcome: stop.set()
    b, b_conn = agent("b", stores[1], clock, response_clock)
    await a.run(stop)  # polls once, is told to stop, releases
    assert stores[1].lease("poller") is None
    assert await tick(b) == [True]  # same instant: no waiting for an expiry
    clock.advance(seconds=EVERY)
    await tick(b)
    assert b_conn.fetches == 1


async def test_the_successor_keeps_its_predecessors_back_off(
    stores: tuple[Store, Store], clock: FakeClock, response_clock: ResponseClock
) -> None:
    t0 = clock()
    limited = RateLimited("social: answered 429", retry_at=t0 + timedelta(minutes=5))
    a, _ = agent("a", stores[0], clock, response_clock, limited)
    b, b_conn = agent("b", stores[1], clock, response_clock)
    await tick(a)
    await a.release()  # `a` goes away while the platform still wants us to wait
    clock.advance(seconds=1)
    assert await tick(b) == [True]
    clock.at = t0 + timedelta(minutes=5) - timedelta(seconds=1)
    await tick(b)
    assert b_conn.fetches == 0  # the rate limit is the platform's, whoever asks
    clock.at = t0 + timedelta(minutes=5)
    await tick(b)
    assert b_conn.fetches == 1


async def test_the_successor_does_not_repoll_what_was_just_polled(
    stores: tuple[Store, Store], clock: FakeClock, response_clock: ResponseClock
) -> None:
    a, _ = agent("a", stores[0], clock, response_clock)
    b, b_conn = agent("b", stores[1], clock, response_clock)
    await tick(a)
    await a.release()
    clock.advance(seconds=10)
    assert await tick(b) == [True]
    assert b_conn.fetches == 0  # `a` polled 10 s ago; the interval is 30 s
    clock.advance(seconds=20)
    await tick(b)
    assert b_conn.fetches == 1
