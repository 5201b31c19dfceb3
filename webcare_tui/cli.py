"""The `webcare` command. Only the TUI imports Textual, and only when it starts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from webcare_tui.config import Config, ConfigError, demo_config, load_config
from webcare_tui.core.model import ThreadState
from webcare_tui.core.timeutil import now_utc
from webcare_tui.paths import config_path, db_path


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

    def store(self) -> Any:
        from webcare_tui.store import Store

        try:
            store = Store(self.db)
        except Exception as error:  # sqlite3 errors, permissions, a newer schema
            raise Failed(f"cannot open the database {self.db}: {error}") from None
        store.recompute_clocks(self.config.clock(), self.config.clock_fingerprint())
        return store


def _common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--config", metavar="FILE", default=default, help="the config file")
    parser.add_argument("--db", metavar="FILE", default=default, help="the SQLite database")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="webcare", description="A keyboard-driven terminal inbox for webcare teams."
    )
    _common(parser, suppress=False)
    parser.add_argument("--demo", action="store_true", help="open the demo workspace, fresh")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _common(sub, suppress=True)
        return sub

    poll = command("poll", "run the headless poller")
    poll.add_argument("--once", action="store_true", help="one round of every connector, then exit")
    threads = command("threads", "list threads, most urgent first")
    threads.add_argument("--json", action="store_true")
    threads.add_argument("--state", choices=[s.value for s in ThreadState])
    show = command("show", "one thread with all its messages, notes and events")
    show.add_argument("thread", type=int)
    show.add_argument("--json", action="store_true")
    reply = command("reply", "send a reply as this agent through the thread's connector")
    reply.add_argument("thread", type=int)
    reply.add_argument("--text", required=True, help="the reply, signature included")
    reply.add_argument(
        "--force",
        action="store_true",
        help="send although another agent holds the thread or a check blocks; recorded",
    )
    escalate = command("escalate", "escalate a thread to phone, DM or a team")
    escalate.add_argument("thread", type=int)
    escalate.add_argument("--to", required=True, help="phone | dm | team:NAME")
    escalate.add_argument("--note", default="")
    importer = command("import", "load mentions from JSON Lines (idempotent)")
    importer.add_argument("file")
    importer.add_argument("--connector", required=True)
    command("check-config", "validate the config and print what it understood")
    command("status", "each connector's health and the poller lease")
    window = command("window-text", "the advertised response window, for a profile bio")
    window.add_argument("--lang", choices=["nl", "en"], default="en")
    window.add_argument("--channel", default="*")
    return parser


def load(args: argparse.Namespace) -> Context:
    demo = bool(getattr(args, "demo", False))
    if demo:
        config = demo_config()
    else:
        path, named = config_path(args.config)
        config = load_config(path) if named or path.exists() else demo_config()
    db = db_path(args.db, demo=config.is_demo)
    if demo and not args.db:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    return Context(args=args, config=config, db=db)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        context = load(args)
        if args.command is None:
            return run_tui(context)
        return COMMANDS[args.command](context)
    except ConfigError as error:
        print(f"webcare: {error}", file=sys.stderr)
        return 2
    except UsageError as error:
        print(f"webcare: {error}", file=sys.stderr)
        return 2
    except Failed as error:
        print(f"webcare: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def fail(message: str) -> NoReturn:
    raise Failed(message)


def run_tui(context: Context) -> int:
    from webcare_tui.ui.app import run

    return run(context.config, context.db)


def _emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def cmd_threads(context: Context) -> int:
    from webcare_tui.core.due_text import countdown_cell
    from webcare_tui.services.views import thread_view
    from webcare_tui.store.store import FeedFilter

    store = context.store()
    state = ThreadState(context.args.state) if context.args.state else None
    feed = FeedFilter(state=state)
    clock, now = context.config.clock(), context.now()
    threads = store.feed_slice(feed, 0, 1_000_000)
    views = [thread_view(t, clock, now) for t in threads]
    if context.args.json:
        _emit_json(views)
        return 0
    if not views:
        print("No threads.")
        return 0
    for thread, view in zip(threads, views, strict=True):
        due = countdown_cell(thread, clock, now)[0] or "-"
        print(
            f"{view['id']:>6}  {view['channel'][:9]:<9}  {view['author'][:24]:<24}  "
            f"{view['state']:<9}  {due:>14}  {view['last_message'][:60]}"
        )
    return 0


def cmd_show(context: Context) -> int:
    from webcare_tui.services.views import event_view, message_view, note_view, thread_view
    from webcare_tui.store.store import ThreadNotFound

    store = context.store()
    try:
        thread = store.thread(context.args.thread)
    except ThreadNotFound as error:
        fail(str(error))
    view = thread_view(thread, context.config.clock(), context.now())
    view["messages"] = [message_view(m) for m in store.messages(thread.id)]
    view["notes"] = [note_view(n) for n in store.notes(thread.id)]
    view["events"] = [event_view(e) for e in store.events(thread.id)]
    if context.args.json:
        _emit_json(view)
        return 0
    print(f"Thread {thread.id} · {thread.channel} · {thread.author} · {thread.state.value}")
    for message in view["messages"]:
        arrow = "<-" if message["direction"] == "in" else "->"
        print(f"\n{arrow} {message['author']}  {message['created_at']}")
        print(message["text"])
    for note in view["notes"]:
        print(f"\n[note] {note['author']} {note['at']}: {note['text']}")
    for event in view["events"]:
        print(f"  {event['at']}  {event['actor']}  {event['kind']}  {event['detail']}")
    return 0


def cmd_escalate(context: Context) -> int:
    from webcare_tui.store.store import StoreError

    to = context.args.to.strip()
    if to not in ("phone", "dm") and not (to.startswith("team:") and len(to) > 5):
        raise UsageError(f"--to must be phone, dm or team:NAME, got {to!r}")
    store = context.store()
    try:
        store.escalate(
            context.args.thread,
            to,
            actor=context.config.agent,
            now=context.now(),
            clock=context.config.clock(),
            note=context.args.note,
        )
    except StoreError as error:
        fail(str(error))
    print(f"Thread {context.args.thread} escalated to {to}.")
    return 0


CLI_GRACE_SECONDS = 60


def _finding_line(finding: Any) -> str:
    mark = "blocks" if finding.severity == "block" else "warns"
    return f"webcare: {finding.code} {mark}: {finding.message} {finding.fix}"


def cmd_reply(context: Context) -> int:
    """Claim, check, queue with no undo window and send at once; print the remote id."""
    import asyncio

    from webcare_tui.core.canned import DataFileError
    from webcare_tui.services.outbox import DraftRefused, Outbox, OutboxError
    from webcare_tui.store.store import ClaimedByOther, StoreError

    store = context.store()
    outbox = Outbox(store, context.config, now=context.now)
    thread_id, force = context.args.thread, context.args.force

    async def send() -> int:
        try:
            thread = store.thread(thread_id)
            limit = await outbox.length_limit(thread)
            review = outbox.review(thread_id, context.args.text, length_limit=limit)
            warnings = [finding for finding in review.findings if finding.severity == "warn"]
            # Sent right below; the window only lets a running TUI send it should this
            # process die in between (and keeps those TUIs from racing us for it meanwhile).
            item = outbox.queue_reply(
                thread_id,
                context.args.text,
                length_limit=limit,
                force=force,
                undo_seconds=CLI_GRACE_SECONDS,
            )
            for override in item.override:
                print(f"webcare: sent despite {override.code}: {override.message}", file=sys.stderr)
            outcomes = await outbox.send_due(item_id=item.id, auto_retry=False)
        except ClaimedByOther as error:
            fail(f"thread {thread_id} is assigned to {error.holder}; --force takes it over")
        except DraftRefused as error:
            for finding in error.findings:
                print(_finding_line(finding), file=sys.stderr)
            fail(f"not sent: {error}; fix the text, or --force sends it anyway (recorded)")
        except (OutboxError, StoreError, DataFileError) as error:  # no channel, empty, ...
            fail(f"not sent: {error}")
        finally:
            await outbox.aclose()
        if not outcomes:  # cannot happen: nobody else claims an item inside its window
            fail(f"not sent: reply {item.id} was taken by another process")
        outcome = outcomes[0]
        if not outcome.ok:
            fail(
                f"not sent: {outcome.error}. The reply stays in the outbox as failed (item "
                f"{outcome.item.id}); retrying it uses the same idempotency key, so it can "
                "never post twice"
            )
        for finding in warnings:
            print(_finding_line(finding), file=sys.stderr)
        print(outcome.item.remote_id)
        return 0

    return asyncio.run(send())


def cmd_import(context: Context) -> int:
    from webcare_tui.services.importer import import_file

    path = Path(context.args.file)
    if not path.is_file():
        fail(f"{path}: no such file")
    name = context.args.connector
    settings = context.config.connector(name)
    channel = settings.channel if settings else name
    store = context.store()
    report = import_file(
        store,
        path,
        connector=name,
        channel=channel,
        clock=context.config.clock(),
        now=context.now(),
    )
    for number, message in report.errors:
        print(f"{path}:{number}: skipped: {message}", file=sys.stderr)
    print(
        f"Imported {report.imported} messages; {report.already_there} were there already; "
        f"{len(report.errors)} lines skipped."
    )
    return 0


def cmd_check_config(context: Context) -> int:
    config = context.config
    where = str(config.path) if config.path else "built-in demo workspace (no config file)"
    print(f"Config: {where}")
    print(f"Database: {context.db}")
    print(f"Team: {config.team_name} · timezone {config.timezone}")
    if config.holidays or config.holiday_country:
        days = ", ".join(d.isoformat() for d in config.holidays)
        country = (
            f" + public holidays of {config.holiday_country}" if config.holiday_country else ""
        )
        print(f"Holidays: {days or 'none listed'}{country}")
    print(f"Agent: {config.agent} · signs replies {config.signature_text}")
    for window in config.windows:
        hours = window.hours if window.hours is not None else "round the clock"
        print(
            f"Window {window.channel}: first response {window.first_response}, next response "
            f"{window.next_response}, follow-up {window.follow_up}, open {hours}"
        )
    for c in config.connectors:
        state = "" if c.enabled else " (disabled)"
        options = ", ".join(f"{k}={v}" for k, v in sorted(c.options.items()))
        print(f"Connector {c.name}: {c.type} → channel {c.channel}, every {c.poll_every}{state}")
        if options:
            print(f"    {options}")
    return 0


def cmd_poll(context: Context) -> int:
    import asyncio
    import logging
    import signal

    from webcare_tui.services.poller import Poller
    from webcare_tui.services.registry import build_all

    store = context.store()
    connectors = build_all(context.config.connectors)
    if not connectors:
        fail("no enabled connectors in the config")
    poller = Poller(store, connectors, context.config.clock(), now=context.now)
    # --once reports each connector itself; the long-running poller logs as a service would.
    logging.basicConfig(
        level=logging.ERROR if context.args.once else logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )

    async def once() -> int:
        try:
            outcomes = await poller.run_once()
        finally:
            await poller.aclose()
        for outcome in outcomes:
            if outcome.ok:
                print(
                    f"{outcome.connector}: {outcome.new_messages} new messages, "
                    f"{outcome.new_threads} new threads"
                )
            else:
                print(f"{outcome.connector}: failed: {outcome.error}", file=sys.stderr)
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
    from webcare_tui.core.timeutil import from_db
    from webcare_tui.services.health import connector_health

    store = context.store()
    now, tz = context.now(), context.config.clock().timezone
    health = {str(h["name"]): h for h in store.health()}
    for settings in context.config.connectors:
        h = health.get(settings.name)
        if h is None:
            print(f"{settings.name} ({settings.type}): never polled")
            continue
        parts = [f"{settings.name} ({settings.type}): {connector_health(h, now, tz)}"]
        if h.get("last_success_at"):
            success = from_db(str(h["last_success_at"])).astimezone(tz)
            parts.append(f"last success {success:%Y-%m-%d %H:%M}")
        if h.get("last_error") and h.get("status") != "ok":
            parts.append(f"last error: {h['last_error']}")
        print(" · ".join(parts))
    lease = store.lease("poller")
    if lease and from_db(lease["expires_at"]) > now:
        until = from_db(lease["expires_at"]).astimezone(tz)
        print(f"Poller: held by {lease['holder']} until {until:%H:%M:%S}")
    else:
        print("Poller: nobody is polling")
    return 0


def cmd_window_text(context: Context) -> int:
    from webcare_tui.core.window_text import window_text

    print(window_text(context.config.clock(), context.args.lang, context.args.channel))
    return 0


COMMANDS: dict[str, Callable[[Context], int]] = {
    "threads": cmd_threads,
    "show": cmd_show,
    "escalate": cmd_escalate,
    "reply": cmd_reply,
    "import": cmd_import,
    "check-config": cmd_check_config,
    "poll": cmd_poll,
    "status": cmd_status,
    "window-text": cmd_window_text,
}
