"""The query language compiled to SQL over `threads`, with parameters only.

Free text goes to FTS5 (`messages_fts`) as quoted FTS strings (`core.query.fts_match`), so a
stranger's or an agent's `"`, `NEAR(`, `OR` or `--` is only ever text; every other value is a
bound parameter. The SQL text itself is built only from fixed fragments.
"""

from __future__ import annotations

from webcare_tui.core.query import Query, fts_match


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def query_where(
    query: Query, *, alias: str = "threads", any_state: bool = False
) -> tuple[str, list[object]]:
    """The WHERE clause (over `threads`, named `alias`) for everything in `query` but its
    words, and the parameters it binds. No state asked for means the feed's default (active
    threads), or every state with `any_state`."""
    t = alias
    clauses: list[str] = []
    params: list[object] = []
    if query.problems:
        clauses.append("0")
    if query.states:
        marks = ", ".join("?" for _ in query.states)
        # `active` is named so the (active, state) index serves the lookup.
        clauses.append(f"{t}.active IN (0, 1) AND {t}.state IN ({marks})")
        params += [state.value for state in query.states]
    elif not any_state:
        clauses.append(f"{t}.active = 1")
    who: list[str] = []
    if query.assignees:
        who.append(f"{t}.assignee IN ({', '.join('?' for _ in query.assignees)})")
        params += list(query.assignees)
    if query.unassigned:
        who.append(f"{t}.assignee IS NULL")
    if who:
        clauses.append("(" + " OR ".join(who) + ")")
    if query.channels:
        clauses.append(f"lower({t}.channel) IN ({', '.join('?' for _ in query.channels)})")
        params += list(query.channels)
    for tag in query.tags:
        clauses.append(f"{t}.id IN (SELECT thread_id FROM thread_tags WHERE tag = ?)")
        params.append(tag)
    return " AND ".join(clauses) or "1", params


def thread_where(query: Query, *, any_state: bool = False) -> tuple[str, list[object]]:
    """The WHERE clause over `threads` for the whole query: its filters, and its words found
    in any message of the thread (or in the customer's handle or name, or the channel's)."""
    where, params = query_where(query, any_state=any_state)
    match = fts_match(query.words)
    if match is not None:
        text = " ".join(query.words)
        where += (
            " AND (threads.id IN (SELECT m.thread_id FROM messages_fts f "
            "JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ?) "
            "OR threads.author LIKE ? ESCAPE '\\' OR threads.author_name LIKE ? ESCAPE '\\' "
            "OR threads.channel LIKE ? ESCAPE '\\')"
        )
        params += [match, _like(text), _like(text), _like(text)]
    elif query.words:
        # Only punctuation (`%`, `?!`): no word to search for, so look for it literally.
        like = _like(" ".join(query.words))
        where += (
            " AND (threads.last_text LIKE ? ESCAPE '\\' OR threads.author LIKE ? ESCAPE '\\' "
            "OR threads.author_name LIKE ? ESCAPE '\\')"
        )
        params += [like, like, like]
    return where, params
