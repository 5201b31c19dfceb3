"""Loading mentions from a file: an export or a backfill."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from webcare_tui.cli.context import Command, Context, fail


def cmd_import(context: Context) -> int:
    from webcare_tui.services.importer import import_file

    path = Path(context.args.file)
    if not path.is_file():
        fail(f"{path}: no such file")
    name = context.args.connector
    settings = context.config.connector(name)
    channel = settings.channel if settings else name
    store = context.store()
    report = import_file(
        store,
        path,
        connector=name,
        channel=channel,
        clock=context.config.clock(),
        now=context.now(),
    )
    for number, message in report.errors:
        print(f"{path}:{number}: skipped: {message}", file=sys.stderr)
    print(
        f"Imported {report.imported} messages; {report.already_there} were there already; "
        f"{len(report.errors)} lines skipped."
    )
    return 0


def _import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file")
    parser.add_argument("--connector", required=True)


COMMANDS = [
    Command("import", "load mentions from JSON Lines (idempotent)", cmd_import, _import_arguments),
]
