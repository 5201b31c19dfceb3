"""The poller, headless, and what it knows of each connector's health."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from webcare_tui.cli.context import Command, Context, fail

if TYPE_CHECKING:
    from webcare_tui.services.poller import Poller
    from webcare_tui.store import Store


def cmd_poll(context: Context) -> int:
    import asyncio
    import logging
    import signal

    from webcare_tui.services.poller import Poller
    from webcare_tui.services.registry import build_all

    store = context.store()
    connectors = build_all(context.config.connectors, database=store.path)
    if not connectors:
        fail("no enabled connectors in the config")
    from webcare_tui.services.outbox import Outbox

    # One set of connectors for both: the outbox sends through the clients the poller opened.
    outbox = Outbox(store, context.config, now=context.now, connectors=dict(connectors))
    poller = Poller(
        store,
        connectors,
        context.config.clock(),
        now=context.now,
        outbox=outbox,
        agent=context.config.agent,
    )
    # --once reports each connector itself; the long-running poller logs as a service would.
    logging.basicConfig(
        level=logging.ERROR if context.args.once else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )

    async def once() -> int:
        from webcare_tui.services.poller import LEASE

        if not store.take_lease(
            LEASE,
            poller.holder,
            now=context.now(),
            ttl_seconds=poller.lease_ttl(),
            agent=context.config.agent,
        ):
            await poller.aclose()
            fail(f"not polled: {_lease_text(store, context)} polls this database already")
        renew = asyncio.create_task(_renew(poller, store, context))
        try:
            outcomes = await poller.run_once()
        finally:
            renew.cancel()
            store.release_lease(LEASE, poller.holder)
            await poller.aclose()
        for outcome in outcomes:
            if outcome.ok:
                skipped = f", {outcome.skipped} skipped" if outcome.skipped else ""
                print(
                    f"{outcome.connector}: {outcome.new_messages} new messages, "
                    f"{outcome.new_threads} new threads{skipped}"
                )
            else:
                print(f"{outcome.connector}: failed: {outcome.error}", file=sys.stderr)
        failed = [o.connector for o in outcomes if not o.ok]
        if failed and len(failed) == len(outcomes):
            print(f"webcare: every connector failed: {', '.join(failed)}", file=sys.stderr)
            return 1
        return 0

    async def forever() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            # A service manager's stop must release the lease so another process takes over.
            loop.add_signal_handler(sig, stop.set)
        try:
            await poller.run(stop)
        finally:
            await poller.aclose()
        return 0

    try:
        return asyncio.run(once() if context.args.once else forever())
    except KeyboardInterrupt:
        return 0


def cmd_status(context: Context) -> int:
    from webcare_tui.core.sanitize import clean_line
    from webcare_tui.core.timeutil import from_db
    from webcare_tui.services.health import ConnectorHealth, HealthStatus, connector_health

    store = context.store()
    now, tz = context.now(), context.config.clock().timezone
    health = {h.name: h for h in map(ConnectorHealth.from_row, store.health())}
    for settings in context.config.connectors:
        h = health.get(settings.name)
        if h is None:
            print(f"{settings.name} ({settings.type}): never polled")
            continue
        parts = [f"{settings.name} ({settings.type}): {connector_health(h, now, tz)}"]
        if h.last_success_at:
            parts.append(f"last success {h.last_success_at.astimezone(tz):%Y-%m-%d %H:%M}")
        if h.last_error and h.status is not HealthStatus.OK:
            parts.append(f"last error: {clean_line(h.last_error)}")
        skipped = store.skipped_count(settings.name)
        if skipped:
            [latest] = store.skipped_items(settings.name, limit=1)
            parts.append(
                f"{skipped} item{'s' if skipped != 1 else ''} skipped, latest "
                f"{latest.remote_id}: {latest.reason}"
            )
        print(" · ".join(parts))
    lease = store.lease("poller")
    if lease and from_db(lease["expires_at"]) > now:
        until = from_db(lease["expires_at"]).astimezone(tz)
        print(f"Poller: held by {_lease_text(store, context)} until {until:%H:%M:%S}")
    else:
        print("Poller: nobody is polling")
    if store.quick_check():  # damaged pages elsewhere than the few rows read above
        fail(f"the database {context.db} is damaged: run `webcare check-db`")
    return 0


async def _renew(poller: Poller, store: Store, context: Context) -> None:
    """Keep `poll --once`'s lease while its round runs longer than the lease lasts."""
    import asyncio

    from webcare_tui.services.poller import LEASE

    ttl = poller.lease_ttl()
    while True:
        await asyncio.sleep(ttl / 3)
        await asyncio.to_thread(
            store.take_lease,
            LEASE,
            poller.holder,
            now=context.now(),
            ttl_seconds=ttl,
            agent=context.config.agent,
        )


def _lease_text(store: Store, context: Context) -> str:
    """Who holds the poller lease, as a person would say it: "AB on host (pid 4711)"."""
    from webcare_tui.core.sanitize import clean_line

    lease = store.lease("poller")
    if lease is None:
        return "nobody"
    host, pid = _host_and_pid(lease["holder"])
    agent = clean_line(lease["agent"]) or "an agent"
    where = f" on {clean_line(host)}" if host else ""
    process = f" (pid {pid})" if pid else ""
    return f"{agent}{where}{process}"


def _host_and_pid(holder: str) -> tuple[str, str]:
    """`host:pid:tag` (see services/holders.py) as its host and pid; a foreign holder as is."""
    parts = holder.split(":")
    if len(parts) >= 3 and parts[-2].isdigit():
        return ":".join(parts[:-2]), parts[-2]
    return holder, ""


def _poll_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--once", action="store_true", help="one round of every connector, then exit"
    )


COMMANDS = [
    Command("poll", "run the headless poller", cmd_poll, _poll_arguments),
    Command("status", "each connector's health and the poller lease", cmd_status),
]
