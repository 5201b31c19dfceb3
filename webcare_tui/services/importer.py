"""`webcare import`: load mentions from JSON Lines; keep every good line, report bad ones."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.importing import ParentsFirst, parse_import_line
from webcare_tui.core.incoming import BadItem, checked_message
from webcare_tui.core.model import IncomingMessage
from webcare_tui.store import Store

BATCH = 5000
# A line this long is no mention (the text alone may have a million characters): read no more
# of it than this, so that a file of one endless line cannot take all memory.
MAX_LINE_BYTES = 8_000_000
# How often, in lines, the progress callback hears of the work; the caller throttles drawing.
PROGRESS_EVERY = 500

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ImportReport:
    """What an import did. `read` counts the lines that were not blank, and always equals
    `imported + already_there + len(errors)`: a line given twice in the file is there already
    the second time."""

    read: int = 0
    imported: int = 0
    already_there: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def nothing_read(self) -> bool:
        """Every line was bad: most likely not an export at all."""
        return self.read > 0 and len(self.errors) == self.read


def import_file(
    store: Store,
    path: Path,
    *,
    connector: str,
    channel: str,
    clock: ResponseClock,
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Import `path` in batches. A line that is not valid (not UTF-8, not JSON, not a message
    that can be stored) is reported by number and skipped; the others are imported, each
    reply after its parent even when the parent comes later in the file (`ParentsFirst`).
    `progress(lines, bytes_read)` is called every few hundred lines and once at the end."""
    report = ImportReport()
    batch: list[IncomingMessage] = []
    lines_of: dict[str, int] = {}
    order = ParentsFirst()

    def add(items: list[tuple[IncomingMessage, int]]) -> None:
        for message, line in items:
            batch.append(message)
            lines_of.setdefault(message.remote_id, line)
            if len(batch) >= BATCH:
                flush()

    def flush() -> None:
        if batch:
            result = store.ingest(connector, channel, batch, clock=clock, seen_at=now, checked=True)
            report.imported += result.new_messages
            report.already_there += result.skipped
            # Checked already, so the store refuses none; should it, the count still adds up.
            report.errors += [(lines_of.get(i, 0), why) for i, why in result.rejected]
            batch.clear()
            lines_of.clear()

    number = 0
    with _no_cycle_collection(), path.open("rb") as file:
        for number, raw in enumerate(_lines(file), start=1):
            if progress is not None and number % PROGRESS_EVERY == 0:
                progress(number, file.tell())
            if raw is not None and not raw.strip():
                continue
            report.read += 1
            if raw is None:
                report.errors.append((number, f"longer than {MAX_LINE_BYTES:,} bytes"))
                continue
            try:
                # Strict: a replaced byte could make two different ids one, losing a line unsaid.
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                report.errors.append((number, f"not valid UTF-8 (byte {error.start + 1})"))
                continue
            try:
                message = checked_message(parse_import_line(line), now)
            except (ValueError, BadItem) as error:
                report.errors.append((number, str(error)))
                continue
            add(order.offer(message, number))
        add(order.rest())
        flush()
        if progress is not None:
            progress(number, file.tell())
    return report


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector's passes over the many objects an import keeps took a tenth of its
    time, and an import makes few cycles: the collector resumes after it (the command
    line's import only; it is process-wide)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _lines(file: BinaryIO) -> Iterator[bytes | None]:
    """The file's lines, each read up to `MAX_LINE_BYTES`; None for a line longer than that,
    whose rest is skipped unread into memory."""
    while line := file.readline(MAX_LINE_BYTES + 1):
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield line
            continue
        while (rest := file.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
            pass
        yield None
