from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.importing import parse_import_line
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
