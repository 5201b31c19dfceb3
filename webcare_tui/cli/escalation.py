"""Taking a thread further: escalation."""

from __future__ import annotations

import argparse

from webcare_tui.cli.context import Command, Context, UsageError, fail


def cmd_escalate(context: Context) -> int:
    from webcare_tui.store.store import StoreError

    to = context.args.to.strip()
    if to not in ("phone", "dm") and not (to.startswith("team:") and len(to) > 5):
        raise UsageError(f"--to must be phone, dm or team:NAME, got {to!r}")
    store = context.store()
    try:
        store.escalate(
            context.args.thread,
            to,
            actor=context.config.agent,
            now=context.now(),
            clock=context.config.clock(),
            note=context.args.note,
        )
    except StoreError as error:
        fail(str(error))
    print(f"Thread {context.args.thread} escalated to {to}.")
    return 0


def _escalate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=int)
    parser.add_argument("--to", required=True, help="phone | dm | team:NAME")
    parser.add_argument("--note", default="")


COMMANDS = [
    Command(
        "escalate", "escalate a thread to phone, DM or a team", cmd_escalate, _escalate_arguments
    ),
]
