"""The poller: every connector on its interval, a lease so one process polls a database.

It runs inside the TUI (as a worker) and headless (`webcare poll`). A connector's failure, of
whatever kind, is recorded as its health and backed off with jitter; it never stops the others,
and nothing a connector raises escapes `Poller.poll` or `Poller.run`.

Why a cursor can never skip a mention: the cursor a fetch returns is stored by `Store.ingest`
in the same transaction as the batch it covers. A crash before that commit leaves the old
cursor, so the next round fetches the same mentions again, and the store drops the doubles.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import traceback
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from webcare_tui.connectors.base import (
    AuthFailed,
    Connector,
    ConnectorError,
    FetchResult,
    RateLimited,
    TransientError,
)
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.timeutil import from_db, now_utc, whole_second_after
from webcare_tui.services.holders import lease_holder
from webcare_tui.services.poll_outcome import (
    AUTH_BACKOFF,
    AUTH_FAILED,
    BACKING_OFF,
    MAX_RETRY_WAIT,
    OK,
    RATE_LIMITED,
    WARNING,
    PollOutcome,
    backoff_delay,
    error_line,
    redact_secrets,
    secrets_of,
)
from webcare_tui.store import IngestResult, Store, StoreError

if TYPE_CHECKING:
    from webcare_tui.services.outbox import Outbox

__all__ = ["LEASE", "PollOutcome", "Poller"]

log = logging.getLogger(__name__)

LEASE = "poller"
# The shortest lease; with `poll_every` of 5 s (the config's minimum) renewal is every ~1.3 s.
MIN_LEASE_TTL = 4.0
# httpx's timeouts are per read, so a server that drips a byte every few seconds never trips
# them; this bounds a whole fetch (a Bluesky catch-up of many pages stays well inside it).
FETCH_DEADLINE = timedelta(minutes=10)


class Poller:
    """Polls every connector on its own `poll_every`, while this process holds the lease.

    `now` is the one clock (tests pass a controllable one); `rng` drives the back-off jitter.
    `on_outcome` is called on the event loop after every poll, successful or not.
    """

    def __init__(
        self,
        store: Store,
        connectors: Mapping[str, Connector],
        clock: ResponseClock,
        *,
        now: Callable[[], datetime] = now_utc,
        holder: str | None = None,
        agent: str | None = None,
        on_outcome: Callable[[PollOutcome], None] | None = None,
        rng: random.Random | None = None,
        fetch_deadline: timedelta = FETCH_DEADLINE,
        outbox: Outbox | None = None,
    ) -> None:
        self.store = store
        self.connectors = dict(connectors)
        self.clock = clock
        self.now = now
        self.holder = holder or lease_holder()
        self.agent = agent  # named beside the lease, so `status` says who polls
        self.on_outcome = on_outcome
        self.rng = rng or random.Random()
        self.fetch_deadline = fetch_deadline
        self.holding = False
        self._failures: dict[str, int] = {}
        self._next_at: dict[str, datetime] = {}
        self._renewed_at: datetime | None = None
        self._restored = False
        self._inflight: dict[str, asyncio.Task[PollOutcome]] = {}
        self.outbox = outbox
        self._sending: asyncio.Task[None] | None = None

    # -- one connector -----------------------------------------------------------------------

    async def poll(self, name: str) -> PollOutcome:
        """One round of one connector: fetch after the stored cursor, store the batch and the
        new cursor together, record health. Never raises (cancellation aside)."""
        connector = self.connectors[name]
        try:
            cursor = await asyncio.to_thread(self.store.cursor, name)
            fetched = await self._fetch(connector, cursor)
            seen_at = self.now()
            result = await asyncio.to_thread(
                self.store.ingest,
                name,
                connector.settings.channel,
                fetched.messages,
                clock=self.clock,
                seen_at=seen_at,
                cursor=fetched.cursor if fetched.cursor is not None else cursor,
                skipped=fetched.skipped,
            )
        except Exception as error:  # anything at all: one connector must not stop the others
            outcome = await self._failed(name, error)
        else:
            outcome = await self._succeeded(name, fetched, result, seen_at)
        self._report(outcome)
        return outcome

    async def _fetch(self, connector: Connector, cursor: str | None) -> FetchResult:
        try:
            return await asyncio.wait_for(
                connector.fetch(cursor), self.fetch_deadline.total_seconds()
            )
        except TimeoutError:
            seconds = self.fetch_deadline.total_seconds()
            raise TransientError(
                f"{connector.name}: fetching took longer than {seconds:g} s; gave up for now"
            ) from None

    async def _succeeded(
        self, name: str, fetched: FetchResult, result: IngestResult, seen_at: datetime
    ) -> PollOutcome:
        connector = self.connectors[name]
        self._failures.pop(name, None)
        now = self.now()
        self._next_at[name] = now + connector.settings.poll_every
        warning = None
        notes = [*fetched.warnings, *(f"skipped {i}: {why}" for i, why in result.rejected)]
        if notes:
            warning = error_line("; ".join(notes), secrets_of(connector))
            log.warning("%s: %s", name, warning)
        status = WARNING if warning else OK
        await self._record_health(name, status=status, now=now, error=warning)
        return PollOutcome(
            name,
            True,
            result.new_messages,
            len(result.new_threads),
            reopened_threads=len(result.reopened_threads),
            status=status,
            skipped=len(fetched.skipped) + len(result.rejected),
        )

    async def _failed(self, name: str, error: Exception) -> PollOutcome:
        connector = self.connectors[name]
        secrets = secrets_of(connector)
        # A damaged, full or read-only database is trouble to report, not a bug to trace.
        expected = isinstance(error, ConnectorError | StoreError)
        text = str(error) or type(error).__name__
        if not expected:
            text = f"unexpected {type(error).__name__}: {text}"
        message = error_line(text, secrets)

        failures = self._failures.get(name, 0) + 1
        self._failures[name] = failures
        now = self.now()
        if isinstance(error, AuthFailed):
            status, until = AUTH_FAILED, now + AUTH_BACKOFF
        else:
            status = RATE_LIMITED if isinstance(error, RateLimited) else BACKING_OFF
            until = now + backoff_delay(failures, connector.settings.poll_every, self.rng)
        retry_at = error.retry_at if isinstance(error, ConnectorError) else None
        if retry_at is not None:
            # Retry-After, or the platform's reset header: never earlier than the server said.
            until = max(until, min(retry_at, now + MAX_RETRY_WAIT))
        until = whole_second_after(until)
        self._next_at[name] = until

        if expected:
            log.warning("%s: %s (%s until %s)", name, message, status, until.isoformat())
        else:
            # A bug: the traceback is what a developer needs, but redacted like the message.
            trace = "".join(traceback.format_exception(error))
            log.error(
                "%s failed (%s until %s)\n%s", name, status, until, redact_secrets(trace, secrets)
            )
        await self._record_health(name, status=status, now=now, error=message, backoff_until=until)
        return PollOutcome(name, False, error=message, retry_at=until, status=status)

    async def _record_health(
        self,
        name: str,
        *,
        status: str,
        now: datetime,
        error: str | None = None,
        backoff_until: datetime | None = None,
    ) -> None:
        try:
            await asyncio.to_thread(
                self.store.record_health,
                name,
                status=status,
                now=now,
                error=error,
                backoff_until=backoff_until,
            )
        except Exception:  # a busy database: the status bar is one round behind, no more
            log.exception("could not record the health of %s", name)

    def _report(self, outcome: PollOutcome) -> None:
        if self.on_outcome is None:
            return
        try:
            self.on_outcome(outcome)
        except Exception:  # a listener's bug must not end the polling
            log.exception("on_outcome failed for %s", outcome.connector)

    # -- every connector -----------------------------------------------------------------------

    async def run_once(self) -> list[PollOutcome]:
        """Every connector once, side by side, back-offs and lease aside (`poll --once`); then
        the outbox's due replies."""
        outcomes = list(await asyncio.gather(*(self.poll(name) for name in self.connectors)))
        await self._send_outbox()
        return outcomes

    def lease_ttl(self) -> float:
        """Seconds a lease lasts: shorter than the shortest interval, so that when its holder
        dies another process takes over (retrying every tick) within one interval."""
        shortest = min(
            (c.settings.poll_every.total_seconds() for c in self.connectors.values()), default=60
        )
        return max(MIN_LEASE_TTL, shortest * 0.75)

    async def step(self) -> bool:
        """One turn of the loop: keep (or try to take) the lease and start every connector that
        is due, each as its own task, so that a slow one delays neither the others nor the
        lease's renewal. Returns whether this process holds the lease."""
        now = self.now()
        await self._keep_lease(now)
        if not self.holding:
            return False
        if not self._restored:
            await self._restore(now)
        for name in self.connectors:
            due = self._next_at.get(name, now) <= now
            if due and name not in self._inflight:
                self._inflight[name] = asyncio.create_task(self._poll_task(name))
        if self.outbox is not None and (self._sending is None or self._sending.done()):
            # The lease holder sends for every agent, so a reply whose TUI quit still goes out.
            self._sending = asyncio.create_task(self._send_outbox())
        return True

    async def _send_outbox(self) -> None:
        if self.outbox is None:
            return
        try:
            for outcome in await self.outbox.send_due():
                if outcome.ok:
                    log.info("sent reply %s as %s", outcome.item.id, outcome.item.remote_id)
                else:
                    log.warning("reply %s not sent: %s", outcome.item.id, outcome.error)
        except Exception:  # a busy database: the next round tries again
            log.exception("sending the outbox failed")

    async def _poll_task(self, name: str) -> PollOutcome:
        try:
            return await self.poll(name)
        finally:
            # Here rather than in a done-callback: by the time anyone hears the outcome, the
            # connector can be started again.
            self._inflight.pop(name, None)

    def busy(self) -> frozenset[str]:
        """The connectors being polled right now."""
        return frozenset(self._inflight)

    async def settle(self) -> None:
        """Wait for the polls (and the outbox round) that `step` started."""
        sending = [self._sending] if self._sending is not None else []
        await asyncio.gather(*list(self._inflight.values()), *sending, return_exceptions=True)

    async def run(self, stop: asyncio.Event, tick: float = 1.0) -> None:
        """Poll every connector on its interval until `stop` is set, while holding the lease.

        Without the lease this process only waits: another one polls for everybody, and if it
        dies its lease runs out and this one takes over within one interval. On the way out the
        polls under way are cancelled (safe: a batch and its cursor commit together) and the
        lease is released, so a successor need not wait for it to expire.
        """
        try:
            while not stop.is_set():
                await self.step()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=tick)
        finally:
            for task in list(self._inflight.values()):
                task.cancel()
            if self._sending is not None:
                self._sending.cancel()  # safe: an item cut off mid-send is resumed by its key
            await self.settle()
            self._inflight.clear()  # a task cancelled before it began never removed itself
            await self.release()

    async def release(self) -> None:
        """Give the lease up, if this process holds it."""
        if not self.holding:
            return
        self.holding = False
        self._renewed_at = None
        try:
            await asyncio.to_thread(self.store.release_lease, LEASE, self.holder)
        except Exception:  # it expires by itself; the successor only waits a little longer
            log.exception("could not release the poller lease")

    async def _keep_lease(self, now: datetime) -> None:
        ttl = self.lease_ttl()
        if self._renewed_at is not None and (now - self._renewed_at).total_seconds() < ttl / 3:
            return
        try:
            have = await asyncio.to_thread(
                self.store.take_lease,
                LEASE,
                self.holder,
                now=now,
                ttl_seconds=ttl,
                agent=self.agent,
            )
        except Exception:  # a locked database: do not poll on a lease we cannot vouch for
            log.exception("could not renew the poller lease")
            have = False
        if self.holding and not have:
            log.warning("%s: lost the poller lease; another process polls now", self.holder)
            # The other process keeps its own schedule; should the lease come back, start from
            # what it recorded rather than from ours, which is stale by then.
            self._next_at.clear()
            self._failures.clear()
            self._restored = False
        elif have and not self.holding:
            log.info("%s: took the poller lease", self.holder)
        self.holding = have
        self._renewed_at = now if have else None

    async def _restore(self, now: datetime) -> None:
        """Carry on where the previous holder stopped: no poll before its connector's interval
        is up, no retry before its back-off ends. An "auth failed" back-off is not carried
        over: a new process may well have been started with the fixed credentials."""
        try:
            rows = await asyncio.to_thread(self.store.health)
        except Exception:
            log.exception("could not read connector health; polling everything now")
            rows = []
        for row in rows:
            name = str(row.get("name"))
            if name not in self.connectors or name in self._next_at:
                continue
            interval = self.connectors[name].settings.poll_every
            candidates = []
            success = row.get("last_success_at")
            if isinstance(success, str) and success:
                candidates.append(from_db(success) + interval)
            until = row.get("backoff_until")
            if isinstance(until, str) and until and row.get("status") != AUTH_FAILED:
                candidates.append(min(from_db(until), now + MAX_RETRY_WAIT))
                failures = row.get("failures")
                self._failures[name] = failures if isinstance(failures, int) else 0
            later = max(candidates, default=now)
            if later > now:
                self._next_at[name] = later
        self._restored = True

    async def aclose(self) -> None:
        """Close every connector's HTTP client; one failing close does not skip the rest."""
        for connector in self.connectors.values():
            try:
                await connector.aclose()
            except Exception:
                log.exception("closing %s failed", connector.name)
