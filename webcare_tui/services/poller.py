"""The poller: every connector on its interval, a lease so one process polls a database.

It runs inside the TUI (as a worker) and headless (`webcare poll`). A connector's failure is
recorded as its health and backed off with jitter; it never stops the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from webcare_tui.connectors.base import AuthFailed, Connector, ConnectorError, RateLimited
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.timeutil import now_utc
from webcare_tui.store import Store

log = logging.getLogger(__name__)
LEASE = "poller"
MAX_BACKOFF = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """How one poll of one connector went."""

    connector: str
    ok: bool
    new_messages: int = 0
    new_threads: int = 0
    error: str | None = None
    retry_at: datetime | None = None


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Poller:
    def __init__(
        self,
        store: Store,
        connectors: Mapping[str, Connector],
        clock: ResponseClock,
        *,
        now: Callable[[], datetime] = now_utc,
        holder: str | None = None,
        on_outcome: Callable[[PollOutcome], None] | None = None,
    ) -> None:
        self.store = store
        self.connectors = dict(connectors)
        self.clock = clock
        self.now = now
        self.holder = holder or holder_id()
        self.on_outcome = on_outcome
        self._failures: dict[str, int] = {}
        self._next_at: dict[str, datetime] = {}

    async def poll(self, name: str) -> PollOutcome:
        """One round of one connector: fetch after the stored cursor, store, record health."""
        connector = self.connectors[name]
        settings = connector.settings
        try:
            cursor = await asyncio.to_thread(self.store.cursor, name)
            fetched = await connector.fetch(cursor)
            result = await asyncio.to_thread(
                self.store.ingest,
                name,
                settings.channel,
                fetched.messages,
                clock=self.clock,
                seen_at=self.now(),
                cursor=fetched.cursor if fetched.cursor is not None else cursor,
            )
        except ConnectorError as error:
            outcome = await self._failed(name, error, str(error), error.retry_at)
        except Exception as error:  # a bug in one connector must not stop the others
            log.exception("connector %s failed", name)
            outcome = await self._failed(name, error, f"{type(error).__name__}: {error}", None)
        else:
            self._failures.pop(name, None)
            status = "warning" if fetched.warnings else "ok"
            await asyncio.to_thread(
                self.store.record_health,
                name,
                status=status,
                now=self.now(),
                error="; ".join(fetched.warnings) if status == "warning" else None,
            )
            outcome = PollOutcome(
                name, True, result.new_messages, len(result.new_threads), None, None
            )
            self._next_at[name] = self.now() + settings.poll_every
        if self.on_outcome:
            self.on_outcome(outcome)
        return outcome

    async def _failed(
        self, name: str, error: BaseException, message: str, retry_at: datetime | None
    ) -> PollOutcome:
        failures = self._failures.get(name, 0) + 1
        self._failures[name] = failures
        interval = self.connectors[name].settings.poll_every
        backoff = min(interval * (2 ** min(failures - 1, 10)), MAX_BACKOFF)
        wait = backoff * random.uniform(0.5, 1.5)
        until = self.now() + wait
        if retry_at is not None and retry_at > until:
            until = retry_at
        status = "auth failed" if isinstance(error, AuthFailed) else "backing off"
        if isinstance(error, RateLimited):
            status = "rate limited"
        self._next_at[name] = until
        self.store.record_health(
            name, status=status, now=self.now(), error=message, backoff_until=until
        )
        return PollOutcome(name, False, error=message, retry_at=until)

    async def run_once(self) -> list[PollOutcome]:
        """Every enabled connector once, side by side."""
        return list(await asyncio.gather(*(self.poll(name) for name in self.connectors)))

    def lease_ttl(self) -> float:
        shortest = min(
            (c.settings.poll_every.total_seconds() for c in self.connectors.values()), default=60
        )
        return max(10.0, shortest)

    async def run(self, stop: asyncio.Event, tick: float = 1.0) -> None:
        """Poll every connector on its interval until `stop` is set, while holding the lease.

        Without the lease this process only waits: another one polls for everybody, and if it
        dies its lease runs out and this one takes over within one interval.
        """
        ttl = self.lease_ttl()
        renewed: datetime | None = None
        try:
            while not stop.is_set():
                now = self.now()
                if renewed is None or (now - renewed).total_seconds() > ttl / 3:
                    have = await asyncio.to_thread(
                        self.store.take_lease, LEASE, self.holder, now=now, ttl_seconds=ttl
                    )
                    renewed = now if have else None
                if renewed is not None:
                    due = [n for n in self.connectors if self._next_at.get(n, now) <= now]
                    if due:
                        await asyncio.gather(*(self.poll(n) for n in due))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=tick)
        finally:
            if renewed is not None:
                await asyncio.to_thread(self.store.release_lease, LEASE, self.holder)

    async def aclose(self) -> None:
        for connector in self.connectors.values():
            await connector.aclose()
