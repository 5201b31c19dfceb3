"""Full-text search and the query language against a real SQLite database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import Direction, IncomingMessage, ThreadState
from webcare_tui.core.query import parse_query
from webcare_tui.store import Store
from webcare_tui.store.schema import MIGRATIONS
from webcare_tui.store.search import thread_where

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CLOCK = ResponseClock("UTC")


def put(store: Store, remote_id: str, text: str, *, author: str = "anna", minutes: int = 0,
        reply_to: str | None = None, channel: str = "mastodon",
        direction: Direction = Direction.IN) -> int:  # fmt: skip
    message = IncomingMessage(
        remote_id, author, text, T0 + timedelta(minutes=minutes), direction, reply_to
    )
    store.ingest(channel, channel, [message], clock=CLOCK, seen_at=T0)
    row = store.conn.execute(
        "SELECT thread_id FROM messages WHERE remote_id = ?", (remote_id,)
    ).fetchone()
    return int(row[0])


def ids(store: Store, text: str) -> set[int]:
    """The threads the feed shows for `text`, typed by agent AB."""
    where, params = thread_where(parse_query(text).resolve_me("AB"))
    return {row[0] for row in store.conn.execute(f"SELECT id FROM threads WHERE {where}", params)}


@pytest.fixture
def inbox(store: Store) -> dict[str, int]:
    threads = {
        "late": put(store, "1", "My parcel is late again", author="anna"),
        "bill": put(store, "2", "Wrong invoice amount", author="bob", minutes=5),
        "sky": put(store, "3", "Parcel never came", author="cees.bsky.social", minutes=9,
                   channel="bluesky"),
    }  # fmt: skip
    put(store, "4", "Still waiting for the courier", author="anna", minutes=20, reply_to="1")
    store.assign(threads["late"], "AB", now=T0)
    store.assign(threads["bill"], "MK", now=T0)
    store.tag(threads["late"], ["delivery"], actor="AB", now=T0)
    store.tag(threads["sky"], ["delivery"], actor="AB", now=T0)
    return threads


def test_free_text_finds_words_in_any_message_of_the_thread(
    store: Store, inbox: dict[str, int]
) -> None:
    assert ids(store, "courier") == {inbox["late"]}  # the second message, not the last text
    assert ids(store, "parcel") == {inbox["late"], inbox["sky"]}
    assert ids(store, "parc") == {inbox["late"], inbox["sky"]}  # as one types
    assert ids(store, "PARCEL never") == {inbox["sky"]}


def test_filters_combine_with_text(store: Store, inbox: dict[str, int]) -> None:
    assert ids(store, "@me") == {inbox["late"]}
    assert ids(store, "@MK") == {inbox["bill"]}
    assert ids(store, "@none") == {inbox["sky"]}
    assert ids(store, "#delivery") == {inbox["late"], inbox["sky"]}
    assert ids(store, "#delivery channel:bluesky") == {inbox["sky"]}
    assert ids(store, "#delivery @me parcel") == {inbox["late"]}
    assert ids(store, "@me @none") == {inbox["late"], inbox["sky"]}
    assert ids(store, "bob") == {inbox["bill"]}  # the customer's handle


def test_states_are_one_filter_away(store: Store, inbox: dict[str, int]) -> None:
    store.snooze(inbox["bill"], T0 + timedelta(hours=2), actor="AB", now=T0)
    store.set_state(inbox["sky"], ThreadState.IGNORED, actor="AB", now=T0, reason="spam")
    assert ids(store, "") == {inbox["late"]}
    assert ids(store, "state:snoozed") == {inbox["bill"]}
    assert ids(store, "state:ignored parcel") == {inbox["sky"]}
    assert ids(store, "state:snoozed state:ignored") == {inbox["bill"], inbox["sky"]}
    assert ids(store, "state:nonsense") == set()


def test_search_lists_messages_most_recent_first_in_any_state(
    store: Store, inbox: dict[str, int]
) -> None:
    store.set_state(inbox["sky"], ThreadState.RESOLVED, actor="AB", now=T0)
    hits = store.search(parse_query("parcel OR courier"))
    assert hits == []  # OR is a word here, and no message has it
    hits = store.search(parse_query("parcel"))
    assert [h.thread_id for h in hits] == [inbox["sky"], inbox["late"]]
    assert hits[0].author == "cees.bsky.social"
    assert "Parcel" in hits[0].snippet


def test_search_reaches_our_own_replies_too(store: Store, inbox: dict[str, int]) -> None:
    put(store, "5", "Sorry! The courier comes tomorrow ^AB", author="brand", minutes=30,
        reply_to="4", direction=Direction.OUT)  # fmt: skip
    hits = store.search(parse_query("tomorrow"))
    assert [(h.thread_id, h.author) for h in hits] == [(inbox["late"], "brand")]


def test_diacritics_do_not_matter(store: Store) -> None:
    thread = put(store, "d", "De bezorging was één dag te laat, café dicht")
    assert ids(store, "een cafe") == {thread}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(st.text(max_size=60))
def test_any_query_runs_and_never_errors(inbox: dict[str, int], store: Store, text: str) -> None:
    store.search(parse_query(text))
    store.count_matching(parse_query(text))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=80)
@given(
    st.lists(
        st.sampled_from(['"', "'", "OR", "NEAR(", "*", "text:", "--", ";", "DROP TABLE threads;",
                         "' OR 1=1 --", "%", "_", "\\", "state:open", "#'", "@'", "channel:'"]),
        min_size=1, max_size=8,
    ).map(" ".join)
)  # fmt: skip
def test_hostile_queries_are_only_text(inbox: dict[str, int], store: Store, text: str) -> None:
    store.search(parse_query(text))
    assert store.count_matching(parse_query(text)) <= 3
    assert store.conn.execute("SELECT COUNT(*) FROM threads").fetchone()[0] == 3


def test_a_message_stored_past_the_ingest_is_indexed_before_a_search(store: Store) -> None:
    """Sent replies are stored by the outbox, not `Store.ingest`: search catches them up."""
    from webcare_tui.store.ingest import ingest_batch

    thread = put(store, "1", "where is my parcel")
    reply = IncomingMessage("2", "brand", "Tracking link sent by DM", T0, Direction.OUT, "1")
    with store._write() as conn:
        ingest_batch(conn, connector="mastodon", channel="mastodon", messages=[reply],
                     clock=CLOCK, seen_at=T0)  # fmt: skip
    assert [h.thread_id for h in store.search(parse_query("tracking"))] == [thread]
    assert store.index_pending() == 0


def test_search_finds_what_was_stored_before_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Store(path)
    thread = put(old, "1", "an old complaint about the invoice")
    old.conn.execute("DROP TABLE messages_fts")
    old.conn.execute("DELETE FROM meta WHERE key = 'fts_last_id'")
    before = next(i for i, step in enumerate(MIGRATIONS) if "messages_fts" in step)
    old.conn.execute(f"PRAGMA user_version = {before}")
    old.close()
    upgraded = Store(path)
    assert [h.thread_id for h in upgraded.search(parse_query("invoice"))] == [thread]


def test_the_feed_filter_speaks_the_query_language(store: Store, inbox: dict[str, int]) -> None:
    from webcare_tui.store.base import FeedFilter

    def feed(text: str) -> set[int]:
        return {t.id for t in store.feed_page(FeedFilter(query=text, agent="AB"))}

    assert feed("@me courier") == {inbox["late"]}
    assert feed("#delivery") == {inbox["late"], inbox["sky"]}
    assert feed("bluesky") == {inbox["sky"]}  # a channel's name still finds its threads
    store.snooze(inbox["bill"], T0 + timedelta(hours=1), actor="AB", now=T0)
    assert feed("invoice") == set()
    assert feed("invoice state:snoozed") == {inbox["bill"]}
    assert store.feed_count(FeedFilter(query="state:snoozed")) == 1


def test_both_plans_give_the_same_newest_hits(
    store: Store, inbox: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Common words take the newest-first walk; rare ones sort their matches. Same answer."""
    import webcare_tui.store.search as search

    put(store, "9", "parcel parcel, an older one", author="zed", minutes=-30)
    queries = ["parcel", "parcel #delivery", "courier @me", "parcel state:open channel:bluesky"]
    few = [store.search(parse_query(q).resolve_me("AB")) for q in queries]
    monkeypatch.setattr(search, "COMMON_MATCHES", 1)
    common = [store.search(parse_query(q).resolve_me("AB")) for q in queries]
    assert common == few
    times = [h.created_at for h in common[0]]
    assert times == sorted(times, reverse=True) and common[0][-1].author == "zed"
