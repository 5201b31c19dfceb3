"""Figures for search, filters, priority and the report at scale:
`python benchmarks/bench_insights.py [--threads N]` (100k threads by default).

Prints:
- `webcare import` of the mentions as a JSON Lines file (parsing, checks, threading, clocks,
  customers, full-text indexing) against raw sqlite3 inserts of the same rows into one table
  (target: at most 8x the raw time); the Store's ingest of ready-made messages; the floor: the
  rows the import stored inserted by raw sqlite3 into our schema, full-text index included. Run
  interleaved (`--runs`, 3 by default) on a shared machine: medians of wall and CPU time;
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
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).parent))

from bench_inbox import NOW, WORDS, mentions

from webcare_tui.config import demo_config
from webcare_tui.core.model import Direction, IncomingMessage
from webcare_tui.core.query import parse_query
from webcare_tui.core.report import report_of_rows
from webcare_tui.core.whatif import clock_under, parse_what_if
from webcare_tui.services.importer import BATCH, import_file
from webcare_tui.services.insights import digest, lexicon, thread_insights
from webcare_tui.store import Store
from webcare_tui.store.base import FeedFilter
from webcare_tui.store.schema import MIGRATIONS, migrate
from webcare_tui.store.search import thread_where

T = TypeVar("T")
TAGS = ("delivery", "billing", "product-defect", "website", "praise")


def timed(
    action: Callable[[], T], runs: int = 5, clock: Callable[[], float] = time.perf_counter
) -> tuple[float, T]:
    """Median milliseconds of `runs` calls (by `clock`: wall time unless told), and the last
    result."""
    times: list[float] = []
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


def _timed_run(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call: the CPU figure is steadier when others share the
    machine (SQLite's own work is on this process's CPU too)."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def write_jsonl(path: Path, messages: list[IncomingMessage]) -> None:
    with path.open("w", encoding="utf-8") as file:
        for m in messages:
            line = {"remote_id": m.remote_id, "author": m.author, "text": m.text,
                    "created_at": m.created_at.isoformat(), "direction": m.direction.value,
                    "in_reply_to": m.in_reply_to, "author_name": m.author_name,
                    "followers": m.followers}  # fmt: skip
            file.write(json.dumps(line) + "\n")


def raw_inserts(db: Path, messages: list[IncomingMessage]) -> Callable[[], object]:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "CREATE TABLE messages (id INTEGER PRIMARY KEY, connector TEXT, remote_id TEXT, "
        "author TEXT, text TEXT, created_at TEXT, in_reply_to TEXT, UNIQUE (connector, remote_id))"
    )
    rows = [
        ("bench", m.remote_id, m.author, m.text, m.created_at.isoformat(), m.in_reply_to)
        for m in messages
    ]

    def run() -> None:
        for offset in range(0, len(rows), BATCH):
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO messages (connector, remote_id, author, text, created_at, "
                "in_reply_to) VALUES (?, ?, ?, ?, ?, ?)",
                rows[offset : offset + BATCH],
            )
            conn.execute("COMMIT")
        conn.close()

    return run


def schema_floor(source_db: Path, db: Path) -> Callable[[], object]:
    """Raw sqlite3 inserts of exactly the rows an import stored (threads, messages, customers)
    into a fresh database with our schema and pragmas, the full-text index filled per batch as
    the Store does: SQLite's own cost for our tables, with no Python work per message."""
    source = sqlite3.connect(source_db)
    names = ("threads", "messages", "customers")
    tables = {n: source.execute(f"SELECT * FROM {n} ORDER BY rowid").fetchall() for n in names}
    columns = {n: [c[1] for c in source.execute(f"PRAGMA table_info({n})")] for n in names}
    source.close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    migrate(conn)
    batches = -(-len(tables["messages"]) // BATCH)

    def run() -> None:
        for part in range(batches):
            conn.execute("BEGIN IMMEDIATE")
            for name, rows in tables.items():
                size = -(-len(rows) // batches)
                marks = ", ".join("?" * len(columns[name]))
                conn.executemany(
                    f"INSERT INTO {name} ({', '.join(columns[name])}) VALUES ({marks})",
                    rows[part * size : (part + 1) * size],
                )
            conn.execute(
                "INSERT INTO messages_fts (rowid, text) SELECT id, text FROM messages "
                "WHERE id > (SELECT COALESCE(MAX(rowid), 0) FROM messages_fts)"
            )
            conn.execute("COMMIT")
        conn.close()

    return run


def store_ingest(db: Path, messages: list[IncomingMessage], *, fts: bool = True
                 ) -> Callable[[], object]:  # fmt: skip
    store = Store(db)
    clock = demo_config().clock()

    def run() -> None:
        import webcare_tui.store.store as store_module

        indexing = store_module.index_new
        if not fts:
            store_module.index_new = lambda conn: 0
        for offset in range(0, len(messages), BATCH):
            store.ingest("bench", "mastodon", messages[offset : offset + BATCH], clock=clock,
                         seen_at=NOW)  # fmt: skip
        store_module.index_new = indexing
        store.close()

    return run


def webcare_import(db: Path, path: Path) -> Callable[[], object]:
    store = Store(db)
    clock = demo_config().clock()

    def run() -> None:
        import_file(store, path, connector="bench", channel="mastodon", clock=clock, now=NOW)
        store.close()

    return run


def measure_import(tmp: Path, messages: list[IncomingMessage], runs: int) -> Path:
    """Prints the import figures (see the module's docstring); returns an imported database."""
    path = tmp / "mentions.jsonl"
    write_jsonl(path, messages)
    figures: dict[str, list[tuple[float, float]]] = {}
    for run in range(runs):  # interleaved, so that a busy minute hits every kind alike
        kinds: dict[str, Callable[[], object]] = {
            "raw": raw_inserts(tmp / f"raw{run}.db", messages),
            "import": webcare_import(tmp / f"import{run}.db", path),
            "ingest": store_ingest(tmp / f"ingest{run}.db", messages),
            "ingest without FTS": store_ingest(tmp / f"nofts{run}.db", messages, fts=False),
        }
        for kind, action in kinds.items():
            figures.setdefault(kind, []).append(_timed_run(action))
        floor = schema_floor(tmp / f"import{run}.db", tmp / f"floor{run}.db")
        figures.setdefault("floor", []).append(_timed_run(floor))
    wall = {k: statistics.median(w for w, _ in v) for k, v in figures.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in figures.items()}
    print(f"import of {len(messages):,} mentions, median of {runs} interleaved runs "
          "(wall s / CPU s, and x the raw time):")  # fmt: skip
    for kind in ("raw", "floor", "import", "ingest", "ingest without FTS"):
        print(f"  {kind:<19} {wall[kind]:6.2f} / {cpu[kind]:6.2f}   "
              f"{wall[kind] / wall['raw']:5.1f}x / {cpu[kind] / cpu['raw']:5.1f}x")  # fmt: skip
    print("  (raw: sqlite3 into one table; floor: our schema and FTS, no Python per message; "
          "target: import <= 8x raw)")  # fmt: skip
    return tmp / "import0.db"


def feed_query(store: Store, text: str) -> Callable[[], tuple[int, int]]:
    where, params = thread_where(parse_query(text).resolve_me("AB"))

    def run() -> tuple[int, int]:
        count = store.conn.execute(f"SELECT COUNT(*) FROM threads WHERE {where}", params)
        page = store.conn.execute(
            f"SELECT id FROM threads WHERE {where} ORDER BY sort_key, id LIMIT 100", params
        )
        return int(count.fetchone()[0]), len(page.fetchall())

    return run


def build(db: Path, threads: int, runs: int) -> None:
    """The benchmark's store at `db`, with the import figures measured on the way."""
    # bench_inbox's mentions reply to an earlier one 30% of the time: 1.43 per thread.
    messages = with_answers(mentions(round(threads / 0.7)))
    with tempfile.TemporaryDirectory() as tmp:
        imported = measure_import(Path(tmp), messages, runs)
        shutil.copyfile(imported, db)
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
    ms, report = timed(lambda: report_of_rows(rows, clock, NOW), runs=3)
    cpu, _ = timed(lambda: report_of_rows(rows, clock, NOW), runs=3, clock=time.process_time)
    print(f"report computed: {ms:,.0f} ms (CPU {cpu:,.0f} ms; {report.whole.threads:,} threads, "
          f"{report.whole.first_response.count:,} first responses)")  # fmt: skip
    changed = clock_under(clock, parse_what_if(["first_response=2h"]))
    ms, _ = timed(lambda: report_of_rows(rows, changed, NOW), runs=3)
    cpu, _ = timed(lambda: report_of_rows(rows, changed, NOW), runs=3, clock=time.process_time)
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
        # Migrations after it add columns, which run again harmlessly.
        before = next(i for i, m in enumerate(MIGRATIONS) if "threads_by_priority" in m)
        conn.execute(f"PRAGMA user_version = {before}")
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
    rows, _ = window
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
    parser.add_argument("--runs", type=int, default=3, help="interleaved import runs")
    parser.add_argument("--import-only", action="store_true", help="stop after the import")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if not db.exists() or args.import_only:
            build(db, args.threads, args.runs)
        if args.import_only:
            return
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
        ms, hits = timed(partial(store.search, parse_query(text)))
        print(f"search {text!r}: {ms:.1f} ms for the newest {len(hits)} (of any state)")
    for text in ("f", "fa", "fac", "fact"):
        ms, _ = timed(partial(store.search, parse_query(text)))
        print(f"search as typed {text!r}: {ms:.1f} ms")
    for text in ("@me", "#delivery", "@none #billing", "state:open channel:mastodon",
                 "factuur #delivery @me", "krant"):  # fmt: skip
        ms, (count, _) = timed(feed_query(store, text))
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
