"""The fast report and digest (lean reads, one pass) say exactly what the old ones said.

A seeded random store of a few hundred threads over a DST change, with replies by several
agents, escalations, tags, ignores and resolves, is reported three ways: the old computation
over the old per-thread read (`tests/core/report_before.py`), the new computation over that
read, and the new one over the lean read; every figure must agree, with and without `since`
and under a what-if. The digest's SQL counts must agree with counting in Python.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.core.report_before import old_report
from tests.core.test_report import TEAM
from webcare_tui.core.clock import ResponseClock, ResponseWindow
from webcare_tui.core.digest import build_digest
from webcare_tui.core.hours import parse_duration
from webcare_tui.core.model import Direction, IncomingMessage, ThreadState
from webcare_tui.core.report import build_report, report_of_rows
from webcare_tui.core.whatif import clock_under, parse_what_if
from webcare_tui.services.insights import digest, lexicon
from webcare_tui.store import Store

START = datetime(2026, 10, 15, 6, 0, tzinfo=UTC)  # ten days before the clocks go back
NOW = datetime(2026, 11, 6, 12, 30, 15, 250_000, tzinfo=UTC)
CHANNELS = ("mastodon", "bluesky", "forum")
AGENTS = ("AB", "MK", "JV", None)
TAGS = ("delivery", "billing", "website", "praise")
TEXTS = (
    "Where is my parcel?",
    "My parcel never arrived, this is unacceptable",
    "still not delivered!!",
    "Refunds please, the invoice is wrong",
    "DISAPPOINTED again",
    "hasn't arrived yet",
    "thanks, great service",
    "crypto giveaway, click here: not working",
    "lol",
    "Het pakket is nog steeds niet bezorgd",
    "werkt niet, klacht ingediend",
)
CLOCK = ResponseClock(
    "Europe/Amsterdam",
    [
        *TEAM.windows.values(),  # mon-fri 09:00-17:00, 60m, 4h, 1d
        ResponseWindow("bluesky", parse_duration("2h"), parse_duration("8h"), parse_duration("1d")),
    ],
    holidays=[datetime(2026, 10, 28).date()],
)


def generated_store(path: Path, seed: int, threads: int = 300) -> Store:
    rng = random.Random(seed)
    store = Store(path)
    roots: list[tuple[str, datetime]] = []
    for channel in CHANNELS:
        batch: list[IncomingMessage] = []
        for n in range(threads // len(CHANNELS)):
            root = f"{channel}-{n}"
            at = START + timedelta(seconds=rng.randrange(20 * 86400))
            batch.append(IncomingMessage(root, f"{root}@example", rng.choice(TEXTS), at))
            roots.append((root, at))
            for k in range(rng.randrange(5)):
                at += timedelta(seconds=rng.choice((30, 600, 3600, 5 * 3600, 2 * 86400)))
                ours = rng.random() < 0.55
                agent = rng.choice(AGENTS) if ours else None
                batch.append(
                    IncomingMessage(
                        f"{root}-{k}",
                        "brand" if ours else batch[-1].author,
                        rng.choice(TEXTS),
                        at,
                        Direction.OUT if ours else Direction.IN,
                        root,
                        extra={"agent": agent} if agent else {},
                    )
                )
        store.ingest(channel, channel, batch, clock=CLOCK, seen_at=NOW)
    for thread_id, created in store.conn.execute("SELECT id, created_at FROM threads"):
        at = datetime.fromisoformat(created)
        if rng.random() < 0.5:
            store.tag(thread_id, rng.sample(TAGS, rng.randrange(1, 3)), actor="AB", now=at)
        if rng.random() < 0.4:
            store.assign(thread_id, str(rng.choice(AGENTS[:3])), now=at, force=True)
        roll = rng.random()
        later = at + timedelta(minutes=rng.randrange(1, 3000))
        if roll < 0.2:
            for _ in range(rng.randrange(1, 3)):
                target = rng.choice(("phone", "dm", "team:legal"))
                store.escalate(thread_id, target, actor="AB", now=later, clock=CLOCK)
                later += timedelta(hours=rng.randrange(1, 30))
        elif roll < 0.3:
            reason = rng.choice(("spam", "thanks", "", "no-question"))
            store.set_state(thread_id, ThreadState.IGNORED, actor="AB", now=later, reason=reason)
        elif roll < 0.4:
            store.set_state(thread_id, ThreadState.RESOLVED, actor="AB", now=later)
    return store


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_fast_report_says_what_the_old_one_said(tmp_path: Path, seed: int) -> None:
    store = generated_store(tmp_path / "generated.db", seed)
    histories = list(store.histories())
    lenient = clock_under(CLOCK, parse_what_if(["first_response=2h", "hours=always"]))
    since = datetime(2026, 10, 26, 10, 15, 30, 500_000, tzinfo=UTC)
    for clock in (CLOCK, lenient):
        for start in (None, since):
            old = old_report(histories, clock, NOW, start)
            assert build_report(histories, clock, NOW, start) == old
            assert report_of_rows(store.report_rows(start), clock, NOW, start) == old
    whole = old_report(histories, CLOCK, NOW)
    # The generated history exercises every part of the report.
    assert whole.whole.first_response.count and whole.whole.next_response.count
    assert whole.whole.overdue_now and whole.follow_up.count and whole.ignored
    assert len(whole.by_agent) > 2 and len(whole.by_tag) == len(TAGS)
    store.close()


@pytest.mark.parametrize("seed", [1, 2])
def test_the_fast_digest_says_what_the_old_one_said(tmp_path: Path, seed: int) -> None:
    store = generated_store(tmp_path / "generated.db", seed)
    since = NOW - timedelta(days=7)
    old = build_digest(
        store.customer_messages(since - (NOW - since)), lexicon(), since=since, until=NOW
    )
    assert digest(store, since=since, until=NOW) == old
    assert "### " in old  # it quotes complaints
    store.close()


_WORDS = st.sampled_from(
    ["never", "arrived", "still", "not", "hasn't", "refund", "refunds", "disappoint", "crypto",
     "Nog", "steeds", "niet", "klacht", "werkt", "no", "answer", "'", "-", " ", "\n", "İ", "é"]
)  # fmt: skip


@given(st.lists(st.one_of(_WORDS, st.text(max_size=4)), max_size=12).map(" ".join))
def test_the_complaint_cue_misses_no_complaint(text: str) -> None:
    words = lexicon()
    if words.intent(text) == "complaint":
        assert words.cue("complaint").search(text.lower())
