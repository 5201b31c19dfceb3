"""The machinery under the draft table: phrase loading, pattern rules, privacy and caps details."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.canned import DataFileError
from webcare_tui.core.checks import (
    DraftContext,
    ToneRules,
    check_draft,
    compile_phrase,
    load_tone_rules,
)
from webcare_tui.core.tone_lists import TONE_KINDS

DATA = Path(__file__).resolve().parents[2] / "data"
RULES = load_tone_rules(DATA / "tone")


def codes(text: str) -> set[str]:
    """The finding codes of an unsigned-check public Bluesky draft (no signature expected)."""
    context = DraftContext(text=text, channel_kind="bluesky", length_limit=300, rules=RULES)
    return {finding.code for finding in check_draft(context)}


# --- loading ------------------------------------------------------------------------------------


def test_packaged_lists_hold_both_languages_and_every_kind() -> None:
    sources = {phrase.source.split(":")[0] for phrase in RULES.phrases}
    assert sources == {"data/tone/en.toml", "data/tone/nl.toml"}
    assert {p.kind for p in RULES.phrases} == set(TONE_KINDS)


def test_an_extra_file_adds_phrases(tmp_path: Path) -> None:
    extra = tmp_path / "team.toml"
    extra.write_text(
        '[[phrase]]\npattern = "geen idee"\nkind = "defensive"\n'
        'reason = "Sounds careless."\nfix = "Say you will find out."\n',
        encoding="utf-8",
    )
    rules = load_tone_rules(DATA / "tone", [extra])
    assert len(rules.phrases) == len(RULES.phrases) + 1
    assert rules.phrases[-1].source == f"{extra}:1"  # a team's file keeps its full path


VALID = 'pattern = "x y"\nkind = "sarcasm"\nreason = "r"\nfix = "f"\n'


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[[phrase]\npattern = 1", "not valid TOML"),
        ("phrase = 3", "must be written as [[phrase]]"),
        ("colour = 'red'\n", "unknown top-level key 'colour'"),
        (f"[[phrase]]\n{VALID}\n[[phrase]]\n{VALID.replace('sarcasm', 'rude')}", "kind 'rude'"),
        (f"[[phrase]]\n{VALID.replace('x y', 'x (y')}", "not a valid regex"),
        (f"[[phrase]]\n{VALID.replace('x y', 'x?')}", "matches empty text"),
        (f"[[phrase]]\n{VALID.replace('fix = ', 'fixx = ')}", "unknown key 'fixx'"),
        (f"[[phrase]]\n{VALID.replace('reason = ', '# reason = ')}", "`reason` must be"),
        (f"[[phrase]]\n{VALID.replace('reason = ', 'reason = 4 #')}", "`reason` must be"),
    ],
)
def test_a_broken_file_names_the_file_and_entry(
    tmp_path: Path, content: str, expected: str
) -> None:
    (tmp_path / "broken.toml").write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.toml") as caught:
        load_tone_rules(tmp_path)
    assert expected in str(caught.value)
    if "[[phrase]]" in content and "must be written" not in expected:
        assert "[[phrase]] #" in str(caught.value)


def test_the_error_names_the_line_of_the_bad_entry(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text(f"# team\n\n[[phrase]]\n{VALID}\n[[phrase]]\n{VALID.replace('x y', '(')}")
    with pytest.raises(DataFileError) as caught:
        load_tone_rules(tmp_path)
    # Line 9 holds the second [[phrase]]: a blank line before a header is not the header.
    assert caught.value.line == 9 and caught.value.entry == "[[phrase]] #2"
    assert str(caught.value).startswith(f"{path}:9: [[phrase]] #2: ")


def test_a_missing_directory_or_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a directory"):
        load_tone_rules(tmp_path / "nope")
    with pytest.raises(ValueError, match="cannot read"):
        load_tone_rules(tmp_path, [tmp_path / "missing.toml"])
    (tmp_path / "latin1.toml").write_bytes(b"# caf\xe9\n")
    with pytest.raises(ValueError, match="not UTF-8"):
        load_tone_rules(tmp_path)


# --- pattern rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        ("shop", "our webshops", False),  # never inside a word
        ("shop", "the shop", True),
        ("u had", "you had", False),
        ("calm down", "Calm\n  down", True),  # a space is any whitespace
        ("it's", "It’s", False),  # compile_phrase alone does not translate quotes
        ("[a ]b", "\tb", False),  # a space inside a class stays a space
        ("[a ]b", " b", True),
        ("/shop", "example.com/shop", True),  # an edge that is no word character is free
    ],
)
def test_compile_phrase(pattern: str, text: str, found: bool) -> None:
    assert bool(compile_phrase(pattern).search(text)) is found


def test_typographic_apostrophes_read_as_plain_ones() -> None:
    rules = ToneRules(RULES.phrases)
    assert any(p.kind == "defensive" for p, _, _ in rules.matches("It’s not our fault"))
    assert any(p.kind == "blaming" for p, _, _ in rules.matches("You should’ve read it"))


# --- privacy --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bel 06 12 34 56 78.", {"privacy.phone"}),
        ("Bel +31(0)6-12345678.", {"privacy.phone"}),
        ("Call 0044 20 7946 0958.", {"privacy.phone"}),
        ("Op 01-05-2026 10:30 is je afspraak.", set()),  # a date and a time, not a number
        ("Bel gratis 0800-0402 of 0900-1234567.", set()),  # service numbers are the brand's
        ("Zie https://social.example/@acme/0612345678901", set()),  # digits inside a URL
        ("Dank @jan@mastodon.social!", set()),  # a remote mention, not an e-mail address
        ("Mail info@example.nl of support@example.com.", set()),  # role addresses
        ("Mail jan+tag@example.co.uk.", {"privacy.email"}),
        ("Postcode 1234AB klopt.", {"privacy.postcode"}),
        ("Postcode 1234 ab klopt.", set()),  # lower case is too often ordinary words
        ("Je krijgt 2000 MB en 1500 KW", set()),  # units, not postcodes
        ("Sinds 2020 KPN-klant?", set()),
        ("Bestelnummer: 87654321.", {"privacy.order_number"}),
        ("Order number is 123456.", {"privacy.order_number"}),
        ("Je bestelling 87654321 is onderweg.", {"privacy.order_number"}),
        ("Order 2 of 3 ships today; order before 22:00.", set()),
        ("Je ordernummer staat in de mail.", set()),  # asking for it is fine
        ("Ordernummer 0612345678 klopt.", {"privacy.order_number"}),  # one finding, not two
    ],
)
def test_privacy_details(text: str, expected: set[str]) -> None:
    assert codes(text) == expected


# --- caps and exclamation marks -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shouting"),
    [
        ("IS DIT NU ECHT ZO MOEILIJK", True),
        ("WE ZIJN HET NIET EENS", True),
        ("NS, KPN, ING en ABN AMRO", False),  # acronyms weigh half
        ("LET OP: de trein rijdt niet", False),
        ("GRATIS VERZENDING vandaag", False),  # two words are emphasis, not shouting
        ("I AM SO SORRY", False),
        ("STOP SENDING ME THIS", True),
        ("中文 テキスト 한국어", False),  # scripts without case never shout
    ],
)
def test_shouting_ignores_acronyms(text: str, shouting: bool) -> None:
    assert ("tone.shouting" in codes(text)) is shouting


@pytest.mark.parametrize(
    ("text", "storm"),
    [
        ("Top!", False),
        ("Dank je wel!! Fijne dag!", False),
        ("Echt?!", False),
        ("Wat?!?!", False),
        ("Super!!!", "tone.shouting"),  # three in a row shout, and block
        ("Ja! Nee! Misschien! Toch wel!", True),
        ("Wow!?!!", "tone.shouting"),
    ],
)
def test_exclamation_storms(text: str, storm: bool | str) -> None:
    found = codes(text)
    if isinstance(storm, str):
        assert storm in found and "tone.exclamations" not in found
    else:
        assert ("tone.exclamations" in found) is storm


# --- robustness -----------------------------------------------------------------------------------


@given(st.text(max_size=400), st.sampled_from(["mastodon", "bluesky", "rss"]), st.booleans())
def test_check_draft_never_crashes_and_spans_fit(text: str, kind: str, public: bool) -> None:
    context = DraftContext(
        text=text,
        channel_kind=kind,
        length_limit=50,
        rules=RULES,
        signature="^AB",
        private=not public,
    )
    for finding in check_draft(context):
        assert finding.severity in ("block", "warn")
        if finding.span is not None:
            assert 0 <= finding.span[0] <= finding.span[1] <= len(text)
