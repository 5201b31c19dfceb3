"""The pure parts of drafting: the template, placeholders, the send banner, the editor command."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.config import demo_config
from webcare_tui.connectors.base import ConnectorSettings
from webcare_tui.core.canned import CannedReply, render_canned
from webcare_tui.core.checks import Finding
from webcare_tui.core.length import LengthRule
from webcare_tui.core.model import Thread, ThreadState
from webcare_tui.core.outbox import OutboxItem, OutboxState, retry_delay
from webcare_tui.core.timeutil import whole_second_after
from webcare_tui.services.drafting import (
    draft_template,
    placeholder_values,
    says_something,
)
from webcare_tui.services.registry import connector_class
from webcare_tui.ui.external_editor import EditorUnavailable, editor_command
from webcare_tui.ui.widgets.draft_findings import findings_text
from webcare_tui.ui.widgets.send_banner import banner_text

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def thread(author: str = "anna@social.example", name: str | None = "Anna de Vries") -> Thread:
    return Thread(
        id=1, connector="demo-mastodon", channel="mastodon", author=author, author_name=name,
        state=ThreadState.OPEN, assignee=None, created_at=T0, updated_at=T0, clock=None,
        last_text="", message_count=1,
    )  # fmt: skip


def item(state: OutboxState, **changes: object) -> OutboxItem:
    base = OutboxItem(
        id=1, thread_id=1, agent="AB", text="x", private=False, idempotency_key="k",
        state=state, created_at=T0, send_after=T0 + timedelta(seconds=10),
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def test_mastodon_drafts_start_with_the_handle_and_end_with_the_signature() -> None:
    assert draft_template("mastodon", "anna@social.example", "^AB") == (
        "@anna@social.example \n\n^AB",
        21,
    )
    assert draft_template("bluesky", "anna.bsky.social", "^AB") == ("\n\n^AB", 0)


def test_placeholders_come_from_the_thread_and_the_config() -> None:
    config = replace(demo_config(), agent="AB", agent_name="Anouk")
    values = placeholder_values(thread(), config, "nl")
    assert values == {
        "name": "Anna de Vries",
        "first_name": "Anna",
        "agent": "Anouk",
        "window": "60 minuten",
        "handle": "@anna@social.example",
    }
    nameless = placeholder_values(thread(name=None), config, "en")
    assert nameless["first_name"] == "anna" and nameless["window"] == "60 minutes"


def test_a_customer_name_with_braces_is_filled_in_literally() -> None:
    reply = CannedReply("k", "t", "en", "Hi {first_name}, I'm {agent}.")
    values = placeholder_values(thread(name="{agent} [bold]x[/]"), demo_config(), "en")
    assert render_canned(reply, values).startswith("Hi {agent}, I'm ")


def test_says_something_ignores_mentions_and_signatures() -> None:
    assert not says_something("@anna@social.example \n\n^AB")
    assert not says_something("   ")
    assert says_something("@anna Dank je! ^AB")


def test_the_length_rules_follow_the_platform_not_the_demo() -> None:
    def rule(kind: str, channel: str) -> LengthRule:
        return connector_class(kind).rule_for(ConnectorSettings("c", kind, channel))

    assert rule("demo", "mastodon") == LengthRule("mastodon", 500)
    assert rule("demo", "bluesky") == LengthRule("bluesky", 300)
    assert rule("bluesky", "support") == LengthRule("bluesky", 300)
    assert rule("rss", "forum").counting == "plain"


def test_the_banner_counts_down_and_says_what_went_wrong() -> None:
    queued = item(OutboxState.QUEUED)
    assert banner_text(queued, T0, AMSTERDAM) == "Sending in 10s · u to undo"
    assert banner_text(queued, T0 + timedelta(seconds=9.2), AMSTERDAM) == (
        "Sending in 1s · u to undo"
    )
    assert banner_text(queued, T0 + timedelta(seconds=11), AMSTERDAM).startswith("Sending…")
    sent = item(OutboxState.SENT, sent_at=T0)
    assert banner_text(sent, T0, AMSTERDAM) == "Sent at 10:00:00 · escape goes back"
    later = item(OutboxState.FAILED, last_error="down", retry_at=T0 + timedelta(seconds=20))
    assert "next try at 10:00:20" in banner_text(later, T0, AMSTERDAM)
    stuck = item(OutboxState.FAILED, last_error="422")
    assert banner_text(stuck, T0, AMSTERDAM) == (
        "Not sent: 422 · ctrl+s tries again · u takes it back"
    )


def test_findings_are_text_never_markup() -> None:
    finding = Finding("tone.x", "block", "“[bold red]x[/]”: rude", "[@click=app.quit]y[/]")
    text = findings_text([finding])
    assert text.plain == "✗ “[bold red]x[/]”: rude  [@click=app.quit]y[/]"
    assert findings_text([]).plain.startswith("✓ No findings")
    assert not findings_text([], empty=True).plain.startswith("✓")


def test_retries_back_off_to_a_ceiling_and_windows_never_shrink() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert retry_delay(50) == timedelta(minutes=15)
    assert whole_second_after(T0 + timedelta(seconds=9.001)) == T0 + timedelta(seconds=10)
    assert whole_second_after(T0) == T0


@given(st.text())
def test_the_banner_and_the_findings_take_any_text(error: str) -> None:
    failed = item(OutboxState.FAILED, last_error=error)
    assert error in banner_text(failed, T0, AMSTERDAM)
    assert findings_text([Finding("c", "warn", error, error)]).plain.startswith("! ")


def test_the_editor_comes_from_visual_then_editor() -> None:
    assert editor_command({"EDITOR": "nano"}) == ["nano"]
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vi"}) == ["code", "--wait"]
    with pytest.raises(EditorUnavailable, match="export EDITOR"):
        editor_command({})
    with pytest.raises(EditorUnavailable):
        editor_command({"EDITOR": "'unclosed"})
