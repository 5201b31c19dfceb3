"""The parser and the dispatch: one subcommand per `Command` of the modules listed here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from webcare_tui.cli import escalation, feed, outbox, polling, replies, setup
from webcare_tui.cli import importing as importing_cli
from webcare_tui.cli.context import Command, Context, Failed, UsageError, load
from webcare_tui.config import ConfigError

MODULES = (feed, replies, outbox, escalation, importing_cli, setup, polling)
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
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS.values():
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        _common(sub, suppress=True)
        command.arguments(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        context = load(args)
        if args.command is None:
            return run_tui(context)
        return COMMANDS[args.command].run(context)
    except ConfigError as error:
        print(f"webcare: {error}", file=sys.stderr)
        return 2
    except UsageError as error:
        print(f"webcare: {error}", file=sys.stderr)
        return 2
    except Failed as error:
        print(f"webcare: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run_tui(context: Context) -> int:
    from webcare_tui.ui.app import run

    return run(context.config, context.db)
