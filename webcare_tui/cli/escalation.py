"""Taking a thread further: escalation, notes, resolving, and the calls to make."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from webcare_tui.cli.context import (
    Command,
    Context,
    UsageError,
    emit_json,
    fail,
    thread_id,
)
from webcare_tui.cli.triage import colleague_reason_argument, respect_colleague

if TYPE_CHECKING:
    from webcare_tui.core.model import Thread
    from webcare_tui.store import Store


def _time(context: Context, text: str | None, flag: str, channel: str = "*") -> datetime | None:
    from webcare_tui.core.promise import parse_promise

    if text is None:
        return None
    try:
        return parse_promise(text, now=context.now(), clock=context.config.clock(), channel=channel)
    except ValueError as error:
        raise UsageError(f"{flag}: {error}") from None


def cmd_escalate(context: Context) -> int:
    from webcare_tui.services.escalation import (
        EscalationRefused,
        UnknownTeam,
        check_target,
        escalate_phone,
    )

    args, config = context.args, context.config
    try:
        to = check_target(args.to, config)
    except (UnknownTeam, EscalationRefused) as error:
        raise UsageError(str(error)) from None
    if to != "phone" and (args.phone or args.call_at):
        raise UsageError("--phone and --call-at go with --to phone")
    if to != "dm" and (args.text is not None or args.public is not None):
        raise UsageError("--text and --public go with --to dm")
    store = context.store()
    thread = store.thread(args.thread)
    promise = _time(context, args.promise, "--promise", thread.channel)
    try:
        if to == "phone":
            if not args.phone:
                raise UsageError("--to phone needs --phone NUMBER")
            call_at = _time(context, args.call_at, "--call-at", thread.channel)
            callback = escalate_phone(
                store,
                config,
                thread.id,
                args.phone,
                call_at=call_at,
                note=args.note,
                now=context.now(),
            )
            print(f"Thread {thread.id} escalated to phone; callback {callback}.")
        elif to == "dm":
            _escalate_dm(context, store, thread)
        else:
            store.escalate(
                thread.id,
                to,
                actor=config.agent,
                now=context.now(),
                clock=config.clock(),
                note=args.note,
            )
            print(f"Thread {thread.id} escalated to {to}.")
    except EscalationRefused as error:
        fail(str(error))
    if promise is not None:
        store.set_promise(
            thread.id, promise, actor=config.agent, now=context.now(), clock=config.clock()
        )
    return 0


def _escalate_dm(context: Context, store: Store, thread: Thread) -> None:
    """Queue and send the DM and its public note; fails (exits) unless both went out."""
    import asyncio

    from webcare_tui.cli.replies import CLI_GRACE_SECONDS, _finding_line
    from webcare_tui.services.escalation import DmTexts, dm_texts, queue_dm
    from webcare_tui.services.outbox import DraftRefused, Outbox, OutboxError
    from webcare_tui.store.store import ClaimedByOther

    outbox = Outbox(store, context.config, now=context.now)
    defaults = dm_texts(thread, context.config)
    texts = DmTexts(
        context.args.text if context.args.text is not None else defaults.dm,
        context.args.public if context.args.public is not None else defaults.public,
    )

    async def send() -> None:
        try:
            dm, public = await queue_dm(outbox, thread.id, texts, undo_seconds=CLI_GRACE_SECONDS)
            outcomes = [
                outcome
                for item in (dm, public)
                for outcome in await outbox.send_due(item_id=item.id, auto_retry=False)
            ]
        except ClaimedByOther as error:
            fail(f"thread {thread.id} is assigned to {error.holder}")
        except DraftRefused as error:
            for finding in error.findings:
                print(_finding_line(finding), file=sys.stderr)
            fail(f"not escalated: {error}; fix the text (--text, --public)")
        except OutboxError as error:
            fail(f"not escalated: {error}")
        finally:
            await outbox.aclose()
        failed = [outcome for outcome in outcomes if not outcome.ok]
        if failed:
            fail(
                f"thread {thread.id} escalated to dm, but not sent: {failed[0].error}; it stays "
                f"in the outbox (item {failed[0].item.id}) to retry"
            )
        print(f"Thread {thread.id} escalated to dm: DM and public reply sent.")

    asyncio.run(send())


def cmd_note(context: Context) -> int:
    store = context.store()
    store.add_note(
        context.args.thread, context.args.text, author=context.config.agent, now=context.now()
    )
    print(f"Note added to thread {context.args.thread}.")
    return 0


def cmd_resolve(context: Context) -> int:
    tags = tuple(dict.fromkeys(tag.strip().lstrip("#").lower() for tag in context.args.tag))
    unknown = [tag for tag in tags if tag not in {t.lower() for t in context.config.tags}]
    if unknown:
        known = ", ".join(context.config.tags) or "none"
        raise UsageError(f"--tag {unknown[0]!r} is not in [tags] names (known: {known})")
    store = context.store()
    respect_colleague(context, store, context.args.thread, "resolved")
    store.resolve(
        context.args.thread,
        actor=context.config.agent,
        now=context.now(),
        outcome=context.args.outcome,
        tags=tags,
    )
    print(f"Thread {context.args.thread} resolved.")
    return 0


def cmd_callbacks(context: Context) -> int:
    from webcare_tui.services.callbacks import callback_badge, callback_view

    args = context.args
    store = context.store()
    if args.action == "done":
        if args.id is None or not args.outcome:
            raise UsageError("callbacks done ID --outcome TEXT")
        done = store.complete_callback(
            args.id,
            outcome=args.outcome,
            actor=context.config.agent,
            now=context.now(),
            clock=context.config.clock(),
        )
        print(f"Callback {done.id} done.")
        return 0
    if args.action is not None:
        raise UsageError(f"unknown callbacks action {args.action!r}: expected done")
    clock, now = context.config.clock(), context.now()
    calls = store.callbacks()
    if args.json:
        emit_json([callback_view(c, clock, now) for c in calls])
        return 0
    if not calls:
        print("No calls to make.")
        return 0
    for call in calls:
        print(
            f"{call.id:>5}  thread {call.thread_id:<6} {call.phone:<18} "
            f"{callback_badge(call, clock, now):>12}  {call.note[:50]}"
        )
    return 0


def _escalate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=thread_id)
    parser.add_argument("--to", required=True, help="phone | dm | team:NAME")
    parser.add_argument("--note", default="", help="what is needed (kept on the thread)")
    parser.add_argument("--phone", help="with --to phone: the customer's number (kept private)")
    parser.add_argument("--call-at", help="with --to phone: ISO 8601, HH:MM, vandaag nog, vrijdag")
    parser.add_argument("--text", help="with --to dm: the direct message")
    parser.add_argument("--public", help="with --to dm: the short public reply")
    parser.add_argument("--promise", help="an earlier update promised to the customer")


def _note_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=thread_id)
    parser.add_argument("--text", required=True)


def _resolve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=thread_id)
    parser.add_argument("--outcome", default="")
    parser.add_argument("--tag", action="append", default=[])
    colleague_reason_argument(parser)


def _callbacks_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", help="done: mark a call made")
    parser.add_argument("id", nargs="?", type=int)
    parser.add_argument("--outcome", default="")
    parser.add_argument("--json", action="store_true")


COMMANDS = [
    Command(
        "escalate", "escalate a thread to phone, DM or a team", cmd_escalate, _escalate_arguments
    ),
    Command("note", "a private note for the team; never sent", cmd_note, _note_arguments),
    Command(
        "resolve",
        "resolve; a new customer message reopens it",
        cmd_resolve,
        _resolve_arguments,
    ),
    Command(
        "callbacks",
        "phone calls to make, soonest first; `callbacks done ID --outcome TEXT`",
        cmd_callbacks,
        _callbacks_arguments,
    ),
]
