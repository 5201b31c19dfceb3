"""The schema as numbered migrations. A database is moved forward one step at a time.

Never edit a migration that has shipped: add the next one.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: the shift inbox
    """
    CREATE TABLE threads (
        id INTEGER PRIMARY KEY,
        connector TEXT NOT NULL,
        channel TEXT NOT NULL,
        root_remote_id TEXT NOT NULL,
        author TEXT NOT NULL,
        author_name TEXT,
        state TEXT NOT NULL DEFAULT 'open',
        assignee TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        pending_since TEXT,
        first_reply_at TEXT,
        last_out_at TEXT,
        escalated_at TEXT,
        escalated_to TEXT,
        snoozed_until TEXT,
        clock_kind TEXT,
        clock_start TEXT,
        due_at TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        sort_key TEXT NOT NULL,
        last_text TEXT NOT NULL DEFAULT '',
        message_count INTEGER NOT NULL DEFAULT 0,
        UNIQUE (connector, root_remote_id)
    );
    CREATE INDEX threads_feed ON threads (active, sort_key, id);
    CREATE INDEX threads_customer ON threads (connector, author);
    CREATE INDEX threads_assignee ON threads (assignee, active);

    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        thread_id INTEGER NOT NULL REFERENCES threads (id),
        connector TEXT NOT NULL,
        remote_id TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        author TEXT NOT NULL,
        author_name TEXT,
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        in_reply_to TEXT,
        url TEXT,
        agent TEXT,
        is_private INTEGER NOT NULL DEFAULT 0,
        extra TEXT NOT NULL DEFAULT '{}',
        UNIQUE (connector, remote_id)
    );
    CREATE INDEX messages_thread ON messages (thread_id, created_at, id);

    CREATE TABLE customers (
        connector TEXT NOT NULL,
        handle TEXT NOT NULL,
        name TEXT,
        followers INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (connector, handle)
    );

    CREATE TABLE drafts (
        thread_id INTEGER NOT NULL REFERENCES threads (id),
        agent TEXT NOT NULL,
        text TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (thread_id, agent)
    );

    CREATE TABLE notes (
        id INTEGER PRIMARY KEY,
        thread_id INTEGER NOT NULL REFERENCES threads (id),
        at TEXT NOT NULL,
        author TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX notes_thread ON notes (thread_id, at);

    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        thread_id INTEGER REFERENCES threads (id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX events_thread ON events (thread_id, at);
    CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

    CREATE TABLE connector_state (
        name TEXT PRIMARY KEY,
        cursor TEXT,
        cursor_at TEXT,
        status TEXT NOT NULL DEFAULT 'new',
        last_error TEXT,
        last_success_at TEXT,
        backoff_until TEXT,
        failures INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );

    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: the outbox. One row per reply on its way out; see core/outbox.py for its states.
    # `idempotency_key` is the platform's dedupe key, the same on every retry of one item.
    # `override` is JSON of the blocking findings the agent sent past, or NULL.
    """
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        thread_id INTEGER NOT NULL REFERENCES threads (id),
        agent TEXT NOT NULL,
        text TEXT NOT NULL,
        private INTEGER NOT NULL DEFAULT 0,
        idempotency_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL DEFAULT 'queued'
            CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'cancelled')),
        created_at TEXT NOT NULL,
        send_after TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        remote_id TEXT,
        sent_at TEXT,
        override TEXT,
        retry_at TEXT,
        claimed_by TEXT,
        claimed_at TEXT
    );
    CREATE INDEX outbox_due ON outbox (state, send_after);
    CREATE INDEX outbox_thread ON outbox (thread_id, created_at);
    """,
    # 3: the header counts open threads on every refresh; without this it reads every row.
    """
    CREATE INDEX threads_state ON threads (active, state);
    """,
    # 4: a thread whose first message answers one not stored yet waits for it, and joins its
    # thread when it arrives (orphans.py); threads already split before this version stay
    # apart. The time of the customer message shown in the feed, so a late older message does
    # not replace it. Events may move with their thread on such a merge; what happened, who
    # did it and when still cannot change.
    """
    ALTER TABLE threads ADD COLUMN waiting_for TEXT;
    UPDATE threads SET waiting_for = (
        SELECT m.in_reply_to FROM messages m
        WHERE m.connector = threads.connector AND m.remote_id = threads.root_remote_id
    );
    UPDATE threads SET waiting_for = NULL WHERE waiting_for IS NOT NULL AND EXISTS (
        SELECT 1 FROM messages p
        WHERE p.connector = threads.connector AND p.remote_id = threads.waiting_for
    );
    CREATE INDEX threads_waiting ON threads (connector, waiting_for)
        WHERE waiting_for IS NOT NULL;

    ALTER TABLE threads ADD COLUMN last_in_at TEXT;
    UPDATE threads SET last_in_at = (
        SELECT MAX(m.created_at) FROM messages m
        WHERE m.thread_id = threads.id AND m.direction = 'in'
    );

    DROP TRIGGER events_append_only_update;
    CREATE TRIGGER events_append_only_update
        BEFORE UPDATE OF id, at, actor, kind, detail ON events
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    """,
    # 5: items a connector read but could not store (a time in year 1, a count too large):
    # left out so the rest of their page is stored, and kept here so `status` can say so.
    # One row per item; seeing it again counts up.
    """
    CREATE TABLE skipped_items (
        id INTEGER PRIMARY KEY,
        connector TEXT NOT NULL,
        remote_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        times INTEGER NOT NULL DEFAULT 1,
        UNIQUE (connector, remote_id)
    );
    """,
    # 6: finding and learning. Full text over every message (FTS5 over messages.text). New
    # messages are indexed a batch at a time after each ingest (`store.search.index_new`, up
    # to the id in meta `fts_last_id`): a trigger per row runs each insert in its own
    # statement savepoint, at which FTS5 flushes its pending terms, and costs 4x as much.
    # Triggers keep deletes and text edits in step; a thread merge does not reindex. Tags
    # per thread, the customer's messages by handle (repeat contact across channels), and
    # snoozed threads by wake-up time. Written to run again harmlessly, should the coordinator
    # renumber it on a merge.
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5(
        text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
    );
    INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
    INSERT OR REPLACE INTO meta (key, value)
        SELECT 'fts_last_id', COALESCE(MAX(id), 0) FROM messages;
    CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE OF text ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
    END;

    CREATE TABLE IF NOT EXISTS thread_tags (
        thread_id INTEGER NOT NULL REFERENCES threads (id),
        tag TEXT NOT NULL,
        PRIMARY KEY (thread_id, tag)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS thread_tags_tag ON thread_tags (tag, thread_id);
    -- A thread merged into another (orphans.py) is deleted; its tags go with it.
    CREATE TRIGGER IF NOT EXISTS thread_tags_follow_delete BEFORE DELETE ON threads BEGIN
        DELETE FROM thread_tags WHERE thread_id = old.id;
    END;

    CREATE INDEX IF NOT EXISTS messages_author ON messages (author, direction, created_at);
    CREATE INDEX IF NOT EXISTS messages_time ON messages (created_at, id);
    CREATE INDEX IF NOT EXISTS threads_snoozed ON threads (snoozed_until) WHERE state = 'snoozed';
    """,
    # 7: two outbox states: `unconfirmed` (the answer to a send was lost: it may be out) and
    # `awaiting_approval` (a blocked reply a colleague must let go); the agent's reason for an
    # override and who approved it. SQLite cannot change a CHECK, so the table is rebuilt.
    """
    CREATE TABLE outbox_rebuilt (
        id INTEGER PRIMARY KEY,
        thread_id INTEGER NOT NULL REFERENCES threads (id),
        agent TEXT NOT NULL,
        text TEXT NOT NULL,
        private INTEGER NOT NULL DEFAULT 0,
        idempotency_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL DEFAULT 'queued'
            CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'cancelled', 'unconfirmed',
                             'awaiting_approval')),
        created_at TEXT NOT NULL,
        send_after TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        remote_id TEXT,
        sent_at TEXT,
        override TEXT,
        retry_at TEXT,
        claimed_by TEXT,
        claimed_at TEXT,
        reason TEXT,
        approved_by TEXT
    );
    INSERT INTO outbox_rebuilt (id, thread_id, agent, text, private, idempotency_key, state,
        created_at, send_after, attempts, last_error, remote_id, sent_at, override, retry_at,
        claimed_by, claimed_at)
    SELECT id, thread_id, agent, text, private, idempotency_key, state, created_at, send_after,
        attempts, last_error, remote_id, sent_at, override, retry_at, claimed_by, claimed_at
    FROM outbox;
    DROP TABLE outbox;
    ALTER TABLE outbox_rebuilt RENAME TO outbox;
    CREATE INDEX outbox_due ON outbox (state, send_after);
    CREATE INDEX outbox_thread ON outbox (thread_id, created_at);
    """,
    # 8: escalation. `promise_at` is a time an agent promised the customer, earlier than the
    # follow-up clock; it rules while it lies after our last update. A callback keeps the
    # customer's phone number on the thread only (never in any outgoing text).
    """
    ALTER TABLE threads ADD COLUMN promise_at TEXT;
    CREATE TABLE IF NOT EXISTS callbacks (
        id INTEGER PRIMARY KEY,
        thread_id INTEGER NOT NULL REFERENCES threads (id),
        phone TEXT NOT NULL,
        due_at TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        done_at TEXT,
        done_by TEXT,
        outcome TEXT
    );
    CREATE INDEX IF NOT EXISTS callbacks_open ON callbacks (done_at, due_at);
    CREATE INDEX IF NOT EXISTS callbacks_thread ON callbacks (thread_id);
    """,
    # 9: a team on one database. One presence row per running TUI (a heartbeat: stale after
    # 60 s); the agent behind a lease, so `status` can name a person, not a process; notices
    # for an agent whose thread a colleague took over; one hand-over note per thread.
    """
    CREATE TABLE presence (
        session TEXT PRIMARY KEY,
        agent TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        viewing INTEGER,
        replying_to INTEGER
    );
    CREATE INDEX presence_agent ON presence (agent, last_seen);

    ALTER TABLE leases ADD COLUMN agent TEXT;

    CREATE TABLE agent_notices (
        id INTEGER PRIMARY KEY,
        agent TEXT NOT NULL,
        thread_id INTEGER REFERENCES threads (id),
        at TEXT NOT NULL,
        from_agent TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX agent_notices_agent ON agent_notices (agent, id);

    CREATE TABLE handover_notes (
        thread_id INTEGER PRIMARY KEY REFERENCES threads (id),
        author TEXT NOT NULL,
        at TEXT NOT NULL,
        text TEXT NOT NULL
    );
    """,
    # the feed by real waiting time: the expression is `FeedOrder.WAITING.key`, to the character
    """
    CREATE INDEX IF NOT EXISTS threads_by_waiting_time
        ON threads (active, COALESCE('0 ' || pending_since, '1 ' || updated_at), id);
    """,
    # the feed by priority: `priority` is the stored score, NULL until scored (new threads,
    # threads the ingest touched, every row of an older database: see `store/priorities.py`;
    # only scored threads are indexed by customer, so a bulk import of new ones pays nothing);
    # the feed index expression is `FeedOrder.PRIORITY.key`, to the character
    """
    ALTER TABLE threads ADD COLUMN priority INTEGER;
    CREATE INDEX IF NOT EXISTS threads_by_priority
        ON threads (active, printf('%03d ', 999 - COALESCE(priority, 0)) || sort_key, id);
    CREATE INDEX IF NOT EXISTS threads_unscored ON threads (id) WHERE priority IS NULL;
    CREATE INDEX IF NOT EXISTS threads_scored
        ON threads (author, connector) WHERE priority IS NOT NULL;
    """,
    # when the message that told a customer's name and follower count was written: a message
    # that arrives later but was written earlier (an import's held-back reply) does not win
    """
    ALTER TABLE customers ADD COLUMN name_at TEXT;
    ALTER TABLE customers ADD COLUMN followers_at TEXT;
    """,
    # per agent, the last notice their TUI showed: a holder whose TUI was closed is told on
    # the next start, once. Notices older than this schema were shown (or not) the old way.
    """
    CREATE TABLE IF NOT EXISTS notice_marks (
        agent TEXT PRIMARY KEY,
        last_shown INTEGER NOT NULL
    );
    INSERT OR IGNORE INTO notice_marks (agent, last_shown)
        SELECT agent, MAX(id) FROM agent_notices GROUP BY agent;
    """,
]


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration the database has not seen, each in its own transaction.

    Returns the version the database is at afterwards. Several processes may start at once:
    `BEGIN IMMEDIATE` makes one of them do the work while the others wait, then find nothing to do.
    """
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = current_version(conn)
            if version > len(MIGRATIONS):
                raise RuntimeError(
                    f"the database is at schema version {version}, newer than this "
                    f"webcare ({len(MIGRATIONS)}): upgrade webcare-tui"
                )
            if version == len(MIGRATIONS):
                conn.execute("COMMIT")
                return version
            for statement in _statements(MIGRATIONS[version]):
                _apply(conn, statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _apply(conn: sqlite3.Connection, statement: str) -> None:
    """Run one statement. Adding a column that is there already is no error: a database whose
    version was set back (by hand, or a restore over a newer file) then runs the rest again."""
    try:
        conn.execute(statement)
    except sqlite3.OperationalError as error:
        adds_column = "ADD COLUMN" in statement.upper()
        if not (adds_column and "duplicate column name" in str(error)):
            raise


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
