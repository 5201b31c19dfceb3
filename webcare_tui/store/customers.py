"""What a batch of messages tells of its customers: the name and follower count of the newest
message that said them, whichever order the messages arrived in."""

from __future__ import annotations

import sqlite3

from webcare_tui.store.base import chunks

_NEWER = (
    "INSERT INTO customers (connector, handle, name, followers, updated_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (connector, handle) DO UPDATE SET "
    "name = COALESCE(excluded.name, name), "
    "followers = COALESCE(excluded.followers, followers), updated_at = excluded.updated_at"
)
# Only older messages of theirs in the batch (an import's replies held back for their parents,
# a late page): what is stored came from a newer one, and they only fill its gaps.
_OLDER = (
    "INSERT INTO customers (connector, handle, name, followers, updated_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (connector, handle) DO UPDATE SET "
    "name = COALESCE(name, excluded.name), "
    "followers = COALESCE(followers, excluded.followers), updated_at = excluded.updated_at"
)


class BatchCustomers:
    """Per handle, the newest name and follower count a batch's customer messages told; a
    message without them (a DM, say) keeps what another one said."""

    def __init__(self) -> None:
        self._told: dict[str, tuple[str, str | None, int | None]] = {}

    def add(self, handle: str, created_db: str, name: str | None, followers: int | None) -> None:
        """One customer message, written at `created_db` (stored time text)."""
        before = self._told.get(handle)
        if before is None:
            self._told[handle] = (created_db, name, followers)
            return
        at, old_name, old_followers = before
        if created_db >= at:
            self._told[handle] = (
                created_db,
                name or old_name,
                old_followers if followers is None else followers,
            )
        else:
            self._told[handle] = (
                at,
                old_name or name,
                followers if old_followers is None else old_followers,
            )

    def write(self, conn: sqlite3.Connection, connector: str, seen: str) -> None:
        """Store what the batch told; call after its messages are stored."""
        newest: dict[str, str] = {}
        for chunk in chunks(list(self._told)):
            marks = ",".join("?" * len(chunk))
            newest.update(
                conn.execute(
                    "SELECT author, MAX(created_at) FROM messages WHERE connector = ? "
                    f"AND direction = 'in' AND author IN ({marks}) GROUP BY author",
                    (connector, *chunk),
                ).fetchall()
            )
        rows = {True: [], False: []}  # type: dict[bool, list[tuple[object, ...]]]
        for handle, (at, name, followers) in self._told.items():
            rows[at >= newest.get(handle, at)].append((connector, handle, name, followers, seen))
        conn.executemany(_NEWER, rows[True])
        conn.executemany(_OLDER, rows[False])
