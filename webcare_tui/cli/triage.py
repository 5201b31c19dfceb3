"""Triage: snooze a thread, tag it, or ignore it on record."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from webcare_tui.cli.context import Command, Context, UsageError, fail

if TYPE_CHECKING:
    from webcare_tui.store import Store

IGNORE_REASONS = ("spam", "no-question", "not-about-us", "handled-elsewhere", "thanks")


def configured_tags(context: Context) -> tuple[str, ...]:
    """The tags of `[tags] names`, lower case."""
    return tuple(name.lower() for name in context.config.tags)


def respect_colleague(context: Context, store: Store, thread_id: int, what: str) -> None:
    """The team's rule before changing a thread: a colleague's only with a reason, which is
    recorded and told to them (`services.handover.check_colleague_thread`)."""
    from webcare_tui.services.handover import check_colleague_thread
    from webcare_tui.store.store import ClaimedByOther, StoreError

    reason = getattr(context.args, "colleague_reason", None) or ""
    try:
        holder = check_colleague_thread(
            store, thread_id, context.config.agent, reason=reason, what=what, now=context.now()
        )
    except ClaimedByOther as error:
        fail(
            f"thread {thread_id} is assigned to {error.holder}: --colleague-reason TEXT says "
            "why you change it (recorded, and they are told)"
        )
    except StoreError as error:
        fail(str(error))
    if holder:
        print(f"webcare: thread {thread_id} is {holder}'s; they are told why", file=sys.stderr)


def colleague_reason_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--colleague-reason",
        metavar="TEXT",
        help="needed on a colleague's thread: why you change it (recorded; they are told)",
    )


def cmd_snooze(context: Context) -> int:
    from webcare_tui.core.moments import parse_until
    from webcare_tui.store.store import StoreError

    clock, now = context.config.clock(), context.now()
    try:
        until = parse_until(context.args.until, now, clock.timezone)
    except ValueError as error:
        raise UsageError(f"--until: {error}") from None
    store = context.store()
    respect_colleague(context, store, context.args.thread, "snoozed")
    try:
        store.snooze(context.args.thread, until, actor=context.config.agent, now=now)
    except StoreError as error:
        fail(str(error))
    local = until.astimezone(clock.timezone)
    print(
        f"Thread {context.args.thread} snoozed until {local:%a %Y-%m-%d %H:%M} "
        "or the customer's next message."
    )
    return 0


def cmd_tag(context: Context) -> int:
    from webcare_tui.store.store import StoreError

    allowed = configured_tags(context)
    wanted = [tag.strip().lstrip("#").lower() for tag in context.args.tags]
    unknown = [tag for tag in wanted if tag not in allowed]
    if unknown:
        known = ", ".join(allowed) if allowed else "none: add [tags] names to the config"
        raise UsageError(f"unknown tag {unknown[0]!r} (configured: {known})")
    store = context.store()
    respect_colleague(context, store, context.args.thread, "tagged")
    try:
        changed = store.tag(
            context.args.thread,
            wanted,
            actor=context.config.agent,
            now=context.now(),
            remove=context.args.remove,
        )
    except StoreError as error:
        fail(str(error))
    verb = "untagged" if context.args.remove else "tagged"
    what = " ".join(f"#{tag}" for tag in changed) if changed else "nothing changed"
    print(f"Thread {context.args.thread} {verb}: {what}.")
    return 0


def cmd_ignore(context: Context) -> int:
    from webcare_tui.core.model import ThreadState
    from webcare_tui.core.sanitize import clean_line
    from webcare_tui.store.store import StoreError

    reason = clean_line(context.args.reason).strip()
    if not reason:
        raise UsageError(f"--reason must say why, e.g. {', '.join(IGNORE_REASONS)}")
    store = context.store()
    respect_colleague(context, store, context.args.thread, "ignored")
    try:
        store.set_state(
            context.args.thread,
            ThreadState.IGNORED,
            actor=context.config.agent,
            now=context.now(),
            reason=reason,
        )
    except StoreError as error:
        fail(str(error))
    print(f"Thread {context.args.thread} ignored: {reason}.")
    return 0


def _snooze_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=int)
    parser.add_argument(
        "--until", required=True, metavar="TIME", help="HH:MM, a duration (2h) or ISO 8601"
    )
    colleague_reason_argument(parser)


def _tag_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=int)
    parser.add_argument("tags", nargs="+", metavar="TAG")
    parser.add_argument("--remove", action="store_true", help="take the tags off")
    colleague_reason_argument(parser)


def _ignore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=int)
    parser.add_argument(
        "--reason", required=True, help=f"{', '.join(IGNORE_REASONS)}, or free text"
    )
    colleague_reason_argument(parser)


COMMANDS = [
    Command(
        "snooze",
        "out of the feed until TIME or a new customer message",
        cmd_snooze,
        _snooze_arguments,
    ),
    Command("tag", "tag a thread with tags from [tags] in config", cmd_tag, _tag_arguments),
    Command("ignore", "leave a thread unanswered, on record", cmd_ignore, _ignore_arguments),
]
