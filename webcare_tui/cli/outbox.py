"""The outbox from the command line: replies not yet confirmed sent, and what to do with one."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from webcare_tui.cli import replies
from webcare_tui.cli.context import Command, Context, emit_json, fail
from webcare_tui.cli.replies import report_outcome, run_outbox
from webcare_tui.core.sanitize import cut

if TYPE_CHECKING:
    from webcare_tui.core.outbox import OutboxItem
    from webcare_tui.services.outbox import Outbox

PREVIEW = 48


def _document(item: OutboxItem) -> dict[str, object]:
    return {
        "id": item.id,
        "thread": item.thread_id,
        "state": item.state.value,
        "text": item.text,
        "attempts": item.attempts,
        "last_error": item.last_error,
    }


def _line(item: OutboxItem) -> str:
    text = cut(" ".join(item.text.split()), PREVIEW)
    error = f" · {item.last_error}" if item.last_error else ""
    tries = f"{item.attempts} tr{'y' if item.attempts == 1 else 'ies'}"
    return (
        f"{item.id:>5}  thread {item.thread_id:<5} {item.state.value:<17} {tries:<9} {text}{error}"
    )


def cmd_outbox(context: Context) -> int:
    """List the replies that may still go out, or act on one of them."""
    action = getattr(context.args, "action", None)
    if action is not None:
        return action(context)
    store = context.store()
    try:
        items = store.pending_replies()
    finally:
        store.close()
    if context.args.json:
        emit_json([_document(item) for item in items])
    elif not items:
        print("The outbox is empty: every reply is confirmed sent.")
    else:
        for item in items:
            print(_line(item))
    return 0


async def _send_now(outbox: Outbox, item_id: int) -> int:
    claimed = outbox.claim(item_id)
    if claimed is None:
        item = outbox.store.outbox_item(item_id)
        fail(f"reply {item_id} is {item.state.value} and another process is on it; not sent")
    outcome = await outbox.send_claimed(claimed, pauses=replies.RESOLVE_PAUSES)
    return report_outcome(outcome)


def cmd_retry(context: Context) -> int:
    """Send a failed or unconfirmed reply again, under its own idempotency key."""
    item_id = context.args.id

    async def retry(outbox: Outbox) -> int:
        item = outbox.store.outbox_item(item_id)
        if item.remote_id is not None:  # sent already: what the retry wanted is done
            print(f"webcare: reply {item_id} was sent already", file=sys.stderr)
            print(item.remote_id)
            return 0
        outbox.retry(item_id)
        return await _send_now(outbox, item_id)

    return run_outbox(context, retry)


def cmd_cancel(context: Context) -> int:
    """Take a reply out of the outbox; its text goes back into its agent's draft."""
    item_id = context.args.id

    async def cancel(outbox: Outbox) -> int:
        before = outbox.store.outbox_item(item_id)
        outbox.cancel(item_id, maybe_sent=True)
        if before.outcome_unknown:
            print(
                f"webcare: reply {item_id} may have reached the platform before it was "
                "cancelled: look there before answering again",
                file=sys.stderr,
            )
        print(f"reply {item_id} cancelled; its text is back in the draft of {before.agent}")
        return 0

    return run_outbox(context, cancel)


def cmd_approve(context: Context) -> int:
    """Approve a colleague's blocked reply (`override = "second-agent"`) and send it now."""
    item_id = context.args.id

    async def approve(outbox: Outbox) -> int:
        item = outbox.approve(item_id)
        for override in item.override:
            print(f"webcare: approved despite {override.code}: {override.message}", file=sys.stderr)
        return await _send_now(outbox, item_id)

    return run_outbox(context, approve)


def _outbox_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")
    actions = parser.add_subparsers(metavar="ACTION")
    for name, run, help in (
        ("retry", cmd_retry, "send a failed or unconfirmed reply again (same idempotency key)"),
        ("cancel", cmd_cancel, "take a reply out of the outbox, back into the draft"),
        ("approve", cmd_approve, "approve a colleague's blocked reply and send it"),
    ):
        sub = actions.add_parser(name, help=help, description=help)
        sub.add_argument("id", type=int, help="the outbox item (see `webcare outbox`)")
        # Every command takes these, wherever on the line they come.
        sub.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS)
        sub.add_argument("--db", metavar="FILE", default=argparse.SUPPRESS)
        sub.set_defaults(action=run)


COMMANDS = [
    Command(
        "outbox",
        "replies not yet confirmed sent; retry, cancel or approve one",
        cmd_outbox,
        _outbox_arguments,
    ),
]
