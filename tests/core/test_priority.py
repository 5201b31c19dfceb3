"""Priority and its reason, from the lexicon in data/lexicon."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.canned import DataFileError
from webcare_tui.core.lexicon import Lexicon, lexicon_from_documents, load_lexicon
from webcare_tui.core.priority import Signals, contacts_within, ordinal, score, short_count
from webcare_tui.paths import data_dir

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(data_dir() / "lexicon")


def test_reach_and_third_contact_today_make_the_reason(lexicon: Lexicon) -> None:
    contacts = [AT - timedelta(hours=20), AT - timedelta(hours=3), AT]
    priority = score(
        Signals(followers=80_000, customer_texts=["hello"], contacts=contacts, at=AT), lexicon
    )
    assert priority.reason == "why: 80k followers; 3rd contact today"


def test_a_second_contact_is_not_named_and_older_ones_count_for_the_month(
    lexicon: Lexicon,
) -> None:
    two = [AT - timedelta(hours=2), AT]
    assert score(Signals(None, ["hi"], contacts=two, at=AT), lexicon).reason == ""
    month = [AT - timedelta(days=20), AT - timedelta(days=2), AT]
    assert score(Signals(None, ["hi"], contacts=month, at=AT), lexicon).reason == (
        "why: 3 contacts in 30 days"
    )


def test_contacts_count_up_to_and_including_the_moment() -> None:
    contacts = [AT - timedelta(hours=24), AT - timedelta(hours=23), AT, AT + timedelta(hours=1)]
    assert contacts_within(contacts, AT, timedelta(hours=24)) == 2


def test_a_complaint_outranks_a_question_which_outranks_thanks(lexicon: Lexicon) -> None:
    complaint = score(Signals(None, ["My parcel still hasn't arrived, unacceptable"]), lexicon)
    question = score(Signals(None, ["How do I change my address?"]), lexicon)
    thanks = score(Signals(None, ["Thanks, all sorted!"]), lexicon)
    assert complaint.intent == "complaint" and question.intent == "question"
    assert thanks.intent == "thanks"
    assert complaint.score > question.score > thanks.score


def test_dutch_is_read_too(lexicon: Lexicon) -> None:
    assert lexicon.intent("Mijn pakket is nog steeds niet bezorgd!") == "complaint"
    assert lexicon.intent("Dankjewel voor de snelle hulp") == "thanks"
    assert lexicon.intent("Hoe kan ik mijn abonnement opzeggen?") == "complaint"


def test_phrases_match_whole_words_unless_starred(lexicon: Lexicon) -> None:
    assert lexicon.intent("I am a real jokester") is None  # "jk" and "lol" stay whole
    assert lexicon.suggest_tags(["it was delivered broken"], ["delivery"]) == ("delivery",)


def test_an_impostor_asking_for_a_password_leads_the_reason(lexicon: Lexicon) -> None:
    priority = score(
        Signals(
            followers=1200,
            customer_texts=["where is my order?"],
            other_texts=["Kompas Media support: send your e-mail and password"],
        ),
        lexicon,
    )
    assert priority.impostor == "password"
    assert priority.reason.startswith("why: IMPOSTOR asks for password; 1.2k followers")
    plain = score(Signals(followers=1200, customer_texts=["where is my order?"]), lexicon)
    assert priority.score >= plain.score + 100


def test_support_alone_or_a_password_alone_is_no_impostor(lexicon: Lexicon) -> None:
    assert lexicon.impostor("Thanks, support team!") is None
    assert lexicon.impostor("I forgot my password") is None
    assert lexicon.impostor("Klantenservice hier: stuur je inloggegevens via DM") == (
        "inloggegevens"
    )


def test_tags_are_suggested_only_from_the_configured_names(lexicon: Lexicon) -> None:
    texts = ["Het pakket is kapot aangekomen en de factuur klopt niet"]
    assert lexicon.suggest_tags(texts, ["billing", "delivery", "product-defect"]) == (
        "billing",
        "delivery",
        "product-defect",
    )
    assert lexicon.suggest_tags(texts, ["website"]) == ()


def test_counts_read_at_a_glance() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st",
    ]  # fmt: skip
    assert [short_count(n) for n in (950, 1200, 80_000, 3_400_000)] == [
        "950", "1.2k", "80k", "3.4M",
    ]  # fmt: skip


def test_a_broken_lexicon_is_refused_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "xx.toml").write_text("[intent]\nanger = ['grr']\n")
    with pytest.raises(DataFileError, match="unknown intent 'anger'"):
        load_lexicon(tmp_path)
    with pytest.raises(ValueError, match="list of strings"):
        lexicon_from_documents([{"tags": {"delivery": "parcel"}}])


@given(st.text(max_size=300), st.integers(min_value=0, max_value=10**9))
def test_any_text_scores_without_error(lexicon: Lexicon, text: str, followers: int) -> None:
    priority = score(Signals(followers, [text], other_texts=[text]), lexicon)
    assert priority.score >= 0
    assert "\n" not in priority.reason or "\n" in text
