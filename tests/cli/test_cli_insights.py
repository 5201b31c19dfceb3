"""search, report, digest, snooze, tag, ignore and the threads --json insight fields, driven
as a script drives them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli import run
from tests.cli.workspace import UTC_HEADER
from webcare_tui.cli import main

CONFIG = (
    UTC_HEADER
    + """
[[windows]]
channel = "*"
first_response = "60m"
next_response = "4h"

[tags]
names = ["delivery", "billing", "praise"]

[[connectors]]
name = "demo"
type = "demo"
channel = "mastodon"
"""
)

# anna writes three times in an hour (the third makes "3rd contact today"); we answer her
# first message after 30 minutes. fake_support's answer in her thread asks for a password.
# (Her followers are on her last message too: a batch keeps the last message's count, even
# when it has none; see the report.)
MENTIONS = [
    {"remote_id": "1", "author": "anna", "text": "My parcel still hasn't arrived",
     "created_at": "2026-11-23T08:00:00Z", "followers": 80000},
    {"remote_id": "2", "author": "shop", "text": "Sorry Anna, we're on it ^AB",
     "created_at": "2026-11-23T08:30:00Z", "in_reply_to": "1", "direction": "out"},
    {"remote_id": "3", "author": "anna", "text": "Still nothing, the courier never came",
     "created_at": "2026-11-23T08:40:00Z", "in_reply_to": "2"},
    {"remote_id": "4", "author": "anna", "text": "Hello??",
     "created_at": "2026-11-23T08:50:00Z", "in_reply_to": "3", "followers": 80000},
    {"remote_id": "5", "author": "fake_support", "text":
     "Acme support here: DM us your e-mail and password", "created_at": "2026-11-23T08:55:00Z",
     "in_reply_to": "1"},
    {"remote_id": "6", "author": "cees", "text": "Thanks, all good now!",
     "created_at": "2026-11-22T12:00:00Z"},
    {"remote_id": "7", "author": "dirk", "text": 'Wrong invoice "[bold]x[/]" -- OR NEAR(',
     "created_at": "2026-11-21T12:00:00Z"},
]  # fmt: skip


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("WEBCARE_AGENT", "WEBCARE_CONFIG", "WEBCARE_DB"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    return tmp_path


@pytest.fixture
def loaded(workspace: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    export = workspace / "mentions.jsonl"
    export.write_text("\n".join(json.dumps(m) for m in MENTIONS) + "\n", encoding="utf-8")
    assert main(run(workspace, "import", str(export), "--connector", "demo")) == 0
    capsys.readouterr()
    return workspace


def out_json(capsys: pytest.CaptureFixture[str]) -> Any:
    return json.loads(capsys.readouterr().out)


def threads(
    workspace: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> list[dict[str, Any]]:
    assert main(run(workspace, "threads", "--json", *extra)) == 0
    document = out_json(capsys)
    assert isinstance(document, list)
    return document


def by_author(items: list[dict[str, Any]], author: str) -> dict[str, Any]:
    return next(item for item in items if item["author"] == author)


def test_threads_json_carries_tags_and_priority_with_its_reason(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = threads(loaded, capsys)
    anna = by_author(listed, "anna")
    assert anna["tags"] == []
    assert anna["priority_reason"] == (
        "why: IMPOSTOR asks for password; 80k followers; 3rd contact today; complaint"
    )
    cees = by_author(listed, "cees")
    assert cees["priority_reason"] == "why: thanks"
    assert anna["priority"] > cees["priority"]
    listed.sort(key=lambda t: -t["priority"])
    assert listed[0]["author"] == "anna"


def test_threads_sort_priority_lists_the_highest_first_and_keeps_the_contract_fields(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    by_due = threads(loaded, capsys)
    by_priority = threads(loaded, capsys, "--sort", "priority")
    # The stored priority the order pages on is the one each thread reports; ties by due.
    assert by_priority == sorted(by_due, key=lambda t: -t["priority"])
    assert [t["author"] for t in by_priority] != [t["author"] for t in by_due]
    assert by_priority[0]["author"] == "anna" and by_priority[-1]["author"] == "cees"
    assert threads(loaded, capsys, "--sort", "due") == by_due
    assert len(threads(loaded, capsys, "--sort", "waiting")) == len(by_due)
    assert main(run(loaded, "threads", "--sort", "priority")) == 0
    table = capsys.readouterr().out.splitlines()
    assert "anna" in table[0] and "cees" in table[-1]


def test_threads_sort_refuses_an_unknown_order_with_exit_2(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(run(loaded, "threads", "--sort", "loudest"))
    assert exit_.value.code == 2
    assert "--sort" in capsys.readouterr().err


def test_search_json_finds_words_in_any_message_most_recent_first(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(run(loaded, "search", "courier", "--json")) == 0
    [hit] = out_json(capsys)
    assert set(hit) == {"thread", "message", "author", "created_at", "snippet"}
    assert hit["author"] == "anna" and "courier" in hit["snippet"]
    assert main(run(loaded, "search", "still", "--json")) == 0
    hits = out_json(capsys)
    assert [h["created_at"] for h in hits] == sorted((h["created_at"] for h in hits), reverse=True)
    assert len(hits) == 2


def test_search_takes_hostile_text_as_text(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(run(loaded, "search", '"[bold]x[/]" -- OR NEAR(', "--json")) == 0
    [hit] = out_json(capsys)
    assert hit["author"] == "dirk"
    assert main(run(loaded, "search", "nothing-like-this-anywhere")) == 0
    assert "No messages match" in capsys.readouterr().out


def test_search_refuses_a_bad_filter_with_exit_2(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(run(loaded, "search", "parcel state:later")) == 2
    assert "no state 'later'" in capsys.readouterr().err


def test_tag_then_untag_and_unknown_tags_exit_2(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anna = by_author(threads(loaded, capsys), "anna")["id"]
    assert main(run(loaded, "tag", str(anna), "delivery", "#Billing")) == 0
    assert capsys.readouterr().out == f"Thread {anna} tagged: #delivery #billing.\n"
    assert by_author(threads(loaded, capsys), "anna")["tags"] == ["billing", "delivery"]
    assert main(run(loaded, "tag", str(anna), "billing", "--remove")) == 0
    capsys.readouterr()
    assert by_author(threads(loaded, capsys), "anna")["tags"] == ["delivery"]
    assert main(run(loaded, "tag", str(anna), "marketing")) == 2
    assert "unknown tag 'marketing'" in capsys.readouterr().err
    assert main(run(loaded, "tag", "9999", "delivery")) == 1


def test_snooze_holds_the_clock_until_the_customer_writes(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dirk = by_author(threads(loaded, capsys), "dirk")["id"]
    assert main(run(loaded, "snooze", str(dirk), "--until", "2h")) == 0
    assert "snoozed until" in capsys.readouterr().out
    snoozed = by_author(threads(loaded, capsys), "dirk")  # still listed, per the contract
    assert (snoozed["state"], snoozed["due_at"], snoozed["seconds_left"]) == ("snoozed", None, None)
    assert [t["id"] for t in threads(loaded, capsys, "--state", "snoozed")] == [dirk]
    later = loaded / "later.jsonl"
    later.write_text(json.dumps({"remote_id": "8", "author": "dirk", "text": "well?",
        "created_at": "2026-11-21T13:00:00Z", "in_reply_to": "7"}) + "\n")  # fmt: skip
    assert main(run(loaded, "import", str(later), "--connector", "demo")) == 0
    capsys.readouterr()
    assert by_author(threads(loaded, capsys), "dirk")["state"] == "open"


@pytest.mark.parametrize("until", ["yesterday", "25:99", "-5m"])
def test_snooze_refuses_a_time_it_cannot_read(
    loaded: Path, capsys: pytest.CaptureFixture[str], until: str
) -> None:
    assert main(run(loaded, "snooze", "1", f"--until={until}")) == 2
    assert "--until" in capsys.readouterr().err


def test_ignore_with_a_reason_shows_in_the_report(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cees = by_author(threads(loaded, capsys), "cees")["id"]
    assert main(run(loaded, "ignore", str(cees), "--reason", "thanks")) == 0
    capsys.readouterr()
    assert all(t["id"] != cees for t in threads(loaded, capsys))
    assert main(run(loaded, "report", "--format", "json")) == 0
    report = out_json(capsys)
    assert report["ignored"] == {"count": 1, "by_reason": {"thanks": 1}}
    assert main(run(loaded, "ignore", str(cees), "--reason", "  ")) == 2


def test_report_json_has_the_contract_shape_and_what_if(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    what_if = ("--what-if", "first_response=10m")
    assert main(run(loaded, "report", "--format", "json", *what_if)) == 0
    report = out_json(capsys)
    assert isinstance(report, dict)
    for key in ("threads", "first_response", "next_response", "overdue_now", "by_channel",
                "by_agent", "what_if"):  # fmt: skip
        assert key in report
    assert set(report["first_response"]) >= {
        "count", "median_seconds", "p90_seconds", "within_window_share",
    }  # fmt: skip
    assert report["threads"] == 3
    # anna's first message was answered after 30 minutes; nothing else was answered.
    assert report["first_response"]["count"] == 1
    assert report["first_response"]["median_seconds"] == 1800.0
    assert report["by_channel"]["mastodon"]["threads"] == 3
    assert isinstance(report["overdue_now"], int)
    assert report["what_if"]["threads"] == 3
    assert report["first_response"]["within_window_share"] == 1.0
    assert report["what_if"]["first_response"]["within_window_share"] == 0.0  # 30m > 10m
    assert set(report["what_if"]["by_channel"]) == {"mastodon"}


def test_report_table_and_csv(loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(run(loaded, "report", "--what-if", "first_response=2h")) == 0
    table = capsys.readouterr().out
    assert "What if first_response=2h" in table and "first response" in table
    assert main(run(loaded, "report", "--format", "csv", "--since", "2026-11-23")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("report,scope,name,threads,first_count")
    assert lines[1].startswith("actual,all,,1,1,1800.0")  # since Monday: anna's thread only


@pytest.mark.parametrize(
    "args", [("--what-if", "colour=red"), ("--what-if", "first_response=soon"), ("--since", "x")]
)
def test_report_refuses_bad_options_with_exit_2(
    loaded: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, str]
) -> None:
    assert main(run(loaded, "report", *args)) == 2
    err = capsys.readouterr().err
    assert err.startswith("webcare: ") and len(err.strip().splitlines()) == 1


def test_digest_is_markdown_with_quoted_complaints(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    anna = by_author(threads(loaded, capsys), "anna")["id"]
    main(run(loaded, "tag", str(anna), "delivery"))
    capsys.readouterr()
    assert main(run(loaded, "digest", "--since", "2026-11-20")) == 0
    digest = capsys.readouterr().out
    assert digest.startswith("# Voice of the customer, Acme Webcare")
    assert "## Top tags" in digest and "| delivery | 1 |" in digest
    assert "### delivery" in digest
    assert "> My parcel still hasn't arrived" in digest
