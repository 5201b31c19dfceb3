"""The database file and its folder, created so that only their owner (or their team) reads them.

Customers' messages and direct messages are personal data: another local user must not read
them. A new folder is 0700 and a new file 0600, or 0660 in a folder that is shared with a group
(setgid or group-writable), as a team's shared database is, with a new folder there 2770.
SQLite gives the WAL and shared-memory files the mode of the database file itself.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["PRIVATE_FILE", "SHARED_FILE", "create_private", "group_shared"]

PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700
SHARED_FILE, SHARED_FOLDER = 0o660, 0o2770


def group_shared(folder: Path) -> bool:
    """True when `folder` is meant for a group: setgid, or writable by its group."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return False
    return bool(mode & (stat.S_ISGID | stat.S_IWGRP))


def _existing_ancestor(folder: Path) -> Path:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def create_private(path: Path) -> None:
    """Create `path` (and its folder) with owner-only or group modes; leave existing ones be."""
    folder = path.parent
    if not folder.exists():
        shared = group_shared(_existing_ancestor(folder))
        folder.mkdir(parents=True, exist_ok=True)
        # Explicitly: mkdir's mode is filtered by the umask, and setgid is not taken from it.
        folder.chmod(SHARED_FOLDER if shared else PRIVATE_FOLDER)
    if path.exists():
        return
    mode = SHARED_FILE if group_shared(folder) else PRIVATE_FILE
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    except FileExistsError:
        return  # another process made it a moment ago
    try:
        os.fchmod(fd, mode)  # the umask may have taken the group bits
    finally:
        os.close(fd)
