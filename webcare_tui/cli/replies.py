"""Answering: a reply sent at once from the command line, signed, checked and sent once."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from webcare_tui.cli.context import Command, Context, fail

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from webcare_tui.services.outbox import Outbox, SendOutcome

CLI_GRACE_SECONDS = 60
RESOLVE_PAUSES = (0.5, 2.0)
"""Waits before the second and third try of a send whose answer was lost."""


def _finding_line(finding: Any) -> str:
    mark = "blocks" if finding.severity == "block" else "warns"
    origin = f" (from {finding.source})" if finding.source else ""
    return f"webcare: {finding.code} {mark}: {finding.message} {finding.fix}{origin}"


def report_outcome(outcome: SendOutcome) -> int:
    """Print the remote id of a sent reply, or fail saying where the reply stands."""
    item = outcome.item
    if outcome.ok:
        print(item.remote_id)
        return 0
    if item.outcome_unknown:
        fail(
            f"not confirmed: {outcome.error}. The platform may have posted it: it stays in the "
            f"outbox as unconfirmed (item {item.id}), resolved by the poller, by `webcare outbox "
            f"retry {item.id}` or by the same `webcare reply`, each under its own idempotency "
            "key, so it never posts twice"
        )
    fail(
        f"not sent: {outcome.error}. The reply stays in the outbox as {item.state.value} (item "
        f"{item.id}); `webcare outbox retry {item.id}` uses the same idempotency key, so it "
        "can never post twice"
    )


def run_outbox(context: Context, work: Callable[[Outbox], Awaitable[int]]) -> int:
    """Run `work` with this agent's outbox, mapping refusals to one line and exit 1."""
    import asyncio

    from webcare_tui.core.canned import DataFileError
    from webcare_tui.services.outbox import (
        AlreadyAnswered,
        BeingAnswered,
        ClaimedByOther,
        DraftRefused,
        Outbox,
        OutboxError,
        ReasonNeeded,
    )
    from webcare_tui.store.store import StoreError

    store = context.store()
    outbox = Outbox(store, context.config, now=context.now)

    async def run() -> int:
        try:
            return await work(outbox)
        except ClaimedByOther as error:
            fail(f"{error}; --force takes it over")
        except (DraftRefused, ReasonNeeded) as error:
            for finding in error.findings:
                if finding.severity == "block":
                    print(_finding_line(finding), file=sys.stderr)
            if isinstance(error, ReasonNeeded):
                fail(f"not sent: {error}: add --reason TEXT")
            fail(f"not sent: {error}; fix the text, or --force --reason TEXT sends it (recorded)")
        except (BeingAnswered, AlreadyAnswered) as error:
            fail(f"not sent: {error}; --force replies anyway")
        except (OutboxError, StoreError, DataFileError) as error:  # no channel, empty, ...
            fail(f"not sent: {error}")
        finally:
            await outbox.aclose()
            store.close()

    return asyncio.run(run())


def cmd_reply(context: Context) -> int:
    """Sign, claim, check and send at once (or resume an earlier unconfirmed reply)."""
    from webcare_tui.core.outbox import OutboxState
    from webcare_tui.services.escalation import signed

    args = context.args
    text = signed(args.text, context.config.signature_text, separator=" ")  # as the draft pane

    async def send(outbox: Outbox) -> int:
        thread = outbox.store.thread(args.thread)
        limit = await outbox.length_limit(thread)
        start = outbox.reply_now(
            args.thread,
            text,
            length_limit=limit,
            force=args.force,
            reason=args.reason,
            grace_seconds=CLI_GRACE_SECONDS,
        )
        item = start.item
        if start.resumed:
            note = "" if item.text == text else "; the text given now is not sent"
            print(
                f"webcare: resuming reply {item.id} under its own idempotency key{note}",
                file=sys.stderr,
            )
        if item.state is OutboxState.AWAITING_APPROVAL:
            # Exit 1: it was not sent, and a script must not take it for sent.
            print(
                f"webcare: reply {item.id} waits for a colleague's approval "
                f"(`webcare outbox approve {item.id}`); not sent yet",
                file=sys.stderr,
            )
            return 1
        for override in item.override:
            print(f"webcare: sent despite {override.code}: {override.message}", file=sys.stderr)
        outcome = await outbox.send_claimed(item, pauses=RESOLVE_PAUSES)
        if outcome.ok and start.review is not None:
            for finding in start.review.findings:
                if finding.severity == "warn":
                    print(_finding_line(finding), file=sys.stderr)
        return report_outcome(outcome)

    return run_outbox(context, send)


def _reply_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=int)
    parser.add_argument("--text", required=True, help="the reply; signed if it is not yet")
    parser.add_argument(
        "--force",
        action="store_true",
        help="send although another agent holds the thread, it is answered already, or a "
        "check blocks (with --reason); recorded",
    )
    parser.add_argument(
        "--reason", metavar="TEXT", help="why a blocked reply goes out anyway; on the record"
    )


COMMANDS = [
    Command(
        "reply",
        "send a reply as this agent through the thread's connector",
        cmd_reply,
        _reply_arguments,
    ),
]
