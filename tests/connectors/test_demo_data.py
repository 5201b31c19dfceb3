"""Checks on the demo workspace's mentions (data/demo/mentions.jsonl).

The demo connector replays these lines as if they arrived live, so a broken line, a reply that
arrives before what it answers or an unsigned brand reply would show up in front of every new
user. These tests keep the file honest when someone extends it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "demo" / "mentions.jsonl"

CHANNELS = {"mastodon", "bluesky", "forum"}
BRAND = {
    "mastodon": "kompasmedia@example.social",
    "bluesky": "kompasmedia.bsky.example",
    "forum": "KompasMedia",
}
# The length limits of the channels, so every demo message could really have been posted.
LIMITS = {"mastodon": 500, "bluesky": 300}
AGO = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


def parse_ago(value: str) -> int:
    """'1d3h20m' -> seconds; raises ValueError on anything else."""
    match = AGO.match(value)
    if not value or match is None:
        raise ValueError(f"bad ago: {value!r}")
    days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    return ((days * 24 + hours) * 60 + minutes) * 60


def load() -> list[dict]:
    messages = []
    for number, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"line {number} is empty"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"line {number} is not JSON: {exc}")
        assert isinstance(obj, dict), f"line {number} is not a JSON object"
        obj["_line"] = number
        messages.append(obj)
    return messages


@pytest.fixture(scope="module")
def messages() -> list[dict]:
    return load()


@pytest.fixture(scope="module")
def by_id(messages: list[dict]) -> dict[str, dict]:
    return {m["remote_id"]: m for m in messages}


def root_of(message: dict, by_id: dict[str, dict]) -> str:
    seen = set()
    while message["in_reply_to"] is not None:
        assert message["remote_id"] not in seen, f"reply loop at {message['remote_id']}"
        seen.add(message["remote_id"])
        message = by_id[message["in_reply_to"]]
    return message["remote_id"]


@pytest.fixture(scope="module")
def threads(messages: list[dict], by_id: dict[str, dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for m in messages:
        grouped.setdefault(root_of(m, by_id), []).append(m)
    return grouped


def test_file_is_plain_text() -> None:
    # Hostile characters (escape sequences, bidi overrides) are written as JSON escapes, so the
    # file itself can be read, diffed and grepped safely.
    text = DATA.read_text(encoding="utf-8")
    assert text.endswith("\n")
    for number, line in enumerate(text.splitlines(), start=1):
        for ch in line:
            assert ch == "\t" or (ord(ch) >= 0x20 and ord(ch) != 0x7F), (
                f"line {number} holds a raw control character {ch!r}"
            )
            assert ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069", (
                f"line {number} holds a raw bidi control {ch!r}; write it as a JSON escape"
            )


def test_required_fields_and_types(messages: list[dict]) -> None:
    for m in messages:
        where = f"line {m['_line']}"
        assert isinstance(m.get("remote_id"), str) and m["remote_id"], where
        assert m.get("channel") in CHANNELS, where
        assert isinstance(m.get("author"), str) and m["author"], where
        assert "author_name" in m, where
        assert m["author_name"] is None or isinstance(m["author_name"], str), where
        assert "followers" in m, where
        followers = m["followers"]
        assert followers is None or (
            isinstance(followers, int) and not isinstance(followers, bool) and followers >= 0
        ), where
        assert isinstance(m.get("text"), str) and m["text"].strip(), where
        assert m.get("direction") in {"in", "out"}, where
        assert "in_reply_to" in m, where
        assert m["in_reply_to"] is None or isinstance(m["in_reply_to"], str), where
        assert isinstance(m.get("ago"), str), where
        parse_ago(m["ago"])
        assert isinstance(m.get("arrive"), int) and not isinstance(m["arrive"], bool), where
        assert m.get("lang") in {"nl", "en"}, where


def test_remote_ids_unique(messages: list[dict]) -> None:
    counts = Counter(m["remote_id"] for m in messages)
    assert [rid for rid, n in counts.items() if n > 1] == []


def test_replies_point_to_an_earlier_line_of_the_same_channel(messages: list[dict]) -> None:
    seen: dict[str, str] = {}
    for m in messages:
        parent = m["in_reply_to"]
        if parent is not None:
            assert parent in seen, f"{m['remote_id']} answers {parent}, not on an earlier line"
            assert seen[parent] == m["channel"], f"{m['remote_id']} crosses channels"
        seen[m["remote_id"]] = m["channel"]


def test_enough_threads_in_both_languages(threads: dict[str, list[dict]]) -> None:
    assert len(threads) >= 25
    langs = Counter(thread[0]["lang"] for thread in threads.values())
    assert langs["nl"] >= 10, langs
    assert langs["en"] >= 10, langs
    assert {thread[0]["channel"] for thread in threads.values()} == CHANNELS


def test_threads_start_with_a_customer(threads: dict[str, list[dict]]) -> None:
    for root, thread in threads.items():
        assert thread[0]["direction"] == "in", f"thread {root} starts with our own message"


def test_out_messages_are_ours_and_signed(messages: list[dict]) -> None:
    outs = [m for m in messages if m["direction"] == "out"]
    assert outs, "the demo should show how the team answers"
    for m in messages:
        if m["direction"] == "out":
            agent = m.get("agent")
            assert isinstance(agent, str) and re.fullmatch(r"[A-Z]{2,3}", agent), m["remote_id"]
            assert m["text"].rstrip().endswith(f"^{agent}"), f"{m['remote_id']} is not signed"
            assert m["author"] == BRAND[m["channel"]], m["remote_id"]
            assert m["in_reply_to"] is not None, f"{m['remote_id']} answers nothing"
        else:
            assert "agent" not in m, f"{m['remote_id']}: only our replies carry an agent"
            assert m["author"] != BRAND[m["channel"]], m["remote_id"]


def test_authors_use_fictional_hosts(messages: list[dict]) -> None:
    for m in messages:
        author = m["author"]
        if m["channel"] == "mastodon":
            assert re.fullmatch(r"\w+@example\.social", author), author
        elif m["channel"] == "bluesky":
            assert re.fullmatch(r"[a-z0-9-]+\.bsky\.example", author), author
        else:
            assert re.fullmatch(r"\w+", author), author


def test_texts_fit_the_channel(messages: list[dict]) -> None:
    for m in messages:
        limit = LIMITS.get(m["channel"])
        if limit is not None:
            assert len(m["text"]) <= limit, f"{m['remote_id']} is too long for {m['channel']}"


def test_arrive_within_the_first_minute_and_after_its_parent(
    messages: list[dict], by_id: dict[str, dict]
) -> None:
    for m in messages:
        assert 0 <= m["arrive"] <= 60, m["remote_id"]
        parent = m["in_reply_to"]
        if parent is not None:
            assert m["arrive"] >= by_id[parent]["arrive"], f"{m['remote_id']} arrives too early"
    at_once = sum(1 for m in messages if m["arrive"] == 0)
    assert 0 < at_once < len(messages), "some messages are there at once, the rest trickle in"


def test_ago_decreases_along_a_thread(
    messages: list[dict], by_id: dict[str, dict], threads: dict[str, list[dict]]
) -> None:
    for m in messages:
        parent = m["in_reply_to"]
        if parent is not None:
            assert parse_ago(m["ago"]) < parse_ago(by_id[parent]["ago"]), (
                f"{m['remote_id']} is older than {parent}, which it answers"
            )
    # Within a thread, a message written earlier never arrives later.
    for root, thread in threads.items():
        for a in thread:
            for b in thread:
                if parse_ago(a["ago"]) > parse_ago(b["ago"]):
                    assert a["arrive"] <= b["arrive"], f"thread {root}: {a['remote_id']}"


def test_clocks_are_spread(messages: list[dict]) -> None:
    ages = [parse_ago(m["ago"]) for m in messages if m["direction"] == "in"]
    assert any(age <= 15 * 60 for age in ages), "some fresh mentions with running countdowns"
    assert any(40 * 60 <= age <= 70 * 60 for age in ages), "some near or past their due time"
    assert any(age >= 24 * 3600 for age in ages), "some a day old"


def test_hostile_texts_are_present(messages: list[dict]) -> None:
    # The app must show these literally and never act on them; keep them in the demo.
    texts = [m["text"] for m in messages]
    names = [m["author_name"] or "" for m in messages]
    assert any("[@click=app.quit]" in t and "[bold red]" in t for t in texts)
    assert any("\u202e" in n for n in names)
    assert any("\x1b]0;hacked\x07" in t and "\x1b[2J" in t for t in texts)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("2m", 120), ("1h", 3600), ("2h10m", 7800), ("1d3h", 97200), ("1d", 86400)],
)
def test_parse_ago(value: str, seconds: int) -> None:
    assert parse_ago(value) == seconds


@pytest.mark.parametrize("value", ["", "5", "1h1d", "3s", "-2m", "1.5h"])
def test_parse_ago_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        parse_ago(value)
