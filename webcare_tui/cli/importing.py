"""Loading mentions from a file: an export or a backfill."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

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
    try:
        report = import_file(
            store,
            path,
            connector=name,
            channel=settings.channel,
            clock=context.config.clock(),
            now=context.now(),
        )
    except OSError as error:
        fail(f"{path}: cannot read it ({error.strerror or error})")
    for number, message in report.errors:
        print(f"{path}:{number}: skipped: {message}", file=sys.stderr)
    print(
        f"Read {report.read} lines: {report.imported} imported, "
        f"{report.already_there} already there, {len(report.errors)} skipped."
    )
    if report.nothing_read:
        fail(f"{path}: no line could be read as a mention; is it a JSON Lines export?")
    return 0


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file")
    parser.add_argument("--connector", required=True)


COMMANDS = [
    Command("import", "load mentions from JSON Lines (idempotent)", cmd_import, _import_arguments),
]
