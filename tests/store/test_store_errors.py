"""Database trouble as a user meets it: each raw SQLite failure leaves the store as a
`StoreError` that says what to do; a foreign file is refused untouched; new files are private."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.fakes.clock import FROZEN_NOW
from webcare_tui.config import demo_config
from webcare_tui.core.model import IncomingMessage
from webcare_tui.store import Store, StoreError
from webcare_tui.store import base as store_base
from webcare_tui.store.store import (
    DatabaseDamaged,
    DatabaseLocked,
    DatabaseReadOnly,
    DiskFull,
    NotOurDatabase,
)

CLOCK = demo_config().clock()


def mention(remote_id: str, text: str = "waar blijft mijn krant?") -> IncomingMessage:
    return IncomingMessage(remote_id, "anna", text, FROZEN_NOW - timedelta(minutes=5))


def ingest(store: Store, *messages: IncomingMessage) -> None:
    store.ingest("demo", "mastodon", messages, clock=CLOCK, seen_at=FROZEN_NOW)


def damage(path: Path) -> None:
    """Overwrite every page but the first (the header, with our mark) with garbage."""
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(4096)
        file.write(b"\xa5" * (size - 4096))


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "webcare.db"
    store = Store(path)
    ingest(store, *(mention(str(i), "x" * 3000) for i in range(40)))
    store.close()  # the last connection checkpoints: everything is in the main file now
    return path


def test_corrupt_pages_are_a_damaged_database_that_names_check_db(filled: Path) -> None:
    damage(filled)
    with pytest.raises(DatabaseDamaged) as caught:
        store = Store(filled)
        store.feed_page()
    assert "is damaged: run `webcare check-db`" in str(caught.value)


def test_a_locked_database_is_reported_once_the_busy_timeout_ran_out(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_base, "BUSY_TIMEOUT_MS", 50)
    store = Store(filled)
    other = sqlite3.connect(filled, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing, and takes its time
    try:
        with pytest.raises(DatabaseLocked) as caught:
            ingest(store, mention("new"))
        assert "locked by another process" in str(caught.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    ingest(store, mention("new"))  # and once it is done, the same write goes through
    assert store.feed_count() == 41
    store.close()


def test_a_full_disk_says_so_and_the_store_still_works(filled: Path) -> None:
    store = Store(filled)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")  # not one page more
    with pytest.raises(DiskFull) as caught:
        ingest(store, *(mention(f"big-{i}", "y" * 5000) for i in range(20)))
    assert "is full: nothing was saved" in str(caught.value)
    assert "rollback" not in str(caught.value)
    assert store.feed_count() == 40  # nothing half-written
    store.conn.execute(f"PRAGMA max_page_count = {pages * 100}")
    ingest(store, mention("after"))
    assert store.feed_count() == 41
    store.close()


def test_writing_a_read_only_database_is_a_read_only_error(filled: Path) -> None:
    store = Store(filled)
    store.conn.execute("PRAGMA query_only = ON")  # as a read-only file or mount answers
    with pytest.raises(DatabaseReadOnly) as caught:
        ingest(store, mention("new"))
    assert "read-only: nothing was saved" in str(caught.value)
    store.close()


def test_a_thread_number_too_large_for_sqlite_is_a_store_error(filled: Path) -> None:
    store = Store(filled)
    with pytest.raises(StoreError):
        store.thread(10**24)
    store.close()


@pytest.mark.parametrize("kind", ["tables", "application_id", "not sqlite"])
def test_another_applications_file_is_refused_and_left_byte_for_byte(
    tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "notes.db"
    if kind == "not sqlite":
        path.write_bytes(b"# my notes\nnothing to see here\n" * 200)
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('buy milk')")
        if kind == "application_id":
            conn.execute("DROP TABLE notes")
            conn.execute("PRAGMA application_id = 1234")
        conn.commit()
        conn.close()
    before = path.read_bytes()
    with pytest.raises(NotOurDatabase) as caught:
        Store(path)
    assert "refusing to touch it" in str(caught.value)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # no -wal, no -shm


def test_our_own_database_from_before_the_mark_is_still_ours(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    conn.execute("PRAGMA application_id = 0")
    conn.commit()
    conn.close()
    store = Store(filled)
    assert store.feed_count() == 40
    assert store.conn.execute("PRAGMA application_id").fetchone()[0] == store_base.APPLICATION_ID
    store.close()


def modes(*paths: Path) -> list[str]:
    return [oct(stat.S_IMODE(p.stat().st_mode)) for p in paths]


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o002)  # a typical desktop umask: new files would be world-readable
    yield
    os.umask(old)


def test_new_database_files_and_folders_are_private(tmp_path: Path, permissive_umask: None) -> None:
    path = tmp_path / "data" / "webcare" / "webcare.db"
    store = Store(path)
    ingest(store, mention("1"))
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    assert modes(path.parent, path, wal, shm) == ["0o700", "0o600", "0o600", "0o600"]
    store.close()


def test_in_a_group_shared_folder_they_are_shared_with_the_group(
    tmp_path: Path, permissive_umask: None
) -> None:
    team = tmp_path / "team"
    team.mkdir()
    team.chmod(0o2770)
    path = team / "inbox" / "webcare.db"
    store = Store(path)
    ingest(store, mention("1"))
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    assert modes(path.parent, path, wal, shm) == ["0o2770", "0o660", "0o660", "0o660"]
    store.close()


def test_an_existing_files_mode_is_left_as_its_owner_set_it(filled: Path) -> None:
    filled.chmod(0o640)
    Store(filled).close()
    assert modes(filled) == ["0o640"]
