"""A stored phone number is found in an outgoing text whatever form it takes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.phone_guard import reveals_number

STORED = "06 12345678"
SUBSCRIBER = "612345678"

separators = st.sampled_from(["", " ", "-", ".", "  ", " - ", "/", "\u200b", "\u00a0"])
prefixes = st.sampled_from(["0", "+31 ", "+31", "0031 ", "+31 (0)", "(0)", "0031-"])
digit_forms = st.sampled_from(
    [str.maketrans("", ""), str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
     str.maketrans("0123456789", "０１２３４５６７８９")]
)  # fmt: skip


@st.composite
def written_forms(draw: st.DrawFn) -> str:
    """The subscriber number, with a prefix, cut into groups joined by separators."""
    digits = SUBSCRIBER
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=4)))
    groups = [digits[a:b] for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
    number = groups[0]
    for group in groups[1:]:
        number += draw(separators) + group
    return (draw(prefixes) + number).translate(draw(digit_forms))


@given(
    form=written_forms(),
    before=st.sampled_from(["", "Bel ons terug op ", "Nummer: ", "(", "call "]),
    after=st.sampled_from(["", ".", " ^AB", ")", "! Groet"]),
)
def test_every_form_of_the_stored_number_is_found(form: str, before: str, after: str) -> None:
    assert reveals_number(f"{before}{form}{after}", [STORED]) == STORED


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Nd"]), max_size=80))
def test_text_without_digits_never_reveals_a_number(text: str) -> None:
    assert reveals_number(text, [STORED]) is None


def test_other_numbers_and_our_own_contacts_pass() -> None:
    assert reveals_number("Bel 088 123 4567 of mail ons. Order 12345. ^AB", [STORED]) is None
    assert reveals_number("Je ordernummer 6123 is bekend", [STORED]) is None
    assert reveals_number("anything", []) is None
