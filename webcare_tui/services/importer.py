"""`webcare import`: load mentions from JSON Lines; keep every good line, report bad ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.importing import parse_import_line
from webcare_tui.core.model import IncomingMessage
from webcare_tui.store import Store

BATCH = 5000


@dataclass(slots=True)
class ImportReport:
    imported: int = 0
    already_there: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def import_file(
    store: Store,
    path: Path,
    *,
    connector: str,
    channel: str,
    clock: ResponseClock,
    now: datetime,
) -> ImportReport:
    """Import `path` in batches. A line that is not valid is reported by number and skipped."""
    report = ImportReport()
    batch: list[IncomingMessage] = []

    def flush() -> None:
        if batch:
            result = store.ingest(connector, channel, batch, clock=clock, seen_at=now)
            report.imported += result.new_messages
            report.already_there += result.skipped
            batch.clear()

    with path.open("r", encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                batch.append(parse_import_line(line))
            except ValueError as error:
                report.errors.append((number, str(error)))
                continue
            if len(batch) >= BATCH:
                flush()
    flush()
    return report
