"""Personal details in a public reply: phone numbers, e-mail and street addresses, IBANs,
postcodes with a house number and order numbers. They block, since everyone can read a public
reply (a postcode alone only warns; a role mailbox such as `info@` is a company's, not a
person's); the team's own published contacts (`[team] contacts`) may appear, compared
in normal form ("088 123 4567" is "0881234567", "+31 88 ..." is "088 ..."). A direct message
is where such details belong: the checks never look there.

Each pattern is followed by a check in code where a regex alone would misfire: dates, times,
prices, version numbers and years look like numbers too.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from webcare_tui.core.findings import Finding, Severity
from webcare_tui.core.length import url_spans

# Digits with single spaces, dots or dashes between them, a "(0)" or an area code in brackets.
_PHONE = regex.compile(
    r"(?<![\w+(])(?:\+|00|\((?=0))?\d(?:(?:[ .-]|\)\s?|\s?\(0\)\s?|\s?\(\d{1,4}\)\s?)?\d){6,16}"
    r"(?![\w)])"
)
_SERVICE_NUMBER = ("0800", "0900", "0906", "0909")  # information lines, never a person's
_EMAIL = regex.compile(r"(?<![\w.+@-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# Role addresses are a company's, not a person's: a public reply may name them.
_ROLE_MAILBOX = regex.compile(
    r"(?:info|service|support|help|contact|klantenservice|webcare|noreply|no-reply)@", regex.I
)
_IBAN = regex.compile(r"(?<![\w-])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w-])")
# Dutch postcodes have no SA, SD or SS; MB/GB/KB/TB/PK/KW after a number are units.
_POSTCODE = regex.compile(r"(?<![\w-])[1-9]\d{3} ?(?!S[ADS]|[MGKT]B|PK|KW)[A-Z]{2}(?![\w-])")
_HOUSE_NUMBER = regex.compile(r"\s*,?\s*\d{1,5}(?:\s?[a-zA-Z](?!\w))?(?![\w,.]\d)")
_UK_POSTCODE = regex.compile(r"(?<![\w-])[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}(?![\w-])")
_STREET = regex.compile(
    r"(?<!\w)\p{Lu}\p{Ll}+(?:straat|weg|laan|plein|gracht|kade|singel|dijk|steeg|dreef|markt"
    r"|straatweg|hof|pad)\s+\d{1,5}(?:\s?[a-z])?(?!\w)"
    r"|(?<!\w)\d{1,5}\s+(?:\p{Lu}\p{Ll}+\s+){1,3}(?:Street|St|Road|Rd|Lane|Avenue|Ave|Drive"
    r"|Close|Way|Square|Place|Court|Crescent|Gardens|Terrace)(?!\w)"
)
# "ordernummer 123456", "order #123456", "order 123456" (a bare number needs five digits),
# "account number is 44 1273 9981" (in groups).
_ORDER = regex.compile(
    r"\b(?:order|bestelling|bestel|klant|customer|account|factuur|invoice|contract|abonnements?"
    r"|booking|reservering)(?:[ -]?(?:nummer|number|nr\.?|no\.?|id)|(?=\s*#)"
    r"|(?=\s+[A-Z]{0,4}-?\d{5,}))\s*(?:(?:is|was)\s+)?[:#]?\s*"
    r"(?P<number>[A-Z]{0,4}-?\d{4,}(?:-\d+)*|\d{2,4}(?: \d{2,4}){1,4})(?![\w.,:]\d|\w)",
    regex.IGNORECASE,
)
_TEXT = {
    "privacy.phone": "A phone number in a public reply",
    "privacy.email": "An e-mail address in a public reply",
    "privacy.iban": "A bank account (IBAN) in a public reply",
    "privacy.address": "A street address in a public reply",
    "privacy.postcode": "A postcode in a public reply",
    "privacy.order_number": "An order or customer number in a public reply",
}


def normal_contact(contact: str) -> str:
    """The form in which a contact is compared: no spaces or dashes, Dutch numbers with 0."""
    plain = contact.strip().removeprefix("mailto:").replace("(0)", "")
    plain = regex.sub(r"[^\w@.+]", "", plain).casefold()
    if regex.fullmatch(r"\+?[\d.]+", plain):
        digits = regex.sub(r"\D", "", plain)
        for prefix in ("0031", "31"):
            if plain.lstrip("+").startswith(prefix) and (plain.startswith("+") or prefix == "0031"):
                return "0" + digits[len(prefix) :]
        return ("+" if plain.startswith("+") else "") + digits
    return plain


def is_phone(candidate: str) -> bool:
    """Whether digits found in text are a phone number, not a date, time, price or version."""
    digits = regex.sub(r"\D", "", candidate.replace("(0)", ""))
    if candidate.startswith(("+", "00")):
        body = digits[2:] if candidate.startswith("00") else digits
        if not body.startswith("31"):
            return 9 <= len(body) <= 15
        digits = "0" + body[2:]  # a Dutch number written internationally
    # National numbers: ten digits in the Netherlands, eleven in the UK, always a leading 0.
    # "01-05-2026 10" is a date and a time; "1.234.567" a count.
    return (
        len(digits) in (10, 11)
        and digits[0] == "0"
        and digits[1] != "0"
        and candidate.count("-") <= 1
        and "." not in candidate
        and not digits.startswith(_SERVICE_NUMBER)
    )


def is_iban(candidate: str) -> bool:
    """The ISO 13616 check: the rearranged number, letters as 10..35, is 1 modulo 97."""
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _hits(text: str) -> Iterable[tuple[str, Severity, tuple[int, int]]]:
    # Order matters: an order number or IBAN holds digits that would read as a phone number.
    for match in _ORDER.finditer(text):
        yield "privacy.order_number", "block", match.span("number")
    for match in _IBAN.finditer(text):
        if is_iban(match.group()):
            yield "privacy.iban", "block", match.span()
    for match in _PHONE.finditer(text):
        if is_phone(match.group()):
            yield "privacy.phone", "block", match.span()
    for match in _EMAIL.finditer(text):
        if not _ROLE_MAILBOX.match(match.group()):
            yield "privacy.email", "block", match.span()
    for match in _STREET.finditer(text):
        yield "privacy.address", "block", match.span()
    for match in _POSTCODE.finditer(text):
        number = _HOUSE_NUMBER.match(text, match.end())
        if number:
            yield "privacy.address", "block", (match.start(), number.end())
        else:
            yield "privacy.postcode", "warn", match.span()
    for match in _UK_POSTCODE.finditer(text):
        yield "privacy.postcode", "warn", match.span()


def privacy_findings(text: str, published: Iterable[str] = ()) -> list[Finding]:
    """Personal details in `text` as a public reply; `published` contacts are allowed."""
    allowed = {normal_contact(contact) for contact in published if contact.strip()}
    found: list[Finding] = []
    taken: list[tuple[int, int]] = list(url_spans(text))  # inside a link is a URL, not a detail
    for code, severity, (start, end) in _hits(text):
        if any(start < e and s < end for s, e in taken):
            continue
        if normal_contact(text[start:end]) in allowed:
            continue
        taken.append((start, end))
        message = f"{_TEXT[code]}: everyone can read it."
        fix = "Ask the customer to send it in a DM, and leave it out of public replies."
        found.append(Finding(code, severity, message, fix, (start, end), code, "built-in rule"))
    return sorted(found, key=lambda f: f.span or (0, 0))
