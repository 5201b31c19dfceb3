"""What a batch of messages tells of its customers: the name and follower count of the newest
message that said them, whichever order the messages arrived in."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

# Each fact is replaced only by a newer message that tells it; a row stored before the
# times were kept (`*_at` NULL) takes any.
_UPSERT = (
    "INSERT INTO customers (connector, handle, name, name_at, followers, followers_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (connector, handle) DO UPDATE SET "
    "name = CASE WHEN {name} THEN excluded.name ELSE name END, "
    "name_at = CASE WHEN {name} THEN excluded.name_at ELSE name_at END, "
    "followers = CASE WHEN {followers} THEN excluded.followers ELSE followers END, "
    "followers_at = CASE WHEN {followers} THEN excluded.followers_at ELSE followers_at END, "
    "updated_at = excluded.updated_at"
).format(
    name="excluded.name IS NOT NULL AND (name_at IS NULL OR excluded.name_at >= name_at)",
    followers="excluded.followers IS NOT NULL "
    "AND (followers_at IS NULL OR excluded.followers_at >= followers_at)",
)


@dataclass(slots=True)
class _Told:
    name: str | None = None
    name_at: str | None = None
    followers: int | None = None
    followers_at: str | None = None


class BatchCustomers:
    """Per handle, the newest name and follower count a batch's customer messages told; a
    message without them (a DM, say) keeps what another one said."""

    def __init__(self) -> None:
        self._told: dict[str, _Told] = {}

    def add(self, handle: str, created_db: str, name: str | None, followers: int | None) -> None:
        """One customer message, written at `created_db` (stored time text)."""
        told = self._told.get(handle)
        if told is None:
            told = self._told[handle] = _Told()
        if name and (told.name_at is None or created_db >= told.name_at):
            told.name, told.name_at = name, created_db
        if followers is not None and (told.followers_at is None or created_db >= told.followers_at):
            told.followers, told.followers_at = followers, created_db

    def followers(self) -> dict[str, int | None]:
        """Per customer who wrote in the batch, the newest follower count told (None: none)."""
        return {handle: told.followers for handle, told in self._told.items()}

    def write(self, conn: sqlite3.Connection, connector: str, seen: str) -> None:
        """Store what the batch told, keeping what newer messages told before."""
        conn.executemany(
            _UPSERT,
            [
                (connector, handle, t.name, t.name_at, t.followers, t.followers_at, seen)
                for handle, t in self._told.items()
            ],
        )
