"""The tone scorer: signs of a fault add up per sentence, care weighs against them, and every
finding says which cues weighed in and on which data line they live."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.checks import DraftContext, blocking, check_draft, load_tone_rules
from webcare_tui.core.datafiles import DataFileError
from webcare_tui.core.tone_score import FAMILIES

DATA = Path(__file__).resolve().parents[2] / "data"
RULES = load_tone_rules(DATA / "tone")


def blocks(text: str, lang: str | None = None) -> list[str]:
    context = DraftContext(
        text=text, channel_kind="mastodon", length_limit=0, rules=RULES, thread_language=lang
    )
    return [finding.code for finding in blocking(check_draft(context))]


def scored(text: str) -> list[str]:
    """The scorer's own findings: those whose source is a cue file."""
    context = DraftContext(text=text, channel_kind="mastodon", length_limit=0, rules=RULES)
    return [f.message for f in check_draft(context) if "cues_" in f.source]


def test_packaged_cues_cover_both_languages_and_every_family() -> None:
    assert {cue.source.split(":")[0] for cue in RULES.cues} == {
        "data/tone/cues_en.toml",
        "data/tone/cues_nl.toml",
    }
    assert {cue.family for cue in RULES.cues} == set(FAMILIES)
    assert all((cue.weight < 0) == (cue.family == "ease") for cue in RULES.cues)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The return label is right there in the parcel for a reason.", "tone.lecturing"),
        ("Lots of other customers manage to find the button by themselves.", "tone.lecturing"),
        ("Had u de app bijgewerkt, dan had u dit kunnen voorkomen.", "tone.lecturing"),
        ("Het formulier staat niet voor niets op de site.", "tone.lecturing"),
        ("The invoice bounced because your card details were out of date.", "tone.blaming"),
        ("Die klacht moet u met de bezorger opnemen.", "tone.blaming"),
        ("We have nothing to discuss; the voucher is gone.", "tone.dismissive"),
        ("Ons antwoord is nog steeds nee.", "tone.dismissive"),
        ("Thanks for the one-star review, really constructive.", "tone.sarcasm"),
        ("Knap dat u de enige kapotte fiets heeft gevonden.", "tone.sarcasm"),
        ("Our couriers would never throw a parcel over a fence.", "tone.defensive"),
        ("Die recensie klopt gewoon niet.", "tone.defensive"),
    ],
)
def test_new_wordings_of_a_fault_block_as_their_family(text: str, code: str) -> None:
    assert code in blocks(text)


@pytest.mark.parametrize(
    "text",
    [
        "You can simply reply here and we'll pick it up, sorry for the wait.",
        "Most parcels arrive within two days; yours left the depot this morning.",
        "Per our terms you get a full refund within 14 days.",
        "Volgens onze voorwaarden krijg je binnen 14 dagen je geld terug.",
        "Gefeliciteerd met je nieuwe huis! Verhuizen van je contract kan online.",
        "Next time you visit, the coffee's on us.",
        "Je ordernummer staat in de mail.",
        "Pech gehad, puzzelredactie: de oplossing stond er al.",
    ],
)
def test_good_replies_sharing_words_with_faults_pass(text: str) -> None:
    assert blocks(text) == []


def test_an_apology_in_the_sentence_takes_the_edge_off() -> None:
    text = "That is your responsibility as the account holder."
    assert "tone.blaming" in blocks(text)
    assert blocks("Sorry, that got mixed up: it was our mistake, not yours.") == []


def test_a_finding_lists_every_cue_that_weighed_in_and_its_data_line() -> None:
    text = "Honestly, the size chart is right there under the photos for a reason."
    context = DraftContext(text=text, channel_kind="mastodon", length_limit=0, rules=RULES)
    [finding] = [f for f in check_draft(context) if "cues_en" in f.source]
    assert finding.code == "tone.lecturing" and finding.severity == "block"
    assert "“right there” +0.8" in finding.message
    assert "“for a reason” +1.0" in finding.message
    assert "score" in finding.message
    lines = finding.source.split(", ")
    assert len(lines) == 2 and all(line.startswith("data/tone/cues_en.toml:") for line in lines)
    assert finding.span == (0, len(text))
    assert finding.explanation.startswith("tone.lecturing from data/tone/cues_en.toml:")


def test_a_sentence_a_phrase_already_caught_gets_no_second_finding() -> None:
    text = "Good luck with that, the form is right there for a reason."
    assert blocks(text).count("tone.sarcasm") == 1
    assert scored(text) == []


def test_cues_follow_the_drafts_language() -> None:
    assert blocks("Dat staat er niet voor niets, hoor.", "nl") == ["tone.lecturing"]
    # "for a reason" inside Dutch text is not an English sentence at all.
    assert scored("Wij verkopen de shirt 'for a reason' op onze site, en hij is er weer.") == []


def test_a_team_file_adds_and_weighs_its_own_cues(tmp_path: Path) -> None:
    extra = tmp_path / "team.toml"
    extra.write_text(
        'lang = "en"\n[[cue]]\npattern = "as a rule"\nfamily = "defensive"\nweight = 1.0\n',
        encoding="utf-8",
    )
    rules = load_tone_rules(DATA / "tone", [extra])
    assert rules.cues[-1].source == f"{extra}:2"
    context = DraftContext(
        text="As a rule we do not refund shipping.",
        channel_kind="mastodon",
        length_limit=0,
        rules=rules,
    )
    [finding] = check_draft(context)
    assert f"{extra}:2" in finding.source.split(", ")
    assert "“As a rule” +1.0" in finding.message


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('pattern = "x"\nfamily = "rude"\nweight = 1', "family 'rude' is not one of"),
        ('pattern = "x"\nfamily = "sarcasm"\nweight = "high"', "`weight` must be a number"),
        ('pattern = "x"\nfamily = "sarcasm"\nweight = -1', "an `ease` cue weighs below zero"),
        ('pattern = "x"\nfamily = "ease"\nweight = 1', "an `ease` cue weighs below zero"),
        ('pattern = "x"\nfamily = "sarcasm"\nweight = 1\nneeds = "me"', "needs 'me'"),
        ('pattern = "(x"\nfamily = "sarcasm"\nweight = 1', "not a valid regex"),
        ('pattern = "x"\nfamily = "sarcasm"\nweight = 1\nkind = "x"', "unknown key 'kind'"),
    ],
)
def test_a_broken_cue_names_its_file_line_and_problem(
    tmp_path: Path, entry: str, problem: str
) -> None:
    bad = tmp_path / "team.toml"
    bad.write_text(f"\n[[cue]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_tone_rules(DATA / "tone", [bad])
    message = str(caught.value)
    assert f"{bad}:2" in message and "[[cue]] #1" in message and problem in message


@given(st.text(max_size=300))
def test_arbitrary_text_scores_without_raising_and_spans_fit(text: str) -> None:
    context = DraftContext(text=text, channel_kind="mastodon", length_limit=0, rules=RULES)
    for finding in check_draft(context):
        if finding.span:
            assert 0 <= finding.span[0] <= finding.span[1] <= len(text)


def test_a_500_character_draft_is_checked_quickly() -> None:
    text = (
        "Thanks for your message, and sorry the parcel is late. Most customers get theirs "
        "within two days, and yours left the depot this morning. You can simply follow it "
        "with the link in the e-mail we sent. If it has not arrived by Friday, send us a DM "
        "with the order number and I'll arrange a new one right away. As you can see on the "
        "tracking page, the courier had a busy week. We are sorry for the wait and hope the "
        "new jacket fits well; the size guide is under the photos if you ever need it again. "
        "Kind regards, ^AB"
    )
    assert len(text) >= 500
    context = DraftContext(text=text, channel_kind="mastodon", length_limit=0, rules=RULES)
    check_draft(context)  # the first check compiles the built-in rules once
    start = time.perf_counter()
    for _ in range(20):
        check_draft(context)
    per_check = (time.perf_counter() - start) / 20
    print(f"\ncheck of a {len(text)}-character draft: {per_check * 1000:.1f} ms")
    assert per_check < 0.25  # about 10 ms alone; generous for a shared, loaded machine
