"""Personal details in public replies: a table of numbers and addresses in text, ours and theirs."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.checks import DraftContext, blocking, check_draft, load_tone_rules
from webcare_tui.core.privacy import is_iban, normal_contact

RULES = load_tone_rules(Path(__file__).resolve().parents[2] / "data" / "tone")
OURS = ("088 123 4567", "service@acme.example", "+31 20 555 0100")


def privacy(text: str, *, private: bool = False, contacts: tuple[str, ...] = OURS) -> set[str]:
    context = DraftContext(
        text=text,
        channel_kind="mastodon",
        length_limit=0,
        rules=RULES,
        private=private,
        contacts=contacts,
    )
    return {f.code for f in blocking(check_draft(context)) if f.code.startswith("privacy.")}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Bel ons gerust op 06-12345678.", "privacy.phone"),
        ("Bel ons gerust op 0612345678.", "privacy.phone"),
        ("Bel ons gerust op 06 1234 5678.", "privacy.phone"),
        ("Bel ons gerust op 06 12 34 56 78.", "privacy.phone"),
        ("Bel ons gerust op 020-1234567.", "privacy.phone"),
        ("Bel ons gerust op 0201234567.", "privacy.phone"),
        ("Bel ons gerust op +31 6 12345678.", "privacy.phone"),
        ("Bel ons gerust op +31 (0)6 12345678.", "privacy.phone"),
        ("Bel ons gerust op 0031 6 12345678.", "privacy.phone"),
        ("Call her on +44 20 7946 0958.", "privacy.phone"),
        ("Call her on +1 (555) 123-4567.", "privacy.phone"),
        ("Call her on 07700 900123.", "privacy.phone"),
        ("Mail eric.jansen@example.nl.", "privacy.email"),
        ("We stort het terug op NL91 ABNA 0417 1643 00.", "privacy.iban"),
        ("We stort het terug op NL91ABNA0417164300.", "privacy.iban"),
        ("Refunded to GB82 WEST 1234 5698 7654 32.", "privacy.iban"),
        ("Het pakket gaat naar 1234 AB 12.", "privacy.address"),
        ("Het pakket gaat naar 1234AB, 12.", "privacy.address"),
        ("Het pakket gaat naar Kerkstraat 12 in Utrecht.", "privacy.address"),
        ("We'll send it to 12 Baker Street tomorrow.", "privacy.address"),
        ("Je ordernummer 12345678 is verzonden.", "privacy.order_number"),
        ("Your order #A-98765 left the warehouse.", "privacy.order_number"),
    ],
)
def test_their_details_block_in_public(text: str, code: str) -> None:
    assert code in privacy(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bel ons op 088 123 4567, we helpen je graag.",  # our own number, as published
        "Bel ons op 088-1234567.",  # ... written differently
        "Bel ons op 0881234567.",
        "Mail service@acme.example, dan pakken we het op.",
        "Mail SERVICE@ACME.EXAMPLE.",
        "Ons hoofdkantoor: +31 20 555 0100 of 020 555 0100.",
        "Bel gratis 0800-0123 of 0900-1234567.",  # information lines
        "Mail info@example.nl voor vragen.",  # a role mailbox is a company's
        "Je afspraak is op 01-05-2026 om 10:30.",
        "Op 12.03.2026 om 14.45 uur komt de monteur.",
        "Het kost € 1.234,56, of $1,299.00 in de VS.",
        "Je betaalt 12,95 per maand, 20% minder dan vorig jaar.",
        "Update naar versie 10.4.2 of 2.3.1-beta.",
        "Sinds 2019 en tot 2026 werkten we samen met 320 winkels.",
        "Tussen 08:00-20:00 en 09.00-17.00 uur bereikbaar.",
        "Postcodes 1000-1099 krijgen morgen bezorging.",
        "Kijk op https://acme.example/orders/12345678 voor de status.",
        "We houden 1.500 MB data voor je vast, 64 GB opslag.",
    ],
)
def test_ours_and_numbers_that_are_not_details_pass(text: str) -> None:
    assert privacy(text) == set()


def test_a_dm_is_where_details_belong() -> None:
    text = "Bel 06-12345678, mail jan@example.nl, IBAN NL91 ABNA 0417 1643 00, 1234 AB 12."
    assert len(privacy(text)) == 4
    assert privacy(text, private=True) == set()


def test_the_same_number_blocks_without_the_teams_contacts() -> None:
    assert privacy("Bel ons op 088 123 4567.", contacts=()) == {"privacy.phone"}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("088 123 4567", "0881234567"),
        ("088-123 45 67", "+31 88 123 4567"),
        ("0031 88 1234567", "+31 (0)88 123 4567"),
        ("Service@Acme.Example", "service@acme.example"),
    ],
)
def test_contacts_compare_in_normal_form(one: str, other: str) -> None:
    assert normal_contact(one) == normal_contact(other)


def test_an_iban_needs_its_check_digits() -> None:
    assert is_iban("NL91ABNA0417164300")
    assert not is_iban("NL92ABNA0417164300")
    assert "privacy.iban" not in privacy("Referentie NL92 ABNA 0417 1643 00.")


_DIGIT = st.sampled_from("0123456789")


def _mobile(digits: str, form: int) -> str:
    """A Dutch mobile number 06 + eight digits, written one of the ways people write it."""
    a, b = digits[:4], digits[4:]
    return [
        f"06-{digits}",
        f"06{digits}",
        f"06 {a} {b}",
        f"06 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:]}",
        f"+31 6 {digits}",
        f"+31 (0)6 {digits}",
        f"+316{digits}",
        f"0031 6 {a} {b}",
        f"(06) {digits}",
    ][form]


@given(
    st.text(_DIGIT, min_size=8, max_size=8),
    st.integers(0, 8),
    st.sampled_from(["Bel me op {}.", "{} is mijn nummer", "Call {} tonight!", "nr: {}"]),
)
def test_a_mobile_number_in_any_form_is_found(digits: str, form: int, frame: str) -> None:
    assert "privacy.phone" in privacy(frame.format(_mobile(digits, form)), contacts=())


@given(
    st.sampled_from(["10", "20", "30", "40", "50", "70", "71", "72", "73", "74", "75", "76"]),
    st.text(_DIGIT, min_size=7, max_size=7),
    st.sampled_from(["0{a}-{n}", "0{a} {n}", "0{a}{n}", "+31 {a} {n}", "+31{a}{n}"]),
)
def test_a_landline_number_in_any_form_is_found(area: str, number: str, form: str) -> None:
    text = f"Je kunt bellen naar {form.format(a=area, n=number)} vanaf morgen."
    assert "privacy.phone" in privacy(text, contacts=())


@given(
    st.sampled_from(["+44 20 {a} {b}", "+44 7700 {a}{b}", "+1 (555) {a}-{b}", "0044 20 {a} {b}"]),
    st.text(_DIGIT, min_size=3, max_size=4),
    st.text(_DIGIT, min_size=4, max_size=4),
)
def test_an_international_number_is_found(form: str, a: str, b: str) -> None:
    assert "privacy.phone" in privacy(f"Call {form.format(a=a, b=b)} please.", contacts=())
