"""The outbox table: an older database keeps its replies through the migration that adds the
`unconfirmed` and `awaiting_approval` states, and the feed's marks come from one query."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from tests.fakes.clock import FROZEN_NOW
from webcare_tui.config import Config
from webcare_tui.core.model import IncomingMessage
from webcare_tui.core.outbox import NewReply, OutboxState
from webcare_tui.core.timeutil import to_db
from webcare_tui.store import Store
from webcare_tui.store.schema import MIGRATIONS, _statements

OUTBOX_REBUILT = next(i for i, m in enumerate(MIGRATIONS) if "outbox_rebuilt" in m)


def test_an_older_database_keeps_its_outbox_through_the_new_states(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for number, migration in enumerate(MIGRATIONS[:OUTBOX_REBUILT]):
        for statement in _statements(migration):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number + 1}")
    conn.execute(
        "INSERT INTO threads (connector, channel, root_remote_id, author, state, created_at, "
        "updated_at, sort_key) VALUES ('c1', 'mastodon', 'm1', 'anna', 'open', ?, ?, ?)",
        (to_db(FROZEN_NOW), to_db(FROZEN_NOW), f"1 {to_db(FROZEN_NOW)}"),
    )
    conn.execute(
        "INSERT INTO outbox (thread_id, agent, text, idempotency_key, state, created_at, "
        "send_after, attempts, last_error, retry_at) "
        "VALUES (1, 'AB', 'Sorry! ^AB', 'webcare-old', 'failed', ?, ?, 2, 'timed out', ?)",
        (to_db(FROZEN_NOW), to_db(FROZEN_NOW), to_db(FROZEN_NOW + timedelta(seconds=20))),
    )
    conn.commit()
    conn.close()
    store = Store(path)
    try:
        [item] = store.pending_replies()
        assert (item.text, item.idempotency_key, item.state) == (
            "Sorry! ^AB",
            "webcare-old",
            OutboxState.FAILED,
        )
        assert item.attempts == 2 and item.last_error == "timed out" and item.retry_at
        store.conn.execute("UPDATE outbox SET state = 'unconfirmed' WHERE id = ?", (item.id,))
        assert store.outbox_item(item.id).state is OutboxState.UNCONFIRMED
    finally:
        store.close()


def test_the_feed_marks_threads_whose_reply_may_still_go_out(store: Store, demo: Config) -> None:
    clock = demo.clock()
    threads = []
    for n in range(3):
        message = IncomingMessage(f"m{n}", f"klant{n}", "waar blijft het?", FROZEN_NOW)
        threads += store.ingest(
            "c1", "mastodon", [message], clock=clock, seen_at=FROZEN_NOW
        ).new_threads
    for n, thread in enumerate(threads[:2]):
        reply = NewReply(
            thread, "AB", "Sorry! ^AB", FROZEN_NOW + timedelta(seconds=10), idempotency_key=f"k{n}"
        )
        store.queue_reply(reply, now=FROZEN_NOW, awaiting_approval=n == 1)
    assert store.pending_threads() == {
        threads[0]: OutboxState.QUEUED,
        threads[1]: OutboxState.AWAITING_APPROVAL,
    }
    [first] = store.outbox_items(threads[0])
    store.cancel_reply(first.id, now=FROZEN_NOW)
    assert threads[0] not in store.pending_threads()
