"""What every command gets: the parsed arguments, the config, the database path, the clock."""

from __future__ import annotations

import argparse
import json
import os
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
        from webcare_tui.store import Store, StoreError

        try:
            store = Store(self.db)
        except StoreError:
            raise  # says what is wrong and what to do already
        except Exception as error:
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
    _check_db_path(db, "--db" if args.db else "WEBCARE_DB" if os.environ.get("WEBCARE_DB") else "")
    if demo and not args.db:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return Context(args=args, config=config, db=db)


def _check_db_path(db: Path, named_by: str) -> None:
    """A database the user named must be a file in a folder that exists: creating the folder
    would hide a typo behind a new, empty inbox."""
    if not named_by:
        return
    if db.is_dir():
        raise UsageError(f"{named_by} {db}: is a folder, expected a database file")
    if not db.parent.is_dir():
        raise UsageError(f"{named_by} {db}: the folder {db.parent} does not exist")


def thread_id(text: str) -> int:
    """An argparse type for THREAD: a whole number the database can hold."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a thread number") from None
    if not 0 < value < 2**63:
        raise argparse.ArgumentTypeError(f"there is no thread {text}")
    return value


def fail(message: str) -> NoReturn:
    raise Failed(message)


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
