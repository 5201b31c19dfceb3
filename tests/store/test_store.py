from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import webcare_tui.store.store as store_module
from webcare_tui.core.clock import ClockKind, ResponseClock, ResponseWindow, parse_duration
from webcare_tui.core.model import Direction, IncomingMessage, ThreadState
from webcare_tui.store import IngestResult, Store, StoreError
from webcare_tui.store.reads import InboxCounts
from webcare_tui.store.store import ClaimedByOther, FeedFilter, ThreadNotFound

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CLOCK = ResponseClock("UTC")


def msg(remote_id: str, minutes: int = 0, *, reply_to: str | None = None, author: str = "anna",
        direction: Direction = Direction.IN, text: str = "hallo") -> IncomingMessage:  # fmt: skip
    return IncomingMessage(
        remote_id=remote_id,
        author=author,
        text=text,
        created_at=T0 + timedelta(minutes=minutes),
        direction=direction,
        in_reply_to=reply_to,
    )


def ingest(store: Store, *messages: IncomingMessage, cursor: str | None = None) -> IngestResult:
    return store.ingest("c1", "mastodon", messages, clock=CLOCK, seen_at=T0, cursor=cursor)


def test_ingest_is_idempotent(store: Store) -> None:
    first = ingest(store, msg("1"), msg("2", 1, reply_to="1"))
    again = ingest(store, msg("1"), msg("2", 1, reply_to="1"))
    assert first.new_messages == 2 and len(first.new_threads) == 1
    assert again.new_messages == 0 and again.skipped == 2
    assert store.feed_count() == 1
    assert len(store.messages(first.new_threads[0])) == 2


def test_replies_join_their_thread_across_batches(store: Store) -> None:
    ingest(store, msg("root"))
    result = ingest(store, msg("child", 5, reply_to="root"), msg("grandchild", 6, reply_to="child"))
    assert result.new_threads == []
    [thread] = store.feed_page()
    assert thread.message_count == 3


def test_reply_to_unknown_message_starts_a_thread(store: Store) -> None:
    result = ingest(store, msg("x", reply_to="brand-post-we-never-saw"))
    assert len(result.new_threads) == 1


def test_first_response_clock_starts_at_created_at(store: Store) -> None:
    ingest(store, msg("1", 10))
    [thread] = store.feed_page()
    assert thread.state is ThreadState.OPEN
    assert thread.due_at == T0 + timedelta(minutes=70)
    assert thread.clock is not None and thread.clock.kind is ClockKind.FIRST


def test_team_reply_stops_clock_and_customer_reopens_on_next_response(store: Store) -> None:
    ingest(store, msg("1"))
    ingest(store, msg("2", 20, reply_to="1", author="brand", direction=Direction.OUT))
    thread = store.feed_page()[0]
    assert thread.state is ThreadState.REPLIED and thread.due_at is None
    ingest(store, msg("3", 30, reply_to="2"))
    thread = store.thread(thread.id)
    assert thread.state is ThreadState.OPEN
    assert thread.clock is not None and thread.clock.kind is ClockKind.NEXT
    assert thread.due_at == T0 + timedelta(minutes=30, hours=4)
    assert [e.kind for e in store.events(thread.id)] == ["reopened"]


def test_three_customer_messages_keep_the_oldest_due_time(store: Store) -> None:
    ingest(store, msg("1"), msg("2", 5, reply_to="1"), msg("3", 9, reply_to="2"))
    [thread] = store.feed_page()
    assert thread.due_at == T0 + timedelta(minutes=60)
    assert thread.message_count == 3
    assert thread.last_text == "hallo"


def test_cursor_is_stored_with_the_batch(store: Store) -> None:
    ingest(store, msg("1"), cursor="c-after-1")
    assert store.cursor("c1") == "c-after-1"


def test_an_item_that_cannot_be_stored_is_recorded_and_the_rest_of_the_batch_kept(
    store: Store,
) -> None:
    ingest(store, msg("1"), cursor="good")
    broken = IncomingMessage("2", "anna", "x", created_at="not a time")  # type: ignore[arg-type]
    result = ingest(store, broken, msg("3", author="bob"), cursor="after-3")
    assert result.new_messages == 1 and result.rejected == [("2", "created_at is not a time")]
    assert store.cursor("c1") == "after-3"
    assert store.feed_count() == 2
    [skipped] = store.skipped_items("c1")
    assert (skipped.remote_id, skipped.reason, skipped.times) == (
        "2",
        "created_at is not a time",
        1,
    )


def test_a_skipped_item_stored_later_is_no_longer_reported(store: Store) -> None:
    def broken(remote_id: str) -> IncomingMessage:
        return IncomingMessage(remote_id, "anna", "x", created_at="not a time")  # type: ignore[arg-type]

    ingest(store, broken("2"), broken("3"), msg("4"))
    ingest(store, msg("1"), msg("2", 5))
    assert [s.remote_id for s in store.skipped_items("c1")] == ["3"]
    assert store.skipped_count("c1") == 1
    assert store.feed_count() == 3


def test_hostile_text_is_neutralised_when_stored(store: Store) -> None:
    text = "hi\x1b]52;c;ZXZpbA==\x07 there\x1b[2J \u202eevil\x00"
    ingest(store, IncomingMessage("1", "mal\u202eory\x1b[31m", text, T0, author_name="\x9bname"))
    [thread] = store.feed_page()
    [message] = store.messages(thread.id)
    assert message.text == "hi there evil"
    assert thread.author == "malory"
    assert thread.author_name == "name"


def test_feed_orders_by_due_time_and_pages_by_keyset(store: Store) -> None:
    ingest(store, *[msg(str(i), minutes=(i * 7) % 50, author=f"a{i}") for i in range(50)])
    everything = store.feed_slice(FeedFilter(), 0, 100)
    dues = [t.due_at for t in everything if t.due_at is not None]
    assert len(dues) == len(everything) and dues == sorted(dues)
    first = store.feed_keyed(limit=20)
    assert first.last is not None
    second = store.feed_keyed(after=first.last, limit=20)
    assert second.first is not None
    back = store.feed_keyed(before=second.first, limit=20)
    assert [t.id for t in first.threads + second.threads] == [t.id for t in everything[:40]]
    assert [t.id for t in back.threads] == [t.id for t in first.threads]
    assert [t.id for t in store.feed_keyed(offset=45, limit=20).threads] == [
        t.id for t in everything[45:]
    ]
    assert store.feed_position(FeedFilter(), everything[33].id) == 33


def test_filter_matches_author_and_text_literally(store: Store) -> None:
    ingest(store, msg("1", author="piet", text="krant 100% niet bezorgd"), msg("2", author="jan"))
    assert store.feed_count(FeedFilter(query="100%")) == 1
    assert store.feed_count(FeedFilter(query="%")) == 1
    assert store.feed_count(FeedFilter(query="jan")) == 1
    assert store.feed_count(FeedFilter(query="_")) == 0


def test_assign_refuses_another_agents_thread(store: Store) -> None:
    result = ingest(store, msg("1"))
    thread_id = result.new_threads[0]
    store.assign(thread_id, "AB", now=T0)
    with pytest.raises(ClaimedByOther) as refused:
        store.assign(thread_id, "CD", now=T0)
    assert refused.value.holder == "AB"
    store.assign(thread_id, "CD", now=T0, force=True)
    assert store.thread(thread_id).assignee == "CD"
    assert [e.detail for e in store.events(thread_id)] == ["", "taken over from AB"]


def test_ignore_needs_no_clock_and_leaves_the_feed(store: Store) -> None:
    thread_id = ingest(store, msg("1")).new_threads[0]
    store.set_state(thread_id, ThreadState.IGNORED, actor="AB", now=T0, reason="spam")
    assert store.feed_count() == 0
    assert store.feed_count(FeedFilter(state=ThreadState.IGNORED)) == 1
    [event] = store.events(thread_id)
    assert (event.kind, event.detail, event.actor) == ("ignored", "spam", "AB")


def test_escalation_runs_the_follow_up_clock(store: Store) -> None:
    thread_id = ingest(store, msg("1")).new_threads[0]
    store.escalate(thread_id, "phone", actor="AB", now=T0 + timedelta(hours=1), clock=CLOCK,
                   note="belt terug")  # fmt: skip
    thread = store.thread(thread_id)
    assert thread.state is ThreadState.ESCALATED
    assert thread.clock is not None and thread.clock.kind is ClockKind.FOLLOW_UP
    assert thread.due_at == T0 + timedelta(hours=1, days=1)
    assert [n.text for n in store.notes(thread_id)] == ["belt terug"]


def test_event_log_is_append_only(store: Store) -> None:
    thread_id = ingest(store, msg("1")).new_threads[0]
    store.assign(thread_id, "AB", now=T0)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("UPDATE events SET actor = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("DELETE FROM events")


def test_drafts_survive_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    first = Store(path)
    thread_id = ingest(first, msg("1")).new_threads[0]
    first.save_draft(thread_id, "AB", "Hoi Anna, ", now=T0)
    first.close()
    second = Store(path)
    assert second.draft(thread_id, "AB") == "Hoi Anna, "
    assert second.draft(thread_id, "CD") == ""


def test_counts(store: Store) -> None:
    ids = ingest(store, msg("1"), msg("2", 50, author="b"), msg("3", author="c")).new_threads
    store.assign(ids[0], "AB", now=T0)
    counts = store.counts("AB", T0 + timedelta(minutes=90))
    assert counts == InboxCounts(open=3, overdue=2, mine=1)


def test_counts_agree_with_every_row_read_plainly(store: Store) -> None:
    """The header's counts read indexes only; they must match a plain look at every row."""
    ids = ingest(store, *(msg(str(i), i * 7, author=f"c{i}") for i in range(12))).new_threads
    store.assign(ids[0], "AB", now=T0)
    store.assign(ids[1], "CD", now=T0)
    store.set_state(ids[2], ThreadState.RESOLVED, actor="AB", now=T0)
    store.assign(ids[3], "AB", now=T0)
    store.set_state(ids[3], ThreadState.IGNORED, actor="AB", now=T0, reason="spam")
    store.set_state(ids[4], ThreadState.SNOOZED, actor="AB", now=T0)
    store.assign(ids[4], "AB", now=T0)
    store.escalate(ids[5], "phone", actor="AB", now=T0, clock=ResponseClock(), note="")
    ingest(store, msg("r", 30, reply_to="6", author="brand", direction=Direction.OUT))
    for minutes in (0, 45, 61, 120, 24 * 60):
        now = T0 + timedelta(minutes=minutes)
        rows = store.conn.execute("SELECT state, due_at, assignee, active FROM threads").fetchall()
        active = [r for r in rows if r["active"]]
        expected = InboxCounts(
            open=sum(r["state"] == "open" for r in active),
            overdue=sum(r["due_at"] is not None and r["due_at"] < now.isoformat() for r in active),
            mine=sum(r["assignee"] == "AB" for r in active),
        )
        assert store.counts("AB", now) == expected


def test_two_processes_worth_of_connections_write_without_losing(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    Store(path).close()
    errors: list[BaseException] = []

    def agent(n: int) -> None:
        try:
            own = Store(path)
            for i in range(40):
                own.ingest(
                    "c1", "mastodon", [msg(f"{n}-{i}", author=f"u{n}")], clock=CLOCK, seen_at=T0
                )
            own.close()
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    workers = [threading.Thread(target=agent, args=(n,)) for n in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    check = Store(path)
    assert check.feed_count() == 160


def test_leases_keep_one_poller(store: Store) -> None:
    assert store.take_lease("poller", "a", now=T0, ttl_seconds=30)
    assert not store.take_lease("poller", "b", now=T0 + timedelta(seconds=10), ttl_seconds=30)
    assert store.take_lease("poller", "a", now=T0 + timedelta(seconds=10), ttl_seconds=30)
    # a dies: its lease runs out and b takes over
    assert store.take_lease("poller", "b", now=T0 + timedelta(seconds=41), ttl_seconds=30)


def test_missing_thread_is_a_clear_error(store: Store) -> None:
    with pytest.raises(ThreadNotFound):
        store.thread(99)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_demo_replay_survives_a_damaged_cursor(store: Store) -> None:
    import asyncio

    from webcare_tui.config import demo_config
    from webcare_tui.connectors.demo import DemoConnector

    settings = demo_config().connectors[0]
    connector = DemoConnector(settings, now=lambda: T0)
    fresh = asyncio.run(connector.fetch(None))
    damaged = asyncio.run(connector.fetch("{not json"))
    assert [m.remote_id for m in damaged.messages] == [m.remote_id for m in fresh.messages]
    assert fresh.messages


def test_changed_windows_recompute_every_running_clock_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_RECOMPUTE_CHUNK", 3)  # several chunks from ten threads
    ids = ingest(store, *(msg(str(i), i, author=f"c{i}") for i in range(10))).new_threads
    store.set_state(ids[0], ThreadState.RESOLVED, actor="AB", now=T0)
    store.recompute_clocks(CLOCK, "hour")
    quick = ResponseClock("UTC", [ResponseWindow(first_response=parse_duration("30m"))])

    assert store.recompute_clocks(quick, "half an hour") == 9
    for i, thread_id in enumerate(ids[1:], start=1):
        assert store.thread(thread_id).due_at == T0 + timedelta(minutes=i + 30)
    assert store.thread(ids[0]).due_at is None
    assert store.recompute_clocks(quick, "half an hour") == 0
