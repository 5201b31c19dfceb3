"""A DM escalation end to end over real HTTP, against the fake Mastodon and Bluesky servers.

The DM goes out the platform's private way (a `direct` status; a chat message through the PDS
with the chat proxy header), the short public reply goes out in public, the customer's DM
answer is polled into the same thread marked private, and the follow-up clock starts, restarts
on our next update and stops when the thread is resolved.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.workspace import json_in, polled
from tests.cli.workspace import webcare_in as webcare
from tests.fakes.bluesky import CHAT_PROXY, FakeBluesky
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.server import FakeServer
from webcare_tui.core.timeutil import from_db

ESCALATION = """
[team]
name = "Acme Webcare"
timezone = "UTC"

[agent]
initials = "AB"

[[windows]]
channel = "*"
follow_up = "1d"

[escalation]
teams = ["backoffice"]
dm_template = "Hoi {name}, stuur je ons je ordernummer?"
public_template = "We hebben je een DM gestuurd, {name}."
"""

MASTODON = """
[[connectors]]
name = "acme-social"
type = "mastodon"
base_url = "{base_url}"
token_env = "ACME_MASTODON_TOKEN"
"""

BLUESKY = """
[[connectors]]
name = "acme-sky"
type = "bluesky"
service = "{base_url}"
handle = "brand.test"
password_env = "ACME_BSKY_PASSWORD"
"""

UPDATE = "We hebben je ordernummer gevonden, de krant komt morgen. ^AB"


def show(workspace: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    shown: dict[str, Any] = json_in(workspace, capsys, "show", "1")
    return shown


def last_update(shown: dict[str, Any]) -> datetime:
    return max(from_db(m["created_at"]) for m in shown["messages"] if m["direction"] == "out")


def follow_up_flow(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After the customer's DM answer: the clock runs from our last update (the DM), our next
    update restarts it, resolve stops it. Open round the clock, so `1d` is 24 hours."""
    escalated = show(workspace, capsys)
    assert escalated["state"] == "escalated" and escalated["clock"] == "follow_up"
    assert from_db(escalated["due_at"]) == last_update(escalated) + timedelta(days=1)
    assert webcare(workspace, "reply", "1", "--text", UPDATE) == 0
    updated = show(workspace, capsys)
    assert updated["state"] == "escalated"
    assert [m["text"] for m in updated["messages"]][-1].endswith(UPDATE)
    assert from_db(updated["due_at"]) == last_update(updated) + timedelta(days=1)
    assert webcare(workspace, "resolve", "1", "--outcome", "krant nagestuurd") == 0
    resolved = show(workspace, capsys)
    assert resolved["state"] == "resolved" and resolved["due_at"] is None


@pytest.fixture
def on_mastodon(
    tmp_path: Path, mastodon: tuple[FakeMastodon, FakeServer], platform_secrets: None
) -> Path:
    mastodon[0].add_mention("mijn krant is niet bezorgd", acct="klant@other.example")
    return polled(tmp_path, ESCALATION + MASTODON.format(base_url=mastodon[1].base_url))


def test_mastodon_dm_is_a_direct_status_and_the_answer_joins_the_thread(
    on_mastodon: Path,
    mastodon: tuple[FakeMastodon, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, server = mastodon
    assert webcare(on_mastodon, "escalate", "1", "--to", "dm") == 0
    dm, public = (call.json() for call in server.calls("/api/v1/statuses", "POST"))
    assert dm["visibility"] == "direct"
    assert dm["status"] == "@klant@other.example Hoi Klant, stuur je ons je ordernummer?\n^AB"
    assert public["visibility"] == "public"
    assert public["status"].endswith("We hebben je een DM gestuurd, Klant.\n^AB")
    answer = "Ordernummer 4711, bel me gerust"
    dm_answer = fake.add_mention(answer, visibility="direct", in_reply_to_id=fake.statuses[0]["id"])
    dm_answer["status"]["created_at"] = fake.statuses[-1]["created_at"]  # written after our DM
    assert webcare(on_mastodon, "poll", "--once") == 0
    messages = show(on_mastodon, capsys)["messages"]
    assert [(m["direction"], m["private"]) for m in messages][1:] == [
        ("out", True), ("out", False), ("in", True),
    ]  # fmt: skip
    assert answer in messages[-1]["text"]
    follow_up_flow(on_mastodon, capsys)


@pytest.fixture
def on_bluesky(
    tmp_path: Path, bluesky: tuple[FakeBluesky, FakeServer], platform_secrets: None
) -> Path:
    bluesky[0].add("@brand.test mijn krant is niet bezorgd", handle="klant.test")
    return polled(tmp_path, ESCALATION + BLUESKY.format(base_url=bluesky[1].base_url))


def test_bluesky_dm_goes_by_chat_and_the_answer_joins_the_thread(
    on_bluesky: Path,
    bluesky: tuple[FakeBluesky, FakeServer],
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake, server = bluesky
    assert webcare(on_bluesky, "escalate", "1", "--to", "dm") == 0
    [dm] = fake.convo_messages
    assert dm["text"].startswith("Hoi") and dm["text"].endswith("ordernummer?\n^AB")
    [sent] = server.calls("/xrpc/chat.bsky.convo.sendMessage")
    assert sent.headers["atproto-proxy"] == CHAT_PROXY
    [post] = fake.posts()
    assert post["value"]["text"].endswith("We hebben je een DM gestuurd, klant.test.\n^AB")
    customer = fake.notifications[0]["author"]["did"]
    fake.add_chat("Ordernummer 4711", did=customer, handle="klant.test")
    assert webcare(on_bluesky, "poll", "--once") == 0
    assert all(c.headers["atproto-proxy"] == CHAT_PROXY for c in server.calls("/xrpc/chat."))
    messages = show(on_bluesky, capsys)["messages"]
    assert [(m["direction"], m["private"]) for m in messages] == [
        ("in", False), ("out", True), ("out", False), ("in", True),
    ]  # fmt: skip
    assert messages[-1]["text"] == "Ordernummer 4711"
    assert webcare(on_bluesky, "poll", "--once") == 0  # polled again: nothing twice
    assert len(show(on_bluesky, capsys)["messages"]) == 4
    follow_up_flow(on_bluesky, capsys)
