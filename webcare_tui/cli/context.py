"""What every command gets: the parsed arguments, the config, the database path, the clock."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from webcare_tui.config import Config, demo_config, load_config
from webcare_tui.core.timeutil import now_utc
from webcare_tui.paths import config_path, db_path

if TYPE_CHECKING:
    from webcare_tui.store import Store


class UsageError(Exception):
    """Bad usage: exit 2."""


class Failed(Exception):
    """The operation failed: exit 1."""


@dataclass
class Context:
    args: argparse.Namespace
    config: Config
    db: Path
    now: Callable[[], datetime] = now_utc

    def store(self) -> Store:
        from webcare_tui.store import Store

        try:
            store = Store(self.db)
        except Exception as error:  # sqlite3 errors, permissions, a newer schema
            raise Failed(f"cannot open the database {self.db}: {error}") from None
        store.recompute_clocks(self.config.clock(), self.config.clock_fingerprint())
        store.wake_snoozed(self.now(), self.config.clock())
        return store


@dataclass(frozen=True)
class Command:
    """One subcommand: its name and help, how it reads its arguments, what it runs."""

    name: str
    help: str
    run: Callable[[Context], int]
    arguments: Callable[[argparse.ArgumentParser], None] = lambda parser: None


def load(args: argparse.Namespace) -> Context:
    demo = bool(getattr(args, "demo", False))
    if demo:
        config = demo_config()
    else:
        path, named = config_path(args.config)
        config = load_config(path) if named or path.exists() else demo_config()
    db = db_path(args.db, demo=config.is_demo)
    if demo and not args.db:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return Context(args=args, config=config, db=db)


def fail(message: str) -> NoReturn:
    raise Failed(message)


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
