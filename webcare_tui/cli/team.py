"""A team on one database: who is on shift, hand-over of threads and of the shift."""

from __future__ import annotations

import argparse

from webcare_tui.cli.context import Command, Context, UsageError, emit_json, fail, thread_id


def cmd_assign(context: Context) -> int:
    """Claim a thread, hand it to a colleague, or take it over with a reason."""
    from webcare_tui.services.handover import Handover
    from webcare_tui.store.base import ClaimedByOther

    args = context.args
    handover = Handover(context.store(), context.config.agent, context.now)
    target = args.to or context.config.agent
    try:
        previous = handover.assign(args.thread, target, reason=args.reason or "")
    except ClaimedByOther as error:
        fail(
            f"thread {args.thread} is assigned to {error.holder}; ask them to hand it over "
            "(webcare assign THREAD --to AGENT), or take it over with --reason TEXT (recorded, "
            "and they are told)"
        )
    if previous == target:
        print(f"thread {args.thread} is already assigned to {target}")
    else:
        were = f" (was {previous})" if previous else ""
        print(f"thread {args.thread} assigned to {target}{were}")
    return 0


def cmd_unassign(context: Context) -> int:
    from webcare_tui.services.handover import Handover
    from webcare_tui.store.base import ClaimedByOther

    handover = Handover(context.store(), context.config.agent, context.now)
    try:
        previous = handover.unassign(context.args.thread, reason=context.args.reason or "")
    except ClaimedByOther as error:
        fail(
            f"thread {context.args.thread} is assigned to {error.holder}; --reason TEXT "
            "unassigns it anyway (recorded, and they are told)"
        )
    were = f" (was {previous})" if previous else " (it was not assigned)"
    print(f"thread {context.args.thread} unassigned{were}")
    return 0


def cmd_agents(context: Context) -> int:
    from webcare_tui.services.presence import team_status

    now = context.now()
    team = team_status(context.store(), now)
    if context.args.json:
        emit_json([a.as_json() for a in team])
        return 0
    if not team:
        print("Nobody is on shift and nobody holds a thread.")
    tz = context.config.clock().timezone
    for a in team:
        state = "active" if a.active else "away"
        seen = f"last seen {a.last_seen.astimezone(tz):%Y-%m-%d %H:%M:%S}" if a.last_seen else ""
        hosts = f"on {', '.join(a.hosts)}" if a.hosts else ""
        holding = f"holds {len(a.holding)}" + (
            f" ({', '.join(map(str, a.holding[:10]))}{'…' if len(a.holding) > 10 else ''})"
            if a.holding
            else ""
        )
        replying = f"replying to {a.replying_to}" if a.replying_to is not None else ""
        print(" · ".join(p for p in (f"{a.agent}: {state}", hosts, seen, holding, replying) if p))
    return 0


def cmd_handover(context: Context) -> int:
    from webcare_tui.core.sanitize import clean_line
    from webcare_tui.services.handover import Handover, shift_handover

    store = context.store()
    if context.args.note is not None:
        number, text = context.args.note
        try:
            thread = thread_id(number)
        except argparse.ArgumentTypeError as error:
            raise UsageError(f"--note: {error}") from None
        Handover(store, context.config.agent, context.now).leave_note(thread, text)
        print(f"hand-over note on thread {number} {'saved' if text.strip() else 'cleared'}")
        return 0
    now = context.now()
    clock = context.config.clock()
    report = shift_handover(store, clock, now)
    if context.args.json:
        emit_json(report.as_json(now))
        return 0
    if not report.threads:
        print("No thread runs out before the next opening.")
    tz = clock.timezone
    for item in report.threads:
        t = item.thread
        due = f"due {t.due_at.astimezone(tz):%a %H:%M}" if t.due_at else ""
        who = t.assignee or "unassigned"
        print(f"#{t.id} {t.channel} @{clean_line(t.author)} · {t.state.value} · {due} · {who}")
        if item.promised:
            print(f"    promised: {clean_line(item.promised)[:200]}")
        if item.note:
            print(f"    note ({item.note.author}): {clean_line(item.note.text)[:200]}")
        for draft in item.drafts:
            print(f"    draft by {draft.agent}: {clean_line(draft.text)[:200]}")
    if report.callbacks:
        print("Callbacks due before the next opening:")
    for call in report.callbacks:
        due = f"{call.due_at.astimezone(tz):%a %H:%M}"
        note = f" · {clean_line(call.note)[:120]}" if call.note else ""
        print(f"    #{call.thread_id} call {call.phone} by {due}{note}")
    others = [d for d in report.drafts if d.thread_id not in {i.thread.id for i in report.threads}]
    if others:
        print("Drafts in progress:")
        for draft in others:
            print(f"    #{draft.thread_id} by {draft.agent}: {clean_line(draft.text)[:200]}")
    return 0


def _assign_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=thread_id)
    parser.add_argument("--to", metavar="AGENT", help="hand it to a colleague (default: me)")
    parser.add_argument(
        "--reason", help="take it from the colleague who holds it (recorded; they are told)"
    )


def _unassign_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=thread_id)
    parser.add_argument("--reason", help="needed when a colleague holds it (recorded)")


def _json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON document on stdout")


def _handover_arguments(parser: argparse.ArgumentParser) -> None:
    _json_argument(parser)
    parser.add_argument(
        "--note",
        nargs=2,
        metavar=("THREAD", "TEXT"),
        help="leave a note on THREAD for whoever opens it next (empty TEXT clears it)",
    )


COMMANDS = [
    Command("assign", "claim a thread, or hand it to a colleague", cmd_assign, _assign_arguments),
    Command("unassign", "give a thread back to the team", cmd_unassign, _unassign_arguments),
    Command(
        "agents",
        "who is on shift: last activity, what each holds and replies to",
        cmd_agents,
        _json_argument,
    ),
    Command(
        "handover",
        "threads that run out before the next opening, with their hand-over notes",
        cmd_handover,
        _handover_arguments,
    ),
]
