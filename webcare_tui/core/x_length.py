"""How long a post is on X: twitter-text's weighted length (config v3), limit 280.

X counts most Latin, Greek, Cyrillic and general punctuation as 1 and everything else (CJK,
most symbols) as 2; every URL (with or without `https://`, when its TLD is real) counts as 23;
an emoji sequence (a family joined with ZWJ, a flag, a keycap) counts as 2 however many code
points it has; the text is NFC-normalised first. The rules and their conformance vectors are
twitter-text's. `twitter-text-parser` implements them and passes those vectors; we use its URL
and emoji extractors (its URL pattern carries the TLD lists) and do the counting ourselves, so
that the overflow offset is exact and the cost of a pathological text stays bounded.

Its URL pattern takes time quadratic in the length of a word (`a.a.a😷a.a.a😷...`: two seconds
for a thousand characters), so the text is counted one space-separated word at a time, which
gives the same sum because neither a URL nor an emoji spans white space (each word is
searched with the white space before it, which the pattern looks at); a word longer than
`LONG_WORD`, or past `URL_SCAN_BUDGET`, is not searched for URLs. A lone surrogate (which it
cannot encode) counts as the replacement character would.

Everything here is pure and never raises on any string.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

__all__ = ["LONG_WORD", "X_LIMIT", "x_length", "x_overflow_index"]

X_LIMIT = 280
"""X's limit for one post (and for a reply) on a standard account."""

LONG_WORD = 140
"""In a longer word (no white space) URLs are not looked for (see the module doc): such a URL
counts as its characters, more than X counts it, never less."""

URL_SCAN_BUDGET = 10 * LONG_WORD**2
"""Nor once the words searched so far add up to this (the sum of their squared lengths): a text
that costly is far over the limit, and the count need not be exact."""

# twitter-text's config v3, in whole characters (its own numbers are scaled by 100).
WEIGHT_RANGES: tuple[tuple[int, int, int], ...] = (
    (0, 4351, 1),
    (8192, 8205, 1),
    (8208, 8223, 1),
    (8242, 8247, 1),
)
DEFAULT_WEIGHT = 2
EMOJI_WEIGHT = 2
URL_WEIGHT = 23
# A word and the white space after it; or white space at the very start.
_PIECE = re.compile(r"\S+\s*|\s+")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _pieces(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, piece, its NFC form) for each word with the white space after it."""
    text = _LONE_SURROGATE.sub("\ufffd", text)
    for match in _PIECE.finditer(text):
        yield match.start(), match.group(), _normalised(match.group())


def _code_point_weight(char: str) -> int:
    point = ord(char)
    for start, end, weight in WEIGHT_RANGES:
        if start <= point <= end:
            return weight
    return DEFAULT_WEIGHT


@cache
def _extractors() -> tuple[Callable[[str], list[dict[str, Any]]], ...]:
    # Imported on first use: compiling its patterns takes over half a second, which every
    # command that never counts for X would otherwise pay at start.
    from twitter_text import extract_emojis_with_indices, extract_urls_with_indices

    return extract_emojis_with_indices, extract_urls_with_indices


def _units(piece: str, find_urls: bool, before: str) -> Iterator[tuple[int, int]]:
    """(start, weight) of each counted unit of an NFC `piece`: a URL, an emoji, a code point.

    `before` is the white space that precedes the piece in the text ("" at its start): the URL
    pattern consumes one preceding character, so without it a piece's first character (say a
    combining mark) would be taken as that character instead of as part of the URL.
    """
    entities: dict[int, tuple[int, int]] = {}
    emojis, urls = _extractors()
    for emoji in emojis(piece):
        start, end = emoji["indices"]
        entities[start] = (end, EMOJI_WEIGHT)
    if find_urls:
        for url in urls(before + piece):  # a URL wins over an emoji inside it
            start, end = (index - len(before) for index in url["indices"])
            entities[start] = (end, URL_WEIGHT)
    index = 0
    while index < len(piece):
        end, weight = entities.get(index, (index + 1, 0))
        yield index, weight or _code_point_weight(piece[index])
        index = max(end, index + 1)


def _normalised(piece: str) -> str:
    return unicodedata.normalize("NFC", piece.replace("\r\n", "\n").replace("\r", "\n"))


def _weighed(text: str) -> Iterator[tuple[int, str, str, Iterator[tuple[int, int]]]]:
    """Each word of `text` (offset, piece, NFC form) with its counted units."""
    budget = URL_SCAN_BUDGET
    before = ""
    for offset, piece, normal in _pieces(text):
        # Every URL twitter-text knows has a dot; its cost grows with the square of the word.
        find_urls = "." in normal and len(normal) <= LONG_WORD and budget > 0
        if find_urls:
            budget -= len(normal) ** 2
        yield offset, piece, normal, _units(normal, find_urls, before)
        before = normal[-1]


def x_length(text: str) -> int:
    """The weighted length X gives `text` (`"Hi http://test.co"` is 26, `"😷"` is 2)."""
    return sum(weight for *_, units in _weighed(text) for _, weight in units)


def _original_index(piece: str, normalised_index: int) -> int:
    """Where in `piece` the character at `normalised_index` of its NFC form came from."""
    low, high = 0, len(piece)
    while low < high:  # the longest prefix whose normal form ends before that character
        middle = (low + high + 1) // 2
        if len(_normalised(piece[:middle])) > normalised_index:
            high = middle - 1
        else:
            low = middle
    return low


def x_overflow_index(text: str, limit: int = X_LIMIT) -> int | None:
    """Offset in `text` of the first character past `limit` as X counts, else None.

    A URL or emoji that straddles the limit is marked from its start: X counts it as a whole.
    """
    used = 0
    for offset, piece, normal, units in _weighed(text):
        for start, weight in units:
            used += weight
            if used > limit:
                if normal == piece:
                    return offset + start
                return offset + _original_index(piece, start)
    return None
