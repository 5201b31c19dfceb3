"""Loading mentions from a file: an export or a backfill."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from webcare_tui.cli.context import Command, Context, UsageError, fail


def cmd_import(context: Context) -> int:
    from webcare_tui.services.importer import import_file

    path = Path(context.args.file)
    name = context.args.connector
    settings = context.config.connector(name)
    if settings is None:
        # Threads of a connector that is not configured could never be answered.
        known = ", ".join(c.name for c in context.config.connectors) or "none"
        raise UsageError(
            f"--connector {name!r} is not a configured connector (configured: {known})"
        )
    if not path.is_file():
        fail(f"{path}: no such file")
    store = context.store()
    bar = ProgressBar(sys.stderr, path.stat().st_size) if sys.stderr.isatty() else None
    try:
        report = import_file(
            store,
            path,
            connector=name,
            channel=settings.channel,
            clock=context.config.clock(),
            now=context.now(),
            progress=bar,
        )
    except OSError as error:
        fail(f"{path}: cannot read it ({error.strerror or error})")
    finally:
        if bar is not None:
            bar.close()
    for number, message in report.errors:
        print(f"{path}:{number}: skipped: {message}", file=sys.stderr)
    print(
        f"Read {report.read} lines: {report.imported} imported, "
        f"{report.already_there} already there, {len(report.errors)} skipped."
    )
    if report.nothing_read:
        fail(f"{path}: no line could be read as a mention; is it a JSON Lines export?")
    return 0


class ProgressBar:
    """A one-line bar on a terminal: share of the file's bytes read and lines so far, redrawn
    at most every `interval` seconds (a redraw per batch would slow a fast import)."""

    WIDTH = 30

    def __init__(self, stream: TextIO, total_bytes: int, interval: float = 0.25) -> None:
        self.stream = stream
        self.total = max(total_bytes, 1)
        self.interval = interval
        self.last_drawn: float | None = None
        self.lines = 0
        self.done = 0

    def __call__(self, lines: int, bytes_read: int) -> None:
        self.lines, self.done = lines, bytes_read
        moment = time.monotonic()
        if self.last_drawn is None or moment - self.last_drawn >= self.interval:
            self.last_drawn = moment
            self._draw()

    def close(self) -> None:
        """Draws the last state (so the bar ends where the import did) and ends the line."""
        if self.last_drawn is not None:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {share:4.0%} {self.lines:,} lines")
        self.stream.flush()


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file")
    parser.add_argument("--connector", required=True)


COMMANDS = [
    Command("import", "load mentions from JSON Lines (idempotent)", cmd_import, _import_arguments),
]
