"""Replies that arrive before the message they answer still end up in one thread."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webcare_tui.core.clock import ClockKind, ResponseClock
from webcare_tui.core.model import Direction, IncomingMessage
from webcare_tui.store import IngestResult, Store
from webcare_tui.store.store import ThreadNotFound

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CLOCK = ResponseClock("UTC")


def msg(remote_id: str, minutes: int, reply_to: str | None = None, *, author: str = "anna",
        direction: Direction = Direction.IN) -> IncomingMessage:  # fmt: skip
    return IncomingMessage(
        remote_id=remote_id,
        author=author,
        text=f"text of {remote_id}",
        created_at=T0 + timedelta(minutes=minutes),
        in_reply_to=reply_to,
        direction=direction,
    )


def ingest(store: Store, *messages: IncomingMessage) -> IngestResult:
    return store.ingest("c1", "mastodon", messages, clock=CLOCK, seen_at=T0 + timedelta(hours=1))


def thread_of(store: Store, remote_id: str) -> int:
    row = store.conn.execute(
        "SELECT thread_id FROM messages WHERE connector = 'c1' AND remote_id = ?", (remote_id,)
    ).fetchone()
    return int(row[0])


def test_a_reply_that_came_first_joins_the_message_it_answers(store: Store) -> None:
    early = ingest(store, msg("r", 10, "p"))
    orphan = early.new_threads[0]
    assert store.feed_count() == 1

    late = ingest(store, msg("p", 0))
    parent = thread_of(store, "p")

    assert late.merged_threads == [orphan]
    assert thread_of(store, "r") == parent
    assert [m.remote_id for m in store.messages(parent)] == ["p", "r"]
    with pytest.raises(ThreadNotFound):
        store.thread(orphan)
    assert store.feed_count() == 1
    thread = store.thread(parent)
    assert thread.message_count == 2
    assert thread.clock is not None
    assert thread.clock.start == T0  # the clock runs from the oldest unanswered message
    assert thread.last_text == "text of r"
    assert any(e.kind == "merged" and f"#{orphan}" in e.detail for e in store.events(parent))


def test_a_brand_answer_that_came_first_still_answers(store: Store) -> None:
    ingest(store, msg("answer", 10, "question", author="brand", direction=Direction.OUT))
    ingest(store, msg("question", 0))
    thread = store.thread(thread_of(store, "question"))
    assert thread.state.value == "replied" and thread.due_at is None
    assert store.feed_count() == 1


def test_a_chain_arriving_backwards_ends_as_one_thread(store: Store) -> None:
    ingest(store, msg("c", 20, "b"))
    ingest(store, msg("b", 10, "a"))
    ingest(store, msg("a", 0))
    thread = thread_of(store, "a")
    assert {thread_of(store, r) for r in "abc"} == {thread}
    assert [m.remote_id for m in store.messages(thread)] == ["a", "b", "c"]
    assert store.feed_count() == 1


def test_a_late_customer_message_older_than_our_answer_still_shows_in_the_feed(
    store: Store,
) -> None:
    ingest(store, msg("a", 0), msg("ours", 10, "a", author="brand", direction=Direction.OUT))
    ingest(store, msg("c", 5, "a"))
    assert store.thread(thread_of(store, "a")).last_text == "text of c"


def test_our_late_answer_leaves_a_newer_customer_message_waiting(store: Store) -> None:
    ingest(store, msg("q", 0), msg("again", 20, "q"))
    ingest(store, msg("ours", 10, "q", author="brand", direction=Direction.OUT))
    thread = store.thread(thread_of(store, "q"))
    assert thread.state.value == "open"
    assert thread.clock is not None and thread.clock.start == T0 + timedelta(minutes=20)
    assert thread.clock.kind is ClockKind.NEXT  # we had answered before: the next clock
    window = CLOCK.window_seconds("mastodon", ClockKind.NEXT)
    assert thread.due_at == T0 + timedelta(minutes=20, seconds=window)
    assert not any(e.kind == "reopened" for e in store.events(thread.id))


def test_a_reopened_thread_is_reported_when_a_late_answer_comes_with_it(store: Store) -> None:
    thread = ingest(store, msg("q", 0), msg("q2", 20, "q")).new_threads[0]
    late = ingest(
        store,
        msg("ours", 10, "q", author="brand", direction=Direction.OUT),  # older than q2
        msg("again", 30, "q2"),
    )
    assert late.reopened_threads == [thread]
    assert sum(e.kind == "reopened" for e in store.events(thread)) == 1
    clock = store.thread(thread).clock
    assert clock is not None and clock.start == T0 + timedelta(minutes=20)


def test_a_thread_agents_worked_on_is_kept_apart_and_linked(store: Store) -> None:
    orphan = ingest(store, msg("r", 10, "p")).new_threads[0]
    store.assign(orphan, "AB", now=T0)

    late = ingest(store, msg("p", 0))
    parent = thread_of(store, "p")

    assert late.merged_threads == []
    assert thread_of(store, "r") == orphan != parent
    assert any(e.kind == "related" and f"#{parent}" in e.detail for e in store.events(orphan))
    assert any(e.kind == "related" and f"#{orphan}" in e.detail for e in store.events(parent))
    ingest(store, msg("p", 0))  # nothing new: no second pair of events
    assert sum(e.kind == "related" for e in store.events(orphan)) == 1


def test_threads_split_before_the_upgrade_wait_for_their_parent_after_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Store(path)
    orphan = ingest(old, msg("r", 10, "p")).new_threads[0]
    # As a version-3 database had it: no waiting_for column.
    old.conn.execute("DROP INDEX threads_waiting")
    old.conn.execute("ALTER TABLE threads DROP COLUMN waiting_for")
    old.conn.execute("ALTER TABLE threads DROP COLUMN last_in_at")
    old.conn.execute("DROP TABLE skipped_items")  # and nothing of the migrations after it
    old.conn.execute("DROP TABLE callbacks")
    old.conn.execute("ALTER TABLE threads DROP COLUMN promise_at")
    for table in ("presence", "agent_notices", "handover_notes"):
        old.conn.execute(f"DROP TABLE {table}")
    old.conn.execute("ALTER TABLE leases DROP COLUMN agent")
    old.conn.execute("PRAGMA user_version = 3")
    old.close()

    upgraded = Store(path)
    assert ingest(upgraded, msg("p", 0)).merged_threads == [orphan]
    assert thread_of(upgraded, "r") == thread_of(upgraded, "p")


def _conversation(seed: int, size: int, *, brand: bool) -> list[IncomingMessage]:
    """Replies to earlier messages and new conversations; with `brand`, some are ours."""
    rng = random.Random(seed)
    messages: list[IncomingMessage] = []
    for i in range(size):
        parent = f"m{rng.randrange(i)}" if i and rng.random() < 0.7 else None
        outgoing = brand and parent is not None and rng.random() < 0.3
        messages.append(
            msg(
                f"m{i}",
                i * 3,
                parent,
                author="brand" if outgoing else f"c{rng.randrange(4)}",
                direction=Direction.OUT if outgoing else Direction.IN,
            )
        )
    return messages


def _threads_by_root(store: Store, *, facts: bool) -> dict[str, tuple[object, ...]]:
    columns = (
        "state, pending_since, first_reply_at, last_out_at, due_at, last_text, last_in_at, "
        if facts
        else ""
    )
    rows = store.conn.execute(
        f"SELECT root_remote_id, {columns} message_count, updated_at, created_at, author, "
        "(SELECT group_concat(remote_id) FROM (SELECT remote_id FROM messages m "
        " WHERE m.thread_id = threads.id ORDER BY created_at, id)) FROM threads"
    ).fetchall()
    return {row[0]: tuple(row[1:]) for row in rows}


def _ingest_in_pieces(
    store: Store, conversation: list[IncomingMessage], order_seed: int, batches: int
) -> None:
    shuffled = list(conversation)
    random.Random(order_seed).shuffle(shuffled)
    for part in range(batches):
        ingest(store, *shuffled[part::batches])


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ORDERS = {
    "seed": st.integers(0, 10_000),
    "size": st.integers(2, 25),
    "order_seed": st.integers(0, 10_000),
    "batches": st.integers(1, 6),
}


@pytest.mark.parametrize("facts", [False, True], ids=["threads", "clocks"])
@SETTINGS
@given(**ORDERS)
def test_arrival_order_changes_neither_the_threads_nor_their_clocks(
    tmp_path_factory: pytest.TempPathFactory,
    facts: bool,
    seed: int,
    size: int,
    order_seed: int,
    batches: int,
) -> None:
    conversation = _conversation(seed, size, brand=True)
    at_once = Store(tmp_path_factory.mktemp("once") / "w.db")
    ingest(at_once, *conversation)
    piecemeal = Store(tmp_path_factory.mktemp("pieces") / "w.db")
    _ingest_in_pieces(piecemeal, conversation, order_seed, batches)
    assert _threads_by_root(piecemeal, facts=facts) == _threads_by_root(at_once, facts=facts)


def test_a_merged_threads_tags_move_to_the_thread_it_joins(store: Store) -> None:
    orphan = ingest(store, msg("r", 10, "p")).new_threads[0]
    # Tagged by a rule (not an agent), so the thread still joins its parent.
    store.tag(orphan, ["refund", "urgent"], actor="webcare", now=T0 + timedelta(hours=1))
    late = ingest(store, msg("p", 0))
    assert late.merged_threads == [orphan]
    parent = thread_of(store, "p")
    assert store.tags_of([parent]) == {parent: ("refund", "urgent")}
