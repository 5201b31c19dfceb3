"""Canned replies: loading, filling in, finding, and that every packaged text passes the checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.canned import CannedReply, fuzzy_filter, load_canned, render_canned
from webcare_tui.core.checks import DraftContext, check_draft, load_tone_rules

DATA = Path(__file__).resolve().parents[2] / "data"
CANNED = load_canned(DATA / "canned")
RULES = load_tone_rules(DATA / "tone")
REQUIRED = {
    "late_delivery",
    "ask_dm_details",
    "ask_phone_callback",
    "thanks_praise",
    "opening_hours",
    "handover_back_office",
    "close_public_loop",
    "welcome_gift_followup",
}
VALUES = {
    "nl": {
        "name": "Alexandra de Vries-Bakker",
        "first_name": "Alexandra",
        "agent": "Anouk",
        "window": "2 uur",
        "handle": "alexandra@social.example",
    },
    "en": {
        "name": "Alexandra Montgomery",
        "first_name": "Alexandra",
        "agent": "Anouk",
        "window": "2 hours",
        "handle": "alexandra@social.example",
    },
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_each_language_has_the_required_replies(lang: str) -> None:
    keys = {reply.key for reply in CANNED if reply.lang == lang}
    assert len(keys) >= 8
    assert keys >= REQUIRED


@pytest.mark.parametrize(
    ("reply", "channel", "limit"),
    [(r, c, n) for r in CANNED for c, n in (("bluesky", 300), ("mastodon", 500))],
    ids=[f"{r.lang}-{r.key}-{c}" for r in CANNED for c in ("bluesky", "mastodon")],
)
def test_every_canned_reply_passes_the_checks_once_signed(
    reply: CannedReply, channel: str, limit: int
) -> None:
    text = render_canned(reply, VALUES[reply.lang]) + "\n^AB"
    context = DraftContext(
        text=text,
        channel_kind=channel,
        length_limit=limit,
        rules=RULES,
        agent="AB",
        agent_initials="AB",
        signature="^AB",
        private=False,
        thread_language=reply.lang,
    )
    assert check_draft(context) == []


def test_render_fills_known_placeholders_and_leaves_the_rest() -> None:
    reply = CannedReply("k", "t", "nl", "Hoi {first_name} {x} {name} { } {{first_name}} {")
    text = render_canned(reply, {"first_name": "{name}", "x": "no", "unused": "u"})
    # The value is inserted literally (never filled again); unknown and missing stay visible.
    assert text == "Hoi {name} {x} {name} { } {{name}} {"


@given(st.text(), st.dictionaries(st.sampled_from(["name", "first_name", "agent"]), st.text()))
def test_render_never_raises(text: str, values: dict[str, str]) -> None:
    assert isinstance(render_canned(CannedReply("k", "t", "en", text), values), str)


def test_an_unfilled_placeholder_blocks_sending() -> None:
    reply = next(r for r in CANNED if r.key == "late_delivery" and r.lang == "en")
    text = render_canned(reply, {}) + " ^AB"
    context = DraftContext(
        text=text, channel_kind="mastodon", length_limit=500, rules=RULES, signature="^AB"
    )
    assert {f.code for f in check_draft(context)} == {"placeholder"}


def test_fuzzy_filter_ranks_title_and_contiguous_matches_first() -> None:
    assert fuzzy_filter(CANNED, "") == CANNED
    assert fuzzy_filter(CANNED, "   ") == CANNED
    late = fuzzy_filter(CANNED, "late deliv")
    assert late[0].key == "late_delivery" and late[0].lang == "en"
    assert {r.key for r in fuzzy_filter(CANNED, "lvry")} == {"late_delivery"}
    assert fuzzy_filter(CANNED, "welkomstcadeau")[0].key == "welcome_gift_followup"
    assert fuzzy_filter(CANNED, "terugbellen")[0].key == "ask_phone_callback"
    assert fuzzy_filter(CANNED, "zzqx") == []
    both = fuzzy_filter(CANNED, "back office")
    assert both and all(r.key == "handover_back_office" for r in both[:1])


def test_a_team_file_overrides_a_packaged_reply_and_adds_its_own(tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text(
        '[[reply]]\nkey = "thanks_praise"\ntitle = "Bedankt"\nlang = "nl"\n'
        'text = "Dank je, {first_name}!"\n\n'
        '[[reply]]\nkey = "store_visit"\ntitle = "Winkelbezoek"\nlang = "nl"\n'
        'text = "Welkom in de winkel, {name}."\n',
        encoding="utf-8",
    )
    replies = load_canned(DATA / "canned", [team])
    assert len(replies) == len(CANNED) + 1
    thanks = [r for r in replies if r.key == "thanks_praise" and r.lang == "nl"]
    assert [(r.text, r.source) for r in thanks] == [("Dank je, {first_name}!", "team.toml")]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('key = "a"\ntitle = "t"\nlang = "nl"\ntext = "Hoi {voornaam}"', "unknown placeholder"),
        ('key = "A b"\ntitle = "t"\nlang = "nl"\ntext = "x"', "may hold only"),
        ('key = "a"\ntitle = "t"\nlang = "Dutch"\ntext = "x"', "not a language code"),
        ('key = "a"\ntitle = "t"\nlang = "nl"', "`text` must be"),
        ('key = "a"\ntitle = "t"\nlang = "nl"\ntext = "x"\ntekst = "y"', "unknown key 'tekst'"),
    ],
)
def test_a_broken_canned_file_names_file_line_and_entry(
    tmp_path: Path, entry: str, expected: str
) -> None:
    path = tmp_path / "team.toml"
    path.write_text(f"# ours\n[[reply]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=expected) as caught:
        load_canned(DATA / "canned", [path])
    assert str(caught.value).startswith(f"{path}:2: [[reply]] #1: ")


def test_a_duplicate_key_in_one_file_is_refused(tmp_path: Path) -> None:
    entry = '[[reply]]\nkey = "a"\ntitle = "t"\nlang = "nl"\ntext = "x"\n'
    (tmp_path / "dup.toml").write_text(entry + entry, encoding="utf-8")
    with pytest.raises(ValueError, match="appears twice"):
        load_canned(tmp_path)
