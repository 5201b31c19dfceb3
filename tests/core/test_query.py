"""The feed's query language: what an agent types after `/`."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.model import ThreadState
from webcare_tui.core.query import Query, fts_match, parse_query, snippet, split_terms


def test_free_text_and_every_filter_combine() -> None:
    query = parse_query('late parcel @me #Delivery state:snoozed channel:Bluesky "order 123"')
    assert query.words == ("late", "parcel", "order 123")
    assert query.assignees == ("@me",)
    assert query.tags == ("delivery",)
    assert query.states == (ThreadState.SNOOZED,)
    assert query.channels == ("bluesky",)
    assert query.problems == ()


def test_at_names_an_agent_and_at_none_means_unassigned() -> None:
    assert parse_query("@AB").assignees == ("AB",)
    assert parse_query("@none").unassigned
    assert parse_query("@none").assignees == ()
    assert parse_query("@me").resolve_me("MK").assignees == ("MK",)


def test_a_filter_in_quotes_is_only_text() -> None:
    query = parse_query('"state:open" "#tag"')
    assert query.words == ("state:open", "#tag")
    assert query.states == () and query.tags == ()


def test_an_unknown_state_is_a_problem_not_an_error() -> None:
    query = parse_query("state:bogus refund")
    assert query.states == ()
    assert query.words == ("refund",)
    assert "bogus" in query.problems[0]
    assert not query.is_empty


def test_an_empty_or_blank_query_is_the_plain_feed() -> None:
    assert parse_query("").is_empty
    assert parse_query("   \t\n").is_empty
    assert parse_query('""').is_empty


def test_an_unclosed_quote_runs_to_the_end() -> None:
    assert split_terms('say "hello world') == ["say", "\0hello world"]


def test_fts_match_quotes_every_word_and_prefixes_the_last() -> None:
    assert fts_match(("late", "deliv")) == '"late" "deliv"*'
    assert fts_match(('say "hi"',)) == '"say ""hi"""'
    assert fts_match(("NEAR(", "--", "*")) == '"NEAR("*'
    assert fts_match(("!!!",)) is None
    assert fts_match(("late", "de")) == '"late" "de"'  # too short to be a prefix


def _fts() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(text, tokenize='unicode61 remove_diacritics 2')"
    )
    conn.executemany(
        "INSERT INTO t (text) VALUES (?)",
        [("my parcel is late",), ("OR AND NOT NEAR",), ('he said "hi" -- drop table',)],
    )
    return conn


FTS = _fts()


@given(st.text())
def test_any_string_parses_and_its_match_is_valid_fts(text: str) -> None:
    query = parse_query(text)
    assert isinstance(query, Query)
    match = fts_match(query.words)
    if match is not None:
        FTS.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "'",
                "OR",
                "NOT",
                "AND",
                "NEAR(",
                "*",
                "^",
                ":",
                "text:",
                "--",
                ";",
                "DROP TABLE threads",
                "(",
                ")",
                "{",
                "}",
                "@",
                "#",
                "state:",
                "\\",
            ]
        ),
        max_size=12,
    ).map(" ".join)
)
def test_hostile_fts_and_sql_syntax_is_only_text(text: str) -> None:
    match = fts_match(parse_query(text).words)
    if match is not None:
        FTS.execute("SELECT rowid FROM t WHERE t MATCH ?", (match,)).fetchall()


def test_fts_operators_typed_by_an_agent_match_as_words() -> None:
    rows = FTS.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts_match(("OR", "NEAR")),))
    assert [r[0] for r in rows] == [2]


def test_a_snippet_shows_the_words_around_the_first_match() -> None:
    text = " ".join(f"w{i}" for i in range(40)) + " De Bezorging was één dag te laat"
    assert snippet(text, ("bezorg",), width=6) == "…w39 De Bezorging was één dag…"
    assert snippet("kort en krachtig", ("een",)) == "kort en krachtig"
    assert snippet("één dag", ("een",), width=1) == "één…"


@given(st.text(max_size=200), st.lists(st.text(max_size=10), max_size=3))
def test_any_text_gives_a_snippet_drawn_from_it(text: str, words: list[str]) -> None:
    piece = snippet(text, tuple(words))
    drawn_from = set(text.replace("…", " ").split())  # the text may hold the ellipsis itself
    assert set(piece.replace("…", " ").split()) <= drawn_from
