"""Figures for the shift inbox at scale: run `python benchmarks/bench_inbox.py [--mentions N]`.

Prints, for a database of N mentions (100k by default):
- import rate through the Store, against raw sqlite3 inserts of the same rows;
- cold start to the first feed rows on screen, against a bare Textual app;
- key-to-repaint latency in the feed (j pressed, feed repainted);
- peak memory of the TUI process.
Nothing here is asserted: these are measurements, not tests.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from webcare_tui.config import demo_config
from webcare_tui.core.model import IncomingMessage
from webcare_tui.store import Store
from webcare_tui.store.schema import migrate

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WORDS = [
    "krant",
    "bezorgd",
    "abonnement",
    "factuur",
    "app",
    "inloggen",
    "cadeau",
    "puzzel",
    "weekend",
    "sorry",
    "help",
]


def mentions(count: int, seed: int = 7) -> list[IncomingMessage]:
    rng = random.Random(seed)
    result: list[IncomingMessage] = []
    for i in range(count):
        reply_to = f"m{rng.randrange(i)}" if i > 10 and rng.random() < 0.3 else None
        result.append(
            IncomingMessage(
                remote_id=f"m{i}",
                author=f"user{rng.randrange(count // 3 + 1)}@example.social",
                text=" ".join(rng.choices(WORDS, k=rng.randrange(5, 40))),
                created_at=NOW - timedelta(minutes=rng.randrange(60 * 24 * 14)),
                in_reply_to=reply_to,
                author_name=f"User {i}",
                followers=rng.randrange(5000),
            )
        )
    return result


def bench_import(db: Path, messages: list[IncomingMessage]) -> tuple[float, float]:
    store = Store(db)
    clock = demo_config().clock()
    start = time.perf_counter()
    for offset in range(0, len(messages), 5000):
        batch = messages[offset : offset + 5000]
        store.ingest("bench", "mastodon", batch, clock=clock, seen_at=NOW)
    ours = len(messages) / (time.perf_counter() - start)
    store.close()

    raw_path = db.with_name("raw.db")
    conn = sqlite3.connect(raw_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(
        "CREATE TABLE messages (id INTEGER PRIMARY KEY, connector TEXT, remote_id TEXT, "
        "author TEXT, text TEXT, created_at TEXT, in_reply_to TEXT, UNIQUE (connector, remote_id))"
    )
    rows = [
        ("bench", m.remote_id, m.author, m.text, m.created_at.isoformat(), m.in_reply_to)
        for m in messages
    ]
    start = time.perf_counter()
    for offset in range(0, len(rows), 5000):
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO messages (connector, remote_id, author, text, created_at, in_reply_to) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows[offset : offset + 5000],
        )
        conn.execute("COMMIT")
    raw = len(rows) / (time.perf_counter() - start)
    conn.close()
    return ours, raw


def bench_schema_floor(db: Path, count: int, batches: int) -> float:
    """Mentions per second when raw sqlite3 inserts exactly the rows the Store wrote (threads,
    messages, customers) into a fresh database with our schema and the Store's pragmas.

    No Python work per message, no thread updates, no foreign keys: what SQLite alone costs
    for our tables and indexes, as an upper bound for any import through them.
    """
    source = sqlite3.connect(db)
    tables = {
        name: source.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall()
        for name in ("threads", "messages", "customers")
    }
    columns = {
        name: [c[1] for c in source.execute(f"PRAGMA table_info({name})")] for name in tables
    }
    source.close()
    conn = sqlite3.connect(db.with_name("floor.db"), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    migrate(conn)
    start = time.perf_counter()
    for part in range(batches):
        conn.execute("BEGIN IMMEDIATE")
        for name, rows in tables.items():
            size = -(-len(rows) // batches)
            marks = ", ".join("?" * len(columns[name]))
            conn.executemany(
                f"INSERT INTO {name} ({', '.join(columns[name])}) VALUES ({marks})",
                rows[part * size : (part + 1) * size],
            )
        conn.execute("COMMIT")
    floor = count / (time.perf_counter() - start)
    conn.close()
    return floor


# Each child prints the wall-clock moment its first screen is painted: the parent measures
# from just before it starts the process. Shutting down afterwards is not part of a start.
CHILD_WEBCARE = """
import resource, sys, time
from datetime import UTC, datetime
from webcare_tui.config import demo_config
from webcare_tui.ui.app import make_app
from webcare_tui.ui.widgets.thread_feed import ThreadFeed

config = demo_config()
app = make_app(config, sys.argv[1], now=lambda: datetime(2026, 11, 23, 9, tzinfo=UTC),
               poll=False, watch_db=False)
painted = []
original = ThreadFeed._apply
def patched(self, rows, cursor):
    original(self, rows, cursor)
    def done():
        painted.append(time.time())
        self.app.exit()
    self.call_after_refresh(done)
ThreadFeed._apply = patched
app.run(headless=True)
# Peak resident memory of this process image. ru_maxrss would do, but Linux carries it over
# from the parent across fork and exec, and the parent holds 100k mentions.
def peak_kb():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(painted[0], peak_kb())
"""

CHILD_BARE = """
import time
from textual.app import App
from textual.widgets import Static

painted = []
class Bare(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        painted.append(time.time())
        self.exit()

Bare().run(headless=True)
print(painted[0], 0)
"""


def cold_start(code: str, *args: str, runs: int = 7) -> tuple[float, int]:
    """Median seconds from starting a Python process to its first screen painted, and the
    child's peak memory in kB."""
    times = []
    memory = 0
    for _ in range(runs):
        start = time.time()
        done = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
        )
        painted_at, memory_kb = done.stdout.split()
        times.append(float(painted_at) - start)
        memory = max(memory, int(memory_kb))
    return statistics.median(times), memory


def compile_package() -> None:
    """Byte-compile webcare_tui, as `pip install` does: a cold start should not include
    compiling our own sources when Textual's come compiled."""
    import compileall

    import webcare_tui

    compileall.compile_dir(Path(webcare_tui.__file__).parent, quiet=1)


async def key_latency(db: Path, presses: int = 200) -> tuple[float, float, float]:
    """From a `j` key event entering the app to the feed painting the new cursor row.

    The key is posted the way the terminal driver posts it; a hook in the feed notes when the
    selected row for the new position is drawn. Also reported: the pilot's full round trip,
    which adds Textual's own test-harness waits (about 40 ms for a bare app here).
    """
    from textual import events

    from webcare_tui.ui.app import make_app
    from webcare_tui.ui.widgets.thread_feed import ThreadFeed

    app = make_app(demo_config(), db, now=lambda: NOW, tick=False, poll=False, watch_db=False)
    latencies: list[float] = []
    round_trips: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        feed = app.screen.query_one(ThreadFeed)
        painted = asyncio.Event()
        original = feed._row

        def hooked(thread, width, base, selected, *rest):
            if selected and feed.cursor == target["cursor"]:
                target["at"] = time.perf_counter()
                painted.set()
            return original(thread, width, base, selected, *rest)

        target: dict[str, float] = {"cursor": -1.0, "at": 0.0}
        feed._row = hooked  # type: ignore[method-assign]
        for _ in range(presses):
            painted.clear()
            target["cursor"] = feed.cursor + 1
            start = time.perf_counter()
            app.post_message(events.Key("j", "j"))
            await asyncio.wait_for(painted.wait(), timeout=5)
            latencies.append(target["at"] - start)
            await pilot.pause()
        for _ in range(20):
            start = time.perf_counter()
            await pilot.press("j")
            round_trips.append(time.perf_counter() - start)
        await app.workers.wait_for_complete()
    latencies.sort()
    return (
        statistics.median(latencies) * 1000,
        latencies[int(len(latencies) * 0.95)] * 1000,
        statistics.median(round_trips) * 1000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        messages = mentions(args.mentions)
        ours, raw = bench_import(db, messages)
        print(f"mentions: {args.mentions:,}")
        print(
            f"import: {ours:,.0f} mentions/s through the Store; raw sqlite3 {raw:,.0f}/s; "
            f"ratio {ours / raw:.2f} (target >= 0.125: at most 8x the raw time, full text "
            "included)"
        )
        floor = bench_schema_floor(db, args.mentions, batches=-(-args.mentions // 5000))
        print(
            f"  the same rows inserted raw into our schema: {floor:,.0f}/s; ratio to raw "
            f"{floor / raw:.2f}; the Store reaches {ours / floor:.2f} of that"
        )
        compile_package()
        webcare_s, rss_kb = cold_start(CHILD_WEBCARE, str(db))
        bare_s, _ = cold_start(CHILD_BARE)
        print(
            f"cold start to first feed rows: {webcare_s * 1000:.0f} ms; bare Textual app "
            f"{bare_s * 1000:.0f} ms; ratio {webcare_s / bare_s:.2f} (target <= 1.5)"
        )
        print(
            f"peak memory of the TUI with the feed shown: {rss_kb / 1024:.0f} MB (target < 150 MB)"
        )
        median, p95, pilot_trip = asyncio.run(key_latency(db))
        print(
            f"key j to the new cursor row painted: median {median:.1f} ms, p95 {p95:.1f} ms "
            f"(target <= 16 ms); pilot round trip {pilot_trip:.0f} ms"
        )
        print(
            f"benchmark process peak memory: "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )


if __name__ == "__main__":
    main()
