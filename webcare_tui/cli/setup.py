"""What the config says: checked, and the window as text for a profile bio."""

from __future__ import annotations

import argparse

import msgspec

from webcare_tui.cli.context import Command, Context


def cmd_check_config(context: Context) -> int:
    config = context.config
    where = str(config.path) if config.path else "built-in demo workspace (no config file)"
    print(f"Config: {where}")
    print(f"Database: {context.db}")
    print(f"Team: {config.team_name} · timezone {config.timezone}")
    if config.holidays or config.holiday_country:
        days = ", ".join(d.isoformat() for d in config.holidays)
        country = (
            f" + public holidays of {config.holiday_country}" if config.holiday_country else ""
        )
        print(f"Holidays: {days or 'none listed'}{country}")
    print(f"Agent: {config.agent} · signs replies {config.signature_text}")
    for window in config.windows:
        hours = window.hours if window.hours is not None else "round the clock"
        print(
            f"Window {window.channel}: first response {window.first_response}, next response "
            f"{window.next_response}, follow-up {window.follow_up}, open {hours}"
        )
    for c in config.connectors:
        state = "" if c.enabled else " (disabled)"
        values = msgspec.structs.asdict(c.options)
        options = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
        print(f"Connector {c.name}: {c.type} → channel {c.channel}, every {c.poll_every}{state}")
        if options:
            print(f"    {options}")
    return 0


def cmd_window_text(context: Context) -> int:
    from webcare_tui.core.window_text import window_text

    print(window_text(context.config.clock(), context.args.lang, context.args.channel))
    return 0


def _window_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["nl", "en"], default="en")
    parser.add_argument("--channel", default="*")


COMMANDS = [
    Command("check-config", "validate the config and print what it understood", cmd_check_config),
    Command(
        "window-text",
        "the advertised response window, for a profile bio",
        cmd_window_text,
        _window_arguments,
    ),
]
