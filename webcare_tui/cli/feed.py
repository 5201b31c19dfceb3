"""Reading the inbox: the threads, and one thread whole."""

from __future__ import annotations

import argparse

from webcare_tui.cli.context import Command, Context, emit_json, fail, thread_id
from webcare_tui.core.model import ThreadState
from webcare_tui.store.base import FeedOrder


def cmd_threads(context: Context) -> int:
    from webcare_tui.core.clock_text import countdown_cell
    from webcare_tui.services.insights import score_unscored, thread_insights
    from webcare_tui.services.views import thread_view
    from webcare_tui.store.store import FeedFilter

    store = context.store()
    state = ThreadState(context.args.state) if context.args.state else None
    order = FeedOrder(context.args.sort)
    feed = FeedFilter(state=state, with_snoozed=state is None, order=order)
    if order is FeedOrder.PRIORITY:
        score_unscored(store, feed)
    clock, now = context.config.clock(), context.now()
    threads = store.feed_slice(feed, 0, 1_000_000)
    insights = thread_insights(store, threads)
    views = [thread_view(t, clock, now, insights[t.id]) for t in threads]
    if context.args.json:
        emit_json(views)
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
        emit_json(view)
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


def _threads_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--state", choices=[s.value for s in ThreadState])
    parser.add_argument(
        "--sort",
        choices=[o.value for o in FeedOrder],
        default=FeedOrder.DUE.value,
        help="due (most urgent first, the default), priority (highest first) or waiting "
        "(longest real wait first)",
    )


def _show_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("thread", type=thread_id)
    parser.add_argument("--json", action="store_true")


COMMANDS = [
    Command("threads", "list threads, most urgent first", cmd_threads, _threads_arguments),
    Command(
        "show", "one thread with all its messages, notes and events", cmd_show, _show_arguments
    ),
]
