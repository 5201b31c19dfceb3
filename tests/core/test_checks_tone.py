"""Tone in its own language, humour aimed elsewhere, shouting that blocks, findings that explain."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.checks import DraftContext, Finding, check_draft, load_tone_rules
from webcare_tui.core.language import detect_language

ROOT = Path(__file__).resolve().parents[2]
RULES = load_tone_rules(ROOT / "data" / "tone")


def findings(text: str, thread_language: str | None = None, **more: Any) -> list[Finding]:
    context = DraftContext(
        text=text,
        channel_kind="mastodon",
        length_limit=0,
        rules=RULES,
        thread_language=thread_language,
        **more,
    )
    return check_draft(context)


def blocked(text: str, thread_language: str | None = None) -> set[str]:
    return {f.code for f in findings(text, thread_language) if f.severity == "block"}


@pytest.mark.parametrize(
    ("text", "fallback", "lang"),
    [
        ("Wat vervelend dat je pakket nog niet binnen is, we zoeken het uit.", None, "nl"),
        ("So sorry your parcel hasn't arrived yet, we'll look into it.", None, "en"),
        ("Sorry, je pakket is late, we checken het bij de bezorger.", None, "nl"),  # loan words
        ("Top!", "en", "en"),  # too short to tell: the customer's language
        ("Top!", None, None),
        ("OK 👍", "nl", "nl"),
    ],
)
def test_the_draft_language_comes_from_its_function_words(
    text: str, fallback: str | None, lang: str | None
) -> None:
    assert detect_language(text, fallback) == lang


def test_an_english_phrase_does_not_fire_inside_dutch_text() -> None:
    dutch = "Nice try van de bezorger om het pakket bij de buren te leggen, maar wij lossen het op."
    assert blocked(dutch) == set()
    assert "tone.sarcasm" in blocked("Nice try, but that voucher has expired.")


def test_a_short_draft_is_read_in_the_threads_language() -> None:
    assert "tone.sarcasm" in blocked("Nice try 😉", thread_language="en")
    assert "tone.sarcasm" not in blocked("Nice try 😉", thread_language="nl")
    assert "tone.sarcasm" in blocked("Nice try 😉")  # no language known: every list applies


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("Pech gehad, puzzelredactie: de lezer vond de fout toch. Dank je!", False),
        ("Jammer dan voor Den Haag, wij houden hem lekker zelf 😄", False),
        ("Jammer dan, wij hebben de laatste zelf opgegeten. Morgen is er weer verse taart.", False),
        ("Pech gehad, je bent te laat voor de actie.", True),
        ("Jammer dan. De actie is voorbij.", True),
        ("Pech gehad, meneer: de actie is voorbij.", True),
    ],
)
def test_humour_aimed_elsewhere_passes_and_aimed_at_the_customer_blocks(
    text: str, blocks: bool
) -> None:
    assert ("tone.sarcasm" in blocked(text, "nl")) is blocks


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # The two slips of the issue that went out: a lecture in Dutch, and shouting.
        ("Je had eerst de handleiding moeten lezen voordat je ging klagen.", "tone.lecturing"),
        ("Had u eerst even de voorwaarden gelezen, dan wist u dit.", "tone.lecturing"),
        ("Zoals al vermeld kunnen we niets meer doen.", "tone.lecturing"),
        ("You should have checked the size chart before ordering.", "tone.lecturing"),
        ("As we said before, the offer has ended.", "tone.lecturing"),
        ("Per our policy, returns after 30 days are refused.", "tone.lecturing"),
        ("Read the manual, it's all in there.", "tone.lecturing"),
        ("If you had looked at the tracking page you'd know.", "tone.lecturing"),
        ("Not our problem, ask the courier.", "tone.defensive"),
        ("Daar kunnen wij niets aan doen.", "tone.dismissive"),
        ("Take it or leave it.", "tone.dismissive"),
        ("Zoek het zelf maar uit met de bezorger.", "tone.dismissive"),
        ("WIJ HEBBEN HET AL OPGELOST, KIJK NOG EENS.", "tone.shouting"),
        ("Het is al opgelost!!!", "tone.shouting"),
    ],
)
def test_the_issues_slips_block(text: str, code: str) -> None:
    assert code in blocked(text)


def test_good_news_and_information_do_not_lecture() -> None:
    for text in (
        "You should have received a confirmation e-mail yesterday; could you check your spam?",
        "Je had gisteren een bevestiging moeten krijgen. Zit hij in je spam?",
        "Dat had op de factuur moeten staan, sorry! We sturen een nieuwe.",
        "Per our policy you're entitled to a full refund.",
        "Next time you visit, the coffee's on us.",
        "Sorry, ik zoek het uit.",  # "I'll find out", not "zoek het zelf maar uit"
    ):
        assert blocked(text) == set(), text


def test_each_tone_finding_names_its_rule_and_the_line_it_came_from() -> None:
    [phrase] = [
        f for f in findings("Met alle respect, dat klopt niet.") if f.code.startswith("tone")
    ]
    assert phrase.rule == "tone.defensive"
    path, line = phrase.source.rsplit(":", 1)
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    assert lines[int(line) - 1].strip() == "[[phrase]]"
    assert "met alle" in lines[int(line)]  # the pattern follows the header
    assert phrase.explanation == f"tone.defensive from {phrase.source}"
    [rule] = [f for f in findings("The parcel came back because you entered the wrong code.")]
    assert rule.rule == "tone.blaming" and rule.source == "built-in rule en.because_you"


@given(st.text(max_size=300), st.sampled_from([None, "nl", "en", "de"]), st.booleans())
def test_arbitrary_text_never_makes_the_checks_raise(
    text: str, lang: str | None, private: bool
) -> None:
    contacts = (text[:20], "088 123 4567")
    for finding in findings(text, lang, private=private, contacts=contacts, signature="^AB"):
        assert finding.message and finding.fix and finding.rule and finding.source
        if finding.span is not None:
            assert 0 <= finding.span[0] <= finding.span[1] <= len(text)
        assert finding.severity == "block" or finding.code.startswith(
            ("tone.", "marketing", "privacy.")
        )
