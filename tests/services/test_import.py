from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.importing import parse_import_line
from webcare_tui.services import importer
from webcare_tui.services.importer import import_file
from webcare_tui.store import Store

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def line(**fields: object) -> str:
    return json.dumps(fields)


def test_bad_lines_are_reported_by_number_and_the_rest_kept(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "export.jsonl",
        [
            line(remote_id="1", author="anna", text="hoi", created_at="2026-11-23T08:00:00Z"),
            "{not json",
            line(remote_id="2", author="bob", text="hi"),
            line(remote_id="3", author="cas", text="x", created_at="yesterday"),
            line(
                remote_id="4",
                author="anna",
                text="nog een",
                created_at="2026-11-23T08:05:00+01:00",
                in_reply_to="1",
                followers=12,
                url="https://x.example/4",
                author_name="Anna",
            ),
            "[1, 2]",
        ],
    )
    report = import_file(store, path, connector="backfill", channel="mastodon",
                         clock=ResponseClock(), now=NOW)  # fmt: skip
    assert report.imported == 2
    assert [n for n, _ in report.errors] == [2, 3, 4, 6]
    assert "created_at" in report.errors[1][1]
    [thread] = store.feed_page()
    assert thread.message_count == 2 and thread.followers == 12


def test_importing_twice_adds_nothing(store: Store, tmp_path: Path) -> None:
    rows = [line(remote_id=str(i), author=f"u{i}", text="t", created_at="2026-11-23T08:00:00Z")
            for i in range(30)]  # fmt: skip
    path = write(tmp_path / "e.jsonl", rows)
    first = import_file(store, path, connector="b", channel="x", clock=ResponseClock(), now=NOW)
    second = import_file(store, path, connector="b", channel="x", clock=ResponseClock(), now=NOW)
    assert (first.imported, second.imported, second.already_there) == (30, 0, 30)
    assert store.feed_count() == 30


@given(st.text(max_size=300))
def test_parser_never_crashes_on_strangers_lines(text: str) -> None:
    with contextlib.suppress(ValueError):
        parse_import_line(text)


@given(
    st.dictionaries(
        st.sampled_from(["remote_id", "author", "text", "created_at", "followers", "in_reply_to"]),
        st.one_of(
            st.none(), st.integers(), st.text(max_size=30), st.booleans(), st.lists(st.integers())
        ),
    )
)
def test_parser_rejects_wrong_shapes_with_value_error(fields: dict[str, object]) -> None:
    try:
        message = parse_import_line(json.dumps(fields))
    except ValueError:
        return
    assert message.remote_id and message.author and message.created_at.tzinfo is not None


def good(remote_id: str, **fields: object) -> str:
    values = {"remote_id": remote_id, "author": "anna", "text": "hoi",
              "created_at": "2026-11-23T08:00:00Z", **fields}  # fmt: skip
    return json.dumps(values)


def test_invalid_utf8_is_a_bad_line_not_a_silently_merged_id(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    # Two ids that differ only in a byte that is not UTF-8: replaced, they would become one.
    path.write_bytes(
        good("a\xff").encode("latin-1").replace(b"\\u00ff", b"\xff")
        + b"\n"
        + good("a\xfe").encode("latin-1").replace(b"\\u00fe", b"\xfe")
        + b"\n"
        + good("ok").encode()
        + b"\n"
    )
    report = import_file(store, path, connector="b", channel="x", clock=ResponseClock(), now=NOW)
    assert report.errors == [(1, "not valid UTF-8 (byte 17)"), (2, "not valid UTF-8 (byte 17)")]
    assert (report.read, report.imported) == (3, 1)


def test_counts_add_up_with_duplicates_and_poison_in_the_file(store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "export.jsonl",
        [
            good("1"),
            good("1"),  # the same line twice in one file
            good("2", created_at="0001-01-01T00:00:00Z"),
            good("3", created_at="9999-12-31T23:59:59Z"),
            good("4", followers=10**26),
            good("5\ud800"),  # an id no encoder can write
            good("6", text="half a pair \ud800 is dropped"),
            "",
            good("1"),
        ],
    )
    report = import_file(store, path, connector="b", channel="x", clock=ResponseClock(), now=NOW)
    assert report.read == 8
    assert report.read == report.imported + report.already_there + len(report.errors)
    assert (report.imported, report.already_there) == (2, 2)
    assert [n for n, _ in report.errors] == [3, 4, 5, 6]
    assert "before 2000" in report.errors[0][1] and "future" in report.errors[1][1]
    texts = sorted(m.text for t in store.feed_page() for m in store.messages(t.id))
    assert texts == ["half a pair  is dropped", "hoi"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.one_of(st.binary(max_size=60), st.builds(good, st.text(max_size=8))), max_size=12)
)
def test_any_file_imports_without_raising_and_the_counts_add_up(
    tmp_path: Path, raw: list[bytes | str]
) -> None:
    path = tmp_path / "any.jsonl"
    lines = [r if isinstance(r, bytes) else r.encode("utf-8", "surrogatepass") for r in raw]
    path.write_bytes(b"\n".join(line.replace(b"\n", b" ") for line in lines) + b"\n")
    store = Store(tmp_path / f"{len(list(tmp_path.iterdir()))}.db")
    try:
        report = import_file(store, path, connector="b", channel="x", clock=ResponseClock(),
                             now=NOW)  # fmt: skip
    finally:
        store.close()
    assert report.read == report.imported + report.already_there + len(report.errors)


def test_an_endless_line_is_one_bad_line_read_no_further(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "MAX_LINE_BYTES", 100)
    path = tmp_path / "export.jsonl"
    path.write_bytes(good("1").encode() + b"\n" + b"x" * 1000 + b"\n" + good("2").encode() + b"\n")
    report = import_file(store, path, connector="b", channel="x", clock=ResponseClock(), now=NOW)
    assert report.errors == [(2, "longer than 100 bytes")]
    assert (report.read, report.imported) == (3, 2)
