"""Finding and learning: full-text search, the response-time report with what-if, the digest."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta

from webcare_tui.cli.context import Command, Context, UsageError, emit_json, fail

DIGEST_DAYS = 7


def _since(context: Context) -> datetime | None:
    from webcare_tui.core.moments import parse_moment

    if not context.args.since:
        return None
    try:
        return parse_moment(context.args.since, context.config.clock().timezone)
    except ValueError as error:
        raise UsageError(f"--since: {error}") from None


def cmd_search(context: Context) -> int:
    from webcare_tui.core.query import parse_query
    from webcare_tui.store.store import StoreError

    query = parse_query(context.args.query).resolve_me(context.config.agent)
    if query.problems:
        raise UsageError("; ".join(query.problems))
    if not query.words:
        raise UsageError("search needs at least one word to look for")
    try:
        hits = context.store().search(query, limit=context.args.limit)
    except StoreError as error:
        fail(str(error))
    if context.args.json:
        emit_json(
            [
                {
                    "thread": hit.thread_id,
                    "message": hit.message_id,
                    "author": hit.author,
                    "created_at": hit.created_at.isoformat(),
                    "snippet": hit.snippet,
                }
                for hit in hits
            ]
        )
        return 0
    if not hits:
        print(f"No messages match {context.args.query!r}.")
        return 0
    for hit in hits:
        snippet = " ".join(hit.snippet.split())
        print(
            f"{hit.thread_id:>6}  {hit.created_at:%Y-%m-%d %H:%M}  {hit.author[:24]:<24}  {snippet}"
        )
    return 0


def cmd_report(context: Context) -> int:
    from webcare_tui.core.report import report_of_rows
    from webcare_tui.core.report_format import format_csv, format_table
    from webcare_tui.core.whatif import clock_under, parse_what_if

    since = _since(context)
    clock, now = context.config.clock(), context.now()
    what_if = None
    if context.args.what_if:
        try:
            what_if = parse_what_if(context.args.what_if)
        except ValueError as error:
            raise UsageError(str(error)) from None
    store = context.store()
    rows = store.report_rows(since)
    report = report_of_rows(rows, clock, now, since)
    other = report_of_rows(rows, clock_under(clock, what_if), now, since) if what_if else None
    output = context.args.format
    if output == "json":
        document = report.as_dict()
        if other is not None and what_if is not None:
            document["what_if"] = {**other.as_dict(), "settings": what_if.describe()}
        emit_json(document)
    elif output == "csv":
        print(format_csv(report, other), end="")
    else:
        print(format_table(report, other, what_if.describe() if what_if else ""), end="")
    return 0


def cmd_digest(context: Context) -> int:
    from webcare_tui.services.insights import digest

    now = context.now()
    since = _since(context) or now - timedelta(days=DIGEST_DAYS)
    if since >= now:
        raise UsageError("--since must be in the past")
    store = context.store()
    title = f"Voice of the customer, {context.config.team_name}"
    print(digest(store, since=since, until=now, title=title), end="")
    return 0


def _search_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", help='words, "a phrase", @me, @AB, #tag, state:S, channel:C')
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--limit", type=int, default=200, help="at most this many (200)")


def _report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="ISO date or time; default: all history")
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table")
    parser.add_argument(
        "--what-if",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="first_response=2h, next_response=8h, follow_up=1d, hours=..., channel=NAME",
    )


def _digest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="DATE", help="ISO date or time; default: 7 days ago")


COMMANDS = [
    Command(
        "search",
        "full text over every message of every thread, most recent first",
        cmd_search,
        _search_arguments,
    ),
    Command("report", "response-time and SLA report", cmd_report, _report_arguments),
    Command(
        "digest",
        "the voice of the customer in Markdown: top tags, rising topics, complaints",
        cmd_digest,
        _digest_arguments,
    ),
]
