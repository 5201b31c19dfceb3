"""What an idle TUI writes to the terminal: run `python benchmarks/bench_repaint.py [--threads N]`.

Over a slow SSH link every byte counts. The app runs with a real ticking clock on a database of
N threads (100k by default) at 80x24, through a driver that counts what it would write to the
terminal instead of writing it, and the bytes written per second while nobody touches a key
are printed for the inbox and the triage screen. The budget is 500 B/s. Nothing here is
asserted: these are measurements, not tests.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_inbox import NOW, mentions
from textual.drivers.headless_driver import HeadlessDriver

from webcare_tui.config import demo_config
from webcare_tui.store import Store
from webcare_tui.ui.app import make_app

BUDGET = 500


class CountingDriver(HeadlessDriver):
    """A terminal that keeps count: what the app writes, in bytes of UTF-8."""

    written = 0

    @property
    def is_headless(self) -> bool:
        return False

    def write(self, data: str) -> None:
        CountingDriver.written += len(data.encode("utf-8"))

    def flush(self) -> None:
        pass


def fill(db: Path, count: int) -> None:
    store = Store(db)
    clock = demo_config().clock()
    messages = mentions(count)
    for offset in range(0, len(messages), 5000):
        store.ingest(
            "bench", "mastodon", messages[offset : offset + 5000], clock=clock, seen_at=NOW
        )
    store.close()


async def idle_bytes(db: Path, keys: tuple[str, ...], seconds: float) -> float:
    """Bytes per second an idle app writes at 80x24 after `keys`, over `seconds`."""
    app = make_app(demo_config(), db, poll=False)
    app.driver_class = CountingDriver
    result: list[float] = []

    async def settled() -> None:
        # The database watcher runs for good, so wait for time, not for every worker.
        await asyncio.sleep(6.0)

    async def measure() -> None:
        await settled()  # start-up: the first paint, the footer, the counts
        for key in keys:
            await app._press_keys([key])
        await settled()
        start, written = time.perf_counter(), CountingDriver.written
        await asyncio.sleep(seconds)
        result.append((CountingDriver.written - written) / (time.perf_counter() - start))
        app.exit()

    task = asyncio.create_task(measure())
    await app.run_async(size=(80, 24))
    await task
    app.leave_presence()
    app.store.close()
    return result[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        fill(db, args.threads)
        for name, keys in (("inbox", ()), ("triage", ("T",))):
            rate = asyncio.run(idle_bytes(db, keys, args.seconds))
            verdict = "within" if rate <= BUDGET else "OVER"
            print(f"{name}: {rate:,.0f} B/s idle at 80x24 ({verdict} the {BUDGET} B/s budget)")


if __name__ == "__main__":
    main()
