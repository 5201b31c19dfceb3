"""What the config says: checked, and the window as text for a profile bio."""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path

import msgspec

from webcare_tui.cli.context import Command, Context
from webcare_tui.services.registry import connector_class


def cmd_check_config(context: Context) -> int:
    from webcare_tui.cli.ui_settings import check_ui_settings

    config = context.config
    check_ui_settings(config)
    where = str(config.path) if config.path else "built-in demo workspace (no config file)"
    print(f"Config: {where}")
    print(f"Database: {context.db}")
    print(f"Team: {config.team_name} · timezone {config.timezone}")
    if config.holidays or config.holiday_countries:
        days = ", ".join(d.isoformat() for d in config.holidays)
        countries = ", ".join(config.holiday_countries)
        country = f" + public holidays of {countries}" if countries else ""
        print(f"Holidays: {days or 'none listed'}{country}")
    print(f"Contacts we publish: {_listed(config.contacts)}")
    print(f"Agent: {config.agent} · signs replies {config.signature_text}")
    for window in config.windows:
        hours = window.hours if window.hours is not None else "round the clock"
        print(
            f"Window {window.channel}: first response {window.first_response}, next response "
            f"{window.next_response}, follow-up {window.follow_up}, open {hours}"
        )
    print(f"Escalation teams: {_listed(config.escalation_teams)}")
    print(f"DM template: {config.dm_template}")
    print(f"Public template: {config.public_template}")
    print(f"Tags: {_listed(config.tags)}")
    print(f"Blocked replies sent anyway by: {_OVERRIDES[config.override_mode]}")
    print(f"Theme: {config.theme}")
    for binding, key in sorted(config.keys.items()):
        print(f"Key {binding}: {key}")
    warnings: list[str] = []
    for c in config.connectors:
        state = "" if c.enabled else " (disabled)"
        values = msgspec.structs.asdict(c.options)
        options = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
        print(f"Connector {c.name}: {c.type} → channel {c.channel}, every {c.poll_every}{state}")
        if options:
            print(f"    {options}")
        if c.enabled:
            cls = connector_class(c.type)
            warnings += [
                f"connector {c.name}: {w}" for w in cls.check_options(c.options, os.environ)
            ]
    warnings += _file_mode_warnings(context)
    for warning in warnings:
        print(f"Warning: {warning}")
    return 0


def _file_mode_warnings(context: Context) -> list[str]:
    """A config naming secrets, or a database of customers' messages, that every local user
    can read."""
    config = context.config
    found = []
    secrets = sorted(
        variable for c in config.connectors for variable in c.options.secret_variables().values()
    )
    if config.path is not None and _world_readable(config.path):
        named = f" and names the secrets {', '.join(secrets)}" if secrets else ""
        found.append(
            f"the config {config.path} is readable by every user of this machine{named}: "
            f"chmod o-rwx {config.path}"
        )
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{context.db}{suffix}")
        if _world_readable(path):
            found.append(
                f"the database {path} is readable by every user of this machine (customers' "
                f"messages): chmod o-rwx {path}"
            )
    return found


def _world_readable(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & stat.S_IROTH)
    except OSError:
        return False


_OVERRIDES = {"reason": "the agent, giving a reason", "second-agent": "a second agent's approval"}


def _listed(names: tuple[str, ...]) -> str:
    return ", ".join(names) if names else "none"


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
