"""Where the X connector keeps the token pair a refresh gave it, so that a restart finds it.

X rotates refresh tokens: each refresh answers a new one and the old one stops working, so the
refresh token in the environment is dead after its first use. The pair X gave us last is kept
in a small JSON file beside the database, readable by its owner only (0600), replaced whole
(a temporary file and `os.replace`) so that a crash leaves the old pair or the new one, never
half of either. The file also remembers a fingerprint of the environment's tokens it grew
from: when someone puts new tokens in the environment (after authorising again), those win.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["TokenFile", "TokenPair", "env_fingerprint"]

FILE_MODE = 0o600


@dataclass(frozen=True, slots=True)
class TokenPair:
    """An access token and the refresh token that renews it."""

    access: str
    refresh: str


def env_fingerprint(access: str, refresh: str) -> str:
    """A short digest of the environment's tokens: tells a stale file from a fresh start, and
    does not reveal the tokens."""
    return hashlib.sha256(f"{access}\n{refresh}".encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class TokenFile:
    """One connector's token file at `path`."""

    path: Path

    def load(self, fingerprint: str) -> TokenPair | None:
        """The stored pair, if it grew from the environment tokens with `fingerprint`; None when
        there is no file, it cannot be read, or the environment has new tokens since."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("from_env") != fingerprint:
            return None
        access, refresh = data.get("access_token"), data.get("refresh_token")
        if not (isinstance(access, str) and access and isinstance(refresh, str) and refresh):
            return None
        return TokenPair(access, refresh)

    def save(self, pair: TokenPair, fingerprint: str) -> None:
        """Replace the file with `pair`, atomically, mode 0600. Raises OSError when the folder
        cannot be written."""
        body = json.dumps(
            {"access_token": pair.access, "refresh_token": pair.refresh, "from_env": fingerprint}
        )
        handle, temporary = tempfile.mkstemp(
            dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".tmp"
        )
        try:
            os.fchmod(handle, FILE_MODE)  # before a byte is written: never readable by others
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
