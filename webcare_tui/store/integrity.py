"""`webcare check-db`: is the database whole, ours, current, and private? Read-only throughout.

A damaged file must be examined without being changed (no migration, no WAL switch), so this
opens it with SQLite's read-only mode instead of through the Store.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from webcare_tui.store.base import APPLICATION_ID
from webcare_tui.store.schema import MIGRATIONS

__all__ = ["DatabaseCheck", "check_database"]

_SHOWN_PROBLEMS = 10


@dataclass(frozen=True, slots=True)
class DatabaseCheck:
    """What `check_database` found.

    `problems` are `PRAGMA integrity_check`'s findings (empty: whole); `unreadable` says why the
    file could not be examined at all. `modes` are the permission bits of the file, its WAL,
    its shared-memory file and its folder (None: not there).
    """

    path: Path
    exists: bool
    problems: list[str] = field(default_factory=list)
    unreadable: str | None = None
    schema_version: int | None = None
    application_id: int | None = None
    modes: dict[str, int | None] = field(default_factory=dict)

    @property
    def expected_version(self) -> int:
        return len(MIGRATIONS)

    @property
    def ours(self) -> bool:
        return self.application_id in (APPLICATION_ID, 0)

    @property
    def damaged(self) -> bool:
        return bool(self.problems) or self.unreadable is not None

    @property
    def open_to_others(self) -> list[str]:
        """The files that users outside the owner's group can read (a folder shows only names)."""
        return [
            name
            for name, mode in self.modes.items()
            if name != "folder" and mode is not None and mode & 0o004
        ]


def _mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return None


def check_database(path: Path) -> DatabaseCheck:
    """Examine the database at `path` without writing to it."""
    modes = {
        path.name: _mode(path),
        f"{path.name}-wal": _mode(Path(f"{path}-wal")),
        f"{path.name}-shm": _mode(Path(f"{path}-shm")),
        "folder": _mode(path.parent),
    }
    if not path.is_file():
        return DatabaseCheck(path, exists=False, modes=modes)
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as error:
        return DatabaseCheck(path, True, unreadable=str(error), modes=modes)
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        problems = [] if rows == ["ok"] else rows[:_SHOWN_PROBLEMS]
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        application_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    except sqlite3.Error as error:
        return DatabaseCheck(path, True, unreadable=str(error), modes=modes)
    finally:
        conn.close()
    return DatabaseCheck(path, True, problems, None, version, application_id, modes)
