"""A phone number the customer gave us stays on the thread: it never goes out in a reply.

The check compares digits, not text, so the forms a number takes (`06 12345678`,
`+31 6-1234 5678`, `0031 (0)6 12.34.56.78`) all count as the same number.
"""

from __future__ import annotations

import regex

__all__ = ["number_core", "reveals_number"]

# Digits, and what people put between them; a letter ends a number.
_NUMBERISH = regex.compile(r"[\p{Nd}][\p{Nd}\s\p{Cf}\p{Pd}\p{Ps}\p{Pe}./+*]*")
_CORE_DIGITS = 9  # a subscriber number without country code or trunk prefix (NL: 9 digits)


def _digits(text: str) -> str:
    return "".join(str(int(c)) for c in text if c.isdecimal())


def number_core(phone: str) -> str:
    """The digits that identify `phone` in any form: its last nine, without prefixes."""
    digits = _digits(phone)
    return digits[-_CORE_DIGITS:] if len(digits) > _CORE_DIGITS else digits.lstrip("0")


def reveals_number(text: str, phones: list[str] | tuple[str, ...]) -> str | None:
    """The first of `phones` that `text` contains in some form, else None."""
    cores = [(phone, number_core(phone)) for phone in phones]
    cores = [(phone, core) for phone, core in cores if len(core) >= 4]
    if not cores:
        return None
    runs = [_digits(match.group()) for match in _NUMBERISH.finditer(text)]
    for phone, core in cores:
        if any(core in run for run in runs):
            return phone
    return None
