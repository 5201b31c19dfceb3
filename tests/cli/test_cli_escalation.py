"""`escalate`, `note`, `resolve` and `callbacks` as the contract has them, on the demo connector.

The follow-up clock: due `follow_up` after the escalation or our last update, a promise that is
earlier rules, escalating again moves the thread without stacking, resolving stops it.
"""

from __future__ import annotations

import importlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.workspace import UTC_HEADER
from tests.cli.workspace import json_in as out_json
from tests.cli.workspace import webcare_in as webcare
from tests.fakes.clock import FakeClock
from webcare_tui.cli import context as cli_context
from webcare_tui.core.timeutil import from_db

CONFIG = (
    UTC_HEADER
    + """
[[windows]]
channel = "*"
first_response = "60m"
next_response = "4h"
follow_up = "2h"

[escalation]
teams = ["backoffice", "legal"]
dm_template = "Hoi {name}, stuur je ons je ordernummer? We melden ons binnen {window}."
public_template = "We hebben je een DM gestuurd, {name}."

[tags]
names = ["delivery", "billing"]

[[connectors]]
name = "demo"
type = "demo"
channel = "mastodon"
"""
)

cli_main = importlib.import_module("webcare_tui.cli.main")  # the package's `main` is the function
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PHONE = "06 12345678"
REPLY = "Wat vervelend, Anna! We zoeken het voor je uit. ^AB"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock(START)
    real_load = cli_main.load

    def load(args: Any) -> cli_context.Context:
        context = real_load(args)
        context.now = fake
        return context

    monkeypatch.setattr(cli_main, "load", load)
    return fake


@pytest.fixture
def work(tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("WEBCARE_CONFIG", "WEBCARE_DB"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "config.toml").write_text(CONFIG, encoding="utf-8")
    mentions = [
        {"remote_id": "1", "author": "anna@x.example", "author_name": "Anna",
         "text": "Krant niet bezorgd, weer!", "created_at": "2026-11-23T08:50:00Z"},
    ]  # fmt: skip
    export = tmp_path / "mentions.jsonl"
    export.write_text("\n".join(json.dumps(m) for m in mentions) + "\n", encoding="utf-8")
    assert webcare(tmp_path, "import", str(export), "--connector", "demo") == 0
    return tmp_path


def thread(workspace: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    shown: dict[str, Any] = out_json(workspace, capsys, "show", "1")
    return shown


def test_a_team_escalation_names_the_team_and_starts_the_follow_up_clock(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(work, "escalate", "1", "--to", "team:backoffice", "--note", "refund") == 0
    [listed] = out_json(work, capsys, "threads")
    assert listed["state"] == "escalated" and listed["escalated_to"] == "team:backoffice"
    assert from_db(listed["due_at"]) == START + timedelta(hours=2)
    shown = thread(work, capsys)
    assert [n["text"] for n in shown["notes"]] == ["refund"]


def test_an_unknown_team_is_bad_usage_and_changes_nothing(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(work, "escalate", "1", "--to", "team:marketing") == 2
    assert "marketing" in capsys.readouterr().err
    assert thread(work, capsys)["state"] == "open"


def test_escalating_twice_moves_the_thread_and_restarts_one_clock(
    work: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(work, "escalate", "1", "--to", "team:backoffice", "--note", "check") == 0
    clock.advance(minutes=30)
    assert webcare(work, "escalate", "1", "--to", "team:legal", "--note", "claim") == 0
    shown = thread(work, capsys)
    assert shown["escalated_to"] == "team:legal"
    assert from_db(shown["due_at"]) == START + timedelta(minutes=150)
    moves = [e["detail"] for e in shown["events"] if e["kind"] == "escalated"]
    assert moves == [
        "to team:backoffice: check",
        "to team:legal (moved from team:backoffice): claim",
    ]


def test_a_reply_keeps_it_escalated_and_restarts_the_follow_up_clock(
    work: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(work, "escalate", "1", "--to", "team:backoffice", "--note", "x") == 0
    clock.advance(hours=1)
    assert webcare(work, "reply", "1", "--text", REPLY) == 0
    shown = thread(work, capsys)
    assert shown["state"] == "escalated"
    assert from_db(shown["due_at"]) == START + timedelta(hours=3)


def test_a_phone_escalation_keeps_the_number_off_every_text_and_lists_the_call(
    work: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(
        work, "escalate", "1", "--to", "phone", "--phone", PHONE, "--call-at", "10:00",
        "--note", "wil teruggebeld worden",
    ) == 0  # fmt: skip
    [call] = out_json(work, capsys, "callbacks")
    assert set(call) == {"id", "thread", "phone", "due_at", "seconds_left", "note"}
    assert call["phone"] == PHONE and call["thread"] == 1
    assert from_db(call["due_at"]) == START + timedelta(hours=1)
    assert call["seconds_left"] == 3600 and call["note"] == "wil teruggebeld worden"
    shown = thread(work, capsys)
    assert from_db(shown["due_at"]) == START + timedelta(hours=1)  # the call time rules
    assert PHONE not in json.dumps(shown)
    leaked = "Ik bel je op +31 6 1234 5678. ^AB"
    assert webcare(work, "reply", "1", "--text", leaked, "--force") == 1
    assert "phone number" in capsys.readouterr().err
    assert not [m for m in thread(work, capsys)["messages"] if m["direction"] == "out"]


def test_a_call_done_with_its_outcome_counts_as_an_update(
    work: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(work, "escalate", "1", "--to", "phone", "--phone", PHONE) == 0
    [call] = out_json(work, capsys, "callbacks")
    assert from_db(call["due_at"]) == START + timedelta(hours=2)  # within follow_up
    clock.advance(minutes=45)
    assert webcare(work, "callbacks", "done", str(call["id"])) == 2
    assert webcare(work, "callbacks", "done", str(call["id"]), "--outcome", "opgelost") == 0
    assert out_json(work, capsys, "callbacks") == []
    shown = thread(work, capsys)
    assert from_db(shown["due_at"]) == START + timedelta(minutes=165)
    assert any(e["kind"] == "called" and "opgelost" in e["detail"] for e in shown["events"])
    assert webcare(work, "callbacks", "done", "99", "--outcome", "x") == 1


def test_a_dm_escalation_sends_both_texts_signed_and_private_where_it_should(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(work, "escalate", "1", "--to", "dm") == 0
    shown = thread(work, capsys)
    assert shown["state"] == "escalated" and shown["escalated_to"] == "dm"
    sent = [(m["private"], m["text"]) for m in shown["messages"] if m["direction"] == "out"]
    assert sent == [
        (True, "Hoi Anna, stuur je ons je ordernummer? We melden ons binnen 2 uur.\n^AB"),
        (False, "We hebben je een DM gestuurd, Anna.\n^AB"),
    ]


def test_a_promise_earlier_than_the_follow_up_rules(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(
        work, "escalate", "1", "--to", "team:backoffice", "--note", "x", "--promise", "09:30"
    ) == 0  # fmt: skip
    assert from_db(thread(work, capsys)["due_at"]) == START + timedelta(minutes=30)
    assert webcare(work, "escalate", "1", "--to", "dm", "--promise", "whenever") == 2


def test_a_dm_whose_public_note_says_nothing_is_not_queued_either(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(work, "escalate", "1", "--to", "dm", "--public", "  ") == 1
    assert out_json(work, capsys, "outbox") == []
    assert thread(work, capsys)["state"] != "escalated"


def test_a_promise_with_a_dm_escalation_is_kept_too(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert webcare(work, "escalate", "1", "--to", "dm", "--promise", "09:30") == 0
    shown = thread(work, capsys)
    assert shown["escalated_to"] == "dm"
    assert from_db(shown["due_at"]) == START + timedelta(minutes=30)


def test_notes_are_private_and_resolve_stops_the_clock_until_the_customer_writes(
    work: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert webcare(work, "note", "1", "--text", "klant belde ook") == 0
    assert webcare(work, "escalate", "1", "--to", "team:backoffice", "--note", "x") == 0
    assert webcare(work, "resolve", "1", "--tag", "nope") == 2
    assert webcare(work, "resolve", "1", "--outcome", "vergoed", "--tag", "#Delivery") == 0
    assert out_json(work, capsys, "threads") == []
    shown = thread(work, capsys)
    assert shown["state"] == "resolved" and shown["due_at"] is None
    assert "klant belde ook" in [n["text"] for n in shown["notes"]]
    assert shown["events"][-1]["detail"] == "vergoed; tags: delivery"
    [listed] = out_json(work, capsys, "threads", "--state", "resolved")
    assert listed["tags"] == ["delivery"]
    later = tmp_path / "later.jsonl"
    again = {
        "remote_id": "2", "author": "anna@x.example", "in_reply_to": "1",
        "text": "Weer niet!", "created_at": "2026-11-23T10:00:00Z",
    }  # fmt: skip
    later.write_text(json.dumps(again) + "\n", encoding="utf-8")
    assert webcare(work, "import", str(later), "--connector", "demo") == 0
    assert thread(work, capsys)["state"] == "open"
    assert webcare(work, "note", "1", "--text", "  ") == 1
