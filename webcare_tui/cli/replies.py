"""Answering: a reply sent at once from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from webcare_tui.cli.context import Command, Context, fail

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


def _reply_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=int)
    parser.add_argument("--text", required=True, help="the reply, signature included")
    parser.add_argument(
        "--force",
        action="store_true",
        help="send although another agent holds the thread or a check blocks; recorded",
    )


COMMANDS = [
    Command(
        "reply",
        "send a reply as this agent through the thread's connector",
        cmd_reply,
        _reply_arguments,
    ),
]
