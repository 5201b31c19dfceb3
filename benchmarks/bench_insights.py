"""Figures for search, filters, priority and the report at scale:
`python benchmarks/bench_insights.py [--threads N]` (100k threads by default).

Prints:
- the import through the Store (with full-text indexing) against raw sqlite3 inserts of the
  same rows into one table, and the same import without the indexing, so the cost of
  full-text search shows on its own (target: the Store at most 8x the raw time);
- full-text search (`webcare search`), typed-as-you-go prefixes, and the feed filtered by the
  query language (count and first page);
- priority and tags for one feed page (`threads --json` reads them for every listed thread);
- the whole report from stored history (read, then computed), and again under a what-if;
- the digest of the last 7 days.
`--db PATH` keeps the store and reuses it, so a second run measures only the reads.
Nothing here is asserted: these are measurements, not tests.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_inbox import NOW, WORDS, bench_import, mentions

from webcare_tui.config import demo_config
from webcare_tui.core.model import Direction, IncomingMessage
from webcare_tui.core.query import parse_query
from webcare_tui.core.report import report_of_rows
from webcare_tui.core.whatif import clock_under, parse_what_if
from webcare_tui.services.insights import digest, lexicon, thread_insights
from webcare_tui.store import Store
from webcare_tui.store.base import FeedFilter
from webcare_tui.store.search import thread_where

TAGS = ("delivery", "billing", "product-defect", "website", "praise")


def timed(
    action: Callable[[], object], runs: int = 5, clock: Callable[[], float] = time.perf_counter
) -> tuple[float, object]:
    """Median milliseconds of `runs` calls (by `clock`: wall time unless told), and the last
    result."""
    times, result = [], None
    for _ in range(runs):
        start = clock()
        result = action()
        times.append((clock() - start) * 1000)
    return statistics.median(times), result


def vocabulary(seed: int = 5, size: int = 4000) -> tuple[list[str], list[float]]:
    """Made-up words with Zipf weights (the n-th word 1/n as often), the topic words among
    the most common: text that makes common words common and rare words rare."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnoprstuvwz"
    made = ["".join(rng.choices(letters, k=rng.randrange(3, 10))) for _ in range(size)]
    words = [*made[:5], *WORDS, *made[5:]]
    return words, [1 / (rank + 1) for rank in range(len(words))]


def with_answers(messages: list[IncomingMessage], seed: int = 11) -> list[IncomingMessage]:
    """Realistic text (see `vocabulary`), and a share of the replies turned into ours, so the
    report has responses to measure."""
    rng = random.Random(seed)
    words, weights = vocabulary()
    out = []
    for m in messages:
        text = " ".join(rng.choices(words, weights, k=rng.randrange(5, 40)))
        ours = m.in_reply_to is not None and rng.random() < 0.5
        out.append(
            IncomingMessage(
                m.remote_id,
                "brand" if ours else m.author,
                text,
                m.created_at,
                Direction.OUT if ours else Direction.IN,
                m.in_reply_to,
                author_name=m.author_name,
                followers=m.followers,
            )
        )
    return sorted(out, key=lambda m: m.created_at)


def import_without_fts(db: Path, messages: list[IncomingMessage]) -> float:
    import webcare_tui.store.store as store_module

    store = Store(db)
    indexing = store_module.index_new
    store_module.index_new = lambda conn: 0  # type: ignore[assignment]
    clock = demo_config().clock()
    start = time.perf_counter()
    for offset in range(0, len(messages), 5000):
        store.ingest("bench", "mastodon", messages[offset : offset + 5000], clock=clock,
                     seen_at=NOW)  # fmt: skip
    rate = len(messages) / (time.perf_counter() - start)
    store_module.index_new = indexing  # type: ignore[assignment]
    store.close()
    return rate


def feed_query(store: Store, text: str) -> Callable[[], object]:
    where, params = thread_where(parse_query(text).resolve_me("AB"))

    def run() -> object:
        count = store.conn.execute(f"SELECT COUNT(*) FROM threads WHERE {where}", params)
        page = store.conn.execute(
            f"SELECT id FROM threads WHERE {where} ORDER BY sort_key, id LIMIT 100", params
        )
        return count.fetchone()[0], len(page.fetchall())

    return run


def build(db: Path, threads: int) -> None:
    """The benchmark's store at `db`, with the import figures measured on the way."""
    # bench_inbox's mentions reply to an earlier one 30% of the time: 1.43 per thread.
    messages = with_answers(mentions(round(threads / 0.7)))
    ours, raw = bench_import(db, messages)
    no_fts = import_without_fts(db.with_name("nofts.db"), messages)
    print(
        f"import through the Store with FTS5: {ours:,.0f}/s; raw sqlite3 into one table "
        f"{raw:,.0f}/s: {raw / ours:.1f}x the raw time (target <= 8x); without the FTS "
        f"indexing {no_fts:,.0f}/s ({raw / no_fts:.1f}x)"
    )
    store = Store(db)
    rng = random.Random(3)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM threads")]
    with store._write() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO thread_tags (thread_id, tag) VALUES (?, ?)",
            [(i, rng.choice(TAGS)) for i in ids if rng.random() < 0.4],
        )
        conn.executemany(
            "UPDATE threads SET assignee = ? WHERE id = ?",
            [(rng.choice(("AB", "MK", "JV")), i) for i in ids if rng.random() < 0.3],
        )
    store.close()


def bench_reports(store: Store) -> None:
    """The report (read, computed, under a what-if) and the digest, as `webcare report`,
    the report screen and `webcare digest` run them; wall and CPU time, as the machine may be
    shared."""
    clock = demo_config().clock()
    lexicon()
    ms, rows = timed(store.report_rows, runs=3)
    cpu, _ = timed(store.report_rows, runs=3, clock=time.process_time)
    print(f"report inputs read from the store: {ms:,.0f} ms (CPU {cpu:,.0f} ms)")
    ms, report = timed(lambda: report_of_rows(rows, clock, NOW), runs=3)  # type: ignore[arg-type]
    cpu, _ = timed(lambda: report_of_rows(rows, clock, NOW), runs=3, clock=time.process_time)  # type: ignore[arg-type]
    print(f"report computed: {ms:,.0f} ms (CPU {cpu:,.0f} ms; {report.whole.threads:,} threads, "  # type: ignore[attr-defined]
          f"{report.whole.first_response.count:,} first responses)")  # type: ignore[attr-defined]  # fmt: skip
    changed = clock_under(clock, parse_what_if(["first_response=2h"]))
    ms, _ = timed(lambda: report_of_rows(rows, changed, NOW), runs=3)  # type: ignore[arg-type]
    cpu, _ = timed(lambda: report_of_rows(rows, changed, NOW), runs=3, clock=time.process_time)  # type: ignore[arg-type]
    print(f"report under what-if first_response=2h: {ms:,.0f} ms (CPU {cpu:,.0f} ms)")
    since = NOW - timedelta(days=7)
    ms, _ = timed(lambda: digest(store, since=since, until=NOW), runs=3)
    cpu, _ = timed(lambda: digest(store, since=since, until=NOW), runs=3, clock=time.process_time)
    print(f"digest of the last 7 days: {ms:,.0f} ms (CPU {cpu:,.0f} ms)")


def bench_priority(db: Path) -> None:
    """The feed in priority order: the migration that adds the stored priority, scoring every
    thread on an older database's first read, then the first page and the next one (the read
    `j` makes past the end of a page; within a page `j` reads nothing)."""
    from webcare_tui.services.feed_pager import PAGE, FeedPager, FeedRows
    from webcare_tui.services.insights import score_unscored
    from webcare_tui.store.base import FeedOrder

    store = Store(db)
    with store._write() as conn:  # back to the schema before the stored priority
        conn.execute("DROP INDEX threads_by_priority")
        conn.execute("DROP INDEX threads_unscored")
        conn.execute("DROP INDEX threads_scored")
        conn.execute("ALTER TABLE threads DROP COLUMN priority")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {version - 1}")
    store.close()
    start = time.perf_counter()
    store = Store(db)
    print(f"migration adding the stored priority: {(time.perf_counter() - start) * 1000:,.0f} ms")
    start = time.perf_counter()
    scored = score_unscored(store, FeedFilter(order=FeedOrder.PRIORITY))
    print(f"first read in priority order scores every thread once: {scored:,} in "
          f"{time.perf_counter() - start:,.1f} s")  # fmt: skip
    feed, pager = FeedFilter(order=FeedOrder.PRIORITY), FeedPager(store)
    ms, window = timed(lambda: pager.window(feed, selected=None, cursor=0))
    rows, _ = window  # type: ignore[misc]
    print(f"priority order, first page with its marks: {ms:.1f} ms")
    ms, _ = timed(lambda: pager.page(rows, 1))
    print(f"priority order, the next page by keyset (j past row {PAGE}): {ms:.1f} ms")
    far = FeedRows(feed=feed, total=rows.total)
    ms, _ = timed(lambda: pager.page(far, rows.total // PAGE // 2))
    print(f"priority order, a page from the middle by offset (a jump): {ms:.1f} ms")
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument(
        "--db", type=Path, help="keep the store here and reuse it next time (skips the import)"
    )
    parser.add_argument("--reports-only", action="store_true", help="only the report and digest")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if not db.exists():
            build(db, args.threads)
        store = Store(db)
        threads = store.conn.execute("SELECT COUNT(*) FROM threads").fetchone()[0]
        messages = store.conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        print(f"mentions: {messages:,} in {threads:,} threads")
        if not args.reports_only:
            bench_search(store)
        bench_reports(store)
        store.close()
        bench_priority(db)


def bench_search(store: Store) -> None:
    """Search, the feed filtered, and priority for a page and for every listed thread."""
    words, _ = vocabulary()
    for text in ("factuur", "krant bezorgd", "puzzel cadeau weekend", words[300], words[3000]):
        ms, hits = timed(lambda text=text: store.search(parse_query(text)))
        print(f"search {text!r}: {ms:.1f} ms for the newest {len(hits)} (of any state)")  # type: ignore[arg-type]
    for text in ("f", "fa", "fac", "fact"):
        ms, _ = timed(lambda text=text: store.search(parse_query(text)))
        print(f"search as typed {text!r}: {ms:.1f} ms")
    for text in ("@me", "#delivery", "@none #billing", "state:open channel:mastodon",
                 "factuur #delivery @me", "krant"):  # fmt: skip
        ms, (count, _) = timed(feed_query(store, text))  # type: ignore[misc]
        print(f"feed filtered by {text!r}: {ms:.1f} ms (count {count:,} + first page)")
    page = store.feed_page(FeedFilter(), limit=100)
    ms, _ = timed(lambda: thread_insights(store, page))
    print(f"priority and tags for a feed page of {len(page)}: {ms:.1f} ms")
    every = store.feed_slice(FeedFilter(), 0, 1_000_000)
    ms, _ = timed(lambda: thread_insights(store, every), runs=1)
    print(f"priority and tags for all {len(every):,} listed threads (threads --json): "
          f"{ms:,.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
