"""Who is on shift: each TUI's heartbeat, and the team as `webcare agents` shows it.

A TUI beats every few seconds (`Presence.beat`), naming the thread it looks at and the one it
is replying to. A session not seen for `STALE_SECONDS` no longer counts: its TUI quit or died.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from webcare_tui.services.holders import lease_holder
from webcare_tui.store import Store
from webcare_tui.store.team import PresenceRow

STALE_SECONDS = 60.0
# How often a TUI beats and reads the others: colleagues see "AB is replying" within two seconds.
BEAT_SECONDS = 1.0
# A beat that changes nothing is written this often: every write wakes every other TUI's
# database watcher, and a session stays fresh with a third of the stale time.
REFRESH_SECONDS = STALE_SECONDS / 3


@dataclass(frozen=True, slots=True)
class AgentStatus:
    """One agent as the team sees them: on shift or not, what they hold and reply to."""

    agent: str
    active: bool
    last_seen: datetime | None
    holding: tuple[int, ...]
    replying_to: int | None
    hosts: tuple[str, ...] = ()
    viewing: int | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "agent": self.agent,
            "active": self.active,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "holding": list(self.holding),
            "replying_to": self.replying_to,
        }


def team_status(store: Store, now: datetime) -> list[AgentStatus]:
    """Every agent who runs a TUI or holds a thread: active ones first, then by name."""
    fresh = now - timedelta(seconds=STALE_SECONDS)
    sessions: dict[str, list[PresenceRow]] = {}
    for row in store.presence():
        sessions.setdefault(row.agent, []).append(row)
    held = store.holdings()
    result = []
    for agent in sorted(set(sessions) | set(held)):
        rows = sessions.get(agent, [])  # latest first
        live = [r for r in rows if r.last_seen >= fresh]
        replying = next((r.replying_to for r in live if r.replying_to is not None), None)
        viewing = next((r.viewing for r in live if r.viewing is not None), None)
        result.append(
            AgentStatus(
                agent=agent,
                active=bool(live),
                last_seen=rows[0].last_seen if rows else None,
                holding=tuple(held.get(agent, ())),
                replying_to=replying,
                hosts=tuple(sorted({r.host for r in live})),
                viewing=viewing,
            )
        )
    result.sort(key=lambda s: (not s.active, s.agent))
    return result


class Presence:
    """This TUI's heartbeat row, and what the other live sessions are doing."""

    def __init__(self, store: Store, agent: str, now: Callable[[], datetime]) -> None:
        self._store = store
        self._now = now
        self.agent = agent
        self.session = lease_holder()
        self.started_at = now()
        self.viewing: int | None = None
        self.replying_to: int | None = None
        self._written: tuple[int | None, int | None, datetime] | None = None

    def beat(self) -> bool:
        """Say this session is alive, with what it looks at and replies to now: written when
        that changed or `REFRESH_SECONDS` passed. Returns whether it wrote."""
        now = self._now()
        if self._written is not None:
            viewing, replying_to, at = self._written
            unchanged = (viewing, replying_to) == (self.viewing, self.replying_to)
            if unchanged and (now - at).total_seconds() < REFRESH_SECONDS:
                return False
        self._store.heartbeat(
            PresenceRow(
                session=self.session,
                agent=self.agent,
                host=socket.gethostname(),
                pid=os.getpid(),
                started_at=self.started_at,
                last_seen=now,
                viewing=self.viewing,
                replying_to=self.replying_to,
            )
        )
        self._written = (self.viewing, self.replying_to, now)
        return True

    def leave(self) -> None:
        self._store.end_session(self.session)
        self._written = None

    def replying(self) -> dict[int, tuple[str, ...]]:
        """Threads other live sessions are replying to, and who (not this session)."""
        fresh = self._now() - timedelta(seconds=STALE_SECONDS)
        found: dict[int, set[str]] = {}
        for row in self._store.presence(since=fresh):
            if row.session != self.session and row.replying_to is not None:
                found.setdefault(row.replying_to, set()).add(row.agent)
        return {thread: tuple(sorted(agents)) for thread, agents in found.items()}

    def team(self) -> list[AgentStatus]:
        return team_status(self._store, self._now())
