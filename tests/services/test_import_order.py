"""The import hands replies over after their parents, wherever they are in the file: the
threads, clocks and customers it stores are those of one batch in time order."""

from __future__ import annotations

import gc
import json
import random
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.store.test_orphans import CLOCK, SETTINGS, T0, _conversation, _threads_by_root
from webcare_tui.core.model import Direction, IncomingMessage
from webcare_tui.core.query import parse_query
from webcare_tui.services import importer
from webcare_tui.services.importer import import_file
from webcare_tui.store import Store

SEEN = T0.replace(hour=12)


def _line(message: IncomingMessage) -> str:
    return json.dumps(
        {
            "remote_id": message.remote_id,
            "author": message.author,
            "text": message.text,
            "created_at": message.created_at.isoformat(),
            "direction": message.direction.value,
            "in_reply_to": message.in_reply_to,
            "author_name": message.author_name,
            "followers": message.followers,
        }
    )


def _file(path: Path, messages: list[IncomingMessage]) -> Path:
    path.write_text("".join(_line(m) + "\n" for m in messages), encoding="utf-8")
    return path


def _import(store: Store, path: Path) -> importer.ImportReport:
    return import_file(store, path, connector="c1", channel="mastodon", clock=CLOCK, now=SEEN)


def _customers(store: Store) -> list[tuple[object, ...]]:
    rows = store.conn.execute("SELECT handle, name, followers FROM customers ORDER BY 1")
    return [tuple(row) for row in rows]


def _with_customer_facts(messages: list[IncomingMessage], seed: int) -> list[IncomingMessage]:
    rng = random.Random(seed)
    return [
        IncomingMessage(
            m.remote_id,
            m.author,
            m.text,
            m.created_at,
            m.direction,
            m.in_reply_to,
            author_name=rng.choice([None, f"Name {m.remote_id}"]),
            followers=rng.choice([None, rng.randrange(10_000)]),
        )
        for m in messages
    ]


@SETTINGS
@given(
    seed=st.integers(0, 10_000),
    size=st.integers(2, 30),
    order_seed=st.integers(0, 10_000),
    batch=st.integers(1, 12),
)
def test_any_file_order_and_batch_size_store_what_one_batch_in_time_order_stores(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    seed: int,
    size: int,
    order_seed: int,
    batch: int,
) -> None:
    conversation = _with_customer_facts(_conversation(seed, size, brand=True), seed)
    in_file = list(conversation)
    random.Random(order_seed).shuffle(in_file)  # parents and replies in different batches
    folder = tmp_path_factory.mktemp("import")
    path = _file(folder / "export.jsonl", in_file)
    at_once = Store(folder / "once.db")
    at_once.ingest("c1", "mastodon", conversation, clock=CLOCK, seen_at=SEEN)
    imported = Store(folder / "imported.db")
    monkeypatch.setattr(importer, "BATCH", batch)
    report = _import(imported, path)
    assert (report.read, report.imported, report.errors) == (size, size, [])
    assert _threads_by_root(imported, facts=True) == _threads_by_root(at_once, facts=True)
    assert _customers(imported) == _customers(at_once)
    merged = imported.conn.execute("SELECT COUNT(*) FROM events WHERE kind = 'merged'")
    assert merged.fetchone()[0] == 0  # one file: no thread was made only to be merged away
    again = _import(imported, path)
    assert (again.imported, again.already_there) == (0, size)
    at_once.close()
    imported.close()


def _fixed_set() -> list[IncomingMessage]:
    """Three customers, our answers, a thank-you, and replies written before their parents'
    lines (an export sorted by author, say)."""

    def m(rid: str, minutes: int, parent: str | None, author: str, text: str,
          followers: int | None = None) -> IncomingMessage:  # fmt: skip
        ours = author == "brand"
        return IncomingMessage(
            remote_id=rid, author=author, text=text,
            created_at=T0 + timedelta(minutes=minutes),
            direction=Direction.OUT if ours else Direction.IN, in_reply_to=parent,
            author_name=None if ours else author.title(), followers=followers,
        )  # fmt: skip

    return [
        m("a2", 30, "a1", "anna", "nog steeds geen krant bezorgd", 120),
        m("b3", 50, "b2", "bob", "dank je wel, opgelost"),
        m("a1", 0, None, "anna", "mijn krant is niet bezorgd", 100),
        m("b2", 40, "b1", "brand", "we hebben een nieuwe factuur gestuurd"),
        m("b1", 10, None, "bob", "mijn factuur klopt niet", 5),
        m("c1", 20, None, "cas", "puzzel in het weekend ontbreekt"),
        m("r1", 35, "a1", "brand", "sorry Anna, we sturen hem na"),
    ]


def test_the_fixed_set_stores_what_the_orphan_merging_path_stored(tmp_path: Path) -> None:
    messages = _fixed_set()
    path = _file(tmp_path / "export.jsonl", messages)
    bulk = Store(tmp_path / "bulk.db")
    report = _import(bulk, path)
    assert (report.imported, report.already_there, report.errors) == (7, 0, [])
    # The way the lines went in before: one at a time in file order, replies first as orphans.
    merging = Store(tmp_path / "merging.db")
    merged = [
        merging.ingest("c1", "mastodon", [m], clock=CLOCK, seen_at=SEEN).merged_threads
        for m in messages
    ]
    assert any(merged)
    assert _threads_by_root(bulk, facts=True) == _threads_by_root(merging, facts=True)
    assert _customers(bulk) == _customers(merging) == [
        ("anna", "Anna", 120), ("bob", "Bob", 5), ("cas", "Cas", None),
    ]  # fmt: skip
    threads = dict(bulk.conn.execute("SELECT root_remote_id, id FROM threads").fetchall())
    assert sorted(threads) == ["a1", "b1", "c1"]
    by_id = {t.id: t for t in bulk.feed_page()}
    assert by_id[threads["a1"]].message_count == 3 and by_id[threads["b1"]].message_count == 3
    hits = bulk.search(parse_query("bezorgd"))
    assert {h.thread_id for h in hits} == {threads["a1"]} and len(hits) == 2
    bulk.close()
    merging.close()


def test_a_time_with_no_utc_equivalent_is_a_skipped_line_not_a_crash(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "export.jsonl"
    lines = [
        {"remote_id": "1", "author": "a", "text": "x", "created_at": "0001-01-01T00:00:00+01:00"},
        {"remote_id": "2", "author": "a", "text": "y", "created_at": "2026-11-23T08:00:00Z"},
        {"remote_id": "3", "author": "a", "text": "z", "created_at": "9999-12-31T23:59:59-01:00"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    report = _import(store, path)
    assert report.imported == 1
    assert [number for number, _ in report.errors] == [1, 3]
    assert all("created_at" in why for _, why in report.errors)


def test_the_cycle_collector_is_back_on_after_an_import_even_one_that_failed(
    store: Store, tmp_path: Path
) -> None:
    path = _file(tmp_path / "export.jsonl", _fixed_set())
    _import(store, path)
    assert gc.isenabled()
    with pytest.raises(OSError):
        _import(store, tmp_path / "missing.jsonl")
    assert gc.isenabled()
