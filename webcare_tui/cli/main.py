"""The parser and the dispatch: one subcommand per `Command` of the modules listed here."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from webcare_tui.cli import (
    database,
    escalation,
    feed,
    outbox,
    polling,
    replies,
    setup,
    team,
    triage,
)
from webcare_tui.cli import importing as importing_cli
from webcare_tui.cli import insights as insights_cli
from webcare_tui.cli.context import Command, Context, Failed, UsageError, load
from webcare_tui.config import ConfigError
from webcare_tui.core.sanitize import clean_line
from webcare_tui.store.base import StoreError

MODULES = (
    feed, replies, outbox, escalation, importing_cli, setup, polling, database, insights_cli,
    triage, team,
)  # fmt: skip
COMMANDS: dict[str, Command] = {c.name: c for m in MODULES for c in m.COMMANDS}


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--config", metavar="FILE", default=default, help="the config file")
    parser.add_argument("--db", metavar="FILE", default=default, help="the SQLite database")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="webcare", description="A keyboard-driven terminal inbox for webcare teams."
    )
    _common(parser, suppress=False)
    parser.add_argument("--demo", action="store_true", help="open the demo workspace, fresh")
    parser.add_argument(
        "--triage", action="store_true", help="open off-hours triage: what came in while closed"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS.values():
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        _common(sub, suppress=True)
        command.arguments(sub)
    return parser


# A reader that went away (`webcare threads | head`): the exit status of a process that SIGPIPE
# ended, as the shell reports it for other tools.
BROKEN_PIPE = 128 + 13


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        context = load(args)
        if args.command is None:
            return run_tui(context)
        code = COMMANDS[args.command].run(context)
        sys.stdout.flush()  # here, so that a closed pipe is noticed while it can be handled
        return code
    except ConfigError as error:
        return _say(error, 2)
    except UsageError as error:
        return _say(error, 2)
    except (Failed, StoreError) as error:
        return _say(error, 1)
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: one line for the user; WEBCARE_DEBUG=1 for the traceback
        if os.environ.get("WEBCARE_DEBUG"):
            raise
        return _say(f"unexpected {type(error).__name__}: {error} (WEBCARE_DEBUG=1 shows where)", 1)


def _say(message: object, code: int) -> int:
    with contextlib.suppress(OSError):  # stderr gone too: the exit status says it all
        print(f"webcare: {clean_line(str(message))}", file=sys.stderr)
    return code


def _reader_gone() -> int:
    # Python would complain again while flushing stdout at exit: point it at nothing.
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return BROKEN_PIPE


def run_tui(context: Context) -> int:
    from webcare_tui.cli.ui_settings import check_ui_settings
    from webcare_tui.ui.app import run

    check_ui_settings(context.config)

    return run(context.config, context.db, triage=bool(getattr(context.args, "triage", False)))
