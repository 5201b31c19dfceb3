"""How long a reply is, counted the way the platform that receives it counts.

A reply that a platform rejects for its length fails at the worst moment (after the agent pressed
send), so the draft check must count exactly as the platform does:

- Bluesky limits a post to 300 grapheme clusters (user-perceived characters: an emoji family
  joined with ZWJ, or a letter with combining accents, is one).
- Mastodon counts grapheme clusters too, but every http(s) URL counts as 23 characters however
  long it is, and a mention of a remote account (`@user@domain`) counts only as `@user`. This
  mirrors Mastodon's `StatusLengthValidator`, which rewrites those entities before counting.
  The URL and mention patterns follow Mastodon's (`Account::MENTION_RE`, twitter-text URLs) in
  the cases a webcare reply meets; exotic URLs (no dot in the host, IP addresses) count as text.

Everything here is pure and never raises on any string.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from webcare_tui.core.x_length import X_LIMIT, x_length, x_overflow_index

MASTODON_URL_LENGTH = 23
"""What Mastodon counts for any http(s) URL, whatever its real length."""

_GRAPHEME = regex.compile(r"\X")

# twitter-text refuses a URL glued to an ASCII word, a mention or a tag ("xhttp://..." is text).
_URL = regex.compile(
    r"(?<![A-Za-z0-9@＠$#＃])https?://"
    r"(?:[\w-]+\.)+[\w-]*[^\W\d_][\w-]*"  # a host with at least one dot and a lettered TLD
    r"(?::\d{1,5})?"
    r"(?:[/?#][^\s<>\"]*)?"
)
# Trailing punctuation ends the sentence, not the URL ("see https://x.nl/a." links to /a).
_URL_TRAILING = ".,:;!?'\"*"
_CLOSERS = {")": "(", "]": "["}

# Mastodon's Account::MENTION_RE: ASCII usernames, an optional @domain of word characters.
_MENTION = regex.compile(
    r"(?<![=/\w])@(?P<user>[A-Za-z0-9_]+(?:[A-Za-z0-9_.-]+[A-Za-z0-9_]+)?)"
    r"(?P<domain>@[\w.-]+\w+)?"
)
# twitter-text's end_mention_match: a mention followed by these is not a mention at all.
_MENTION_END = regex.compile(
    r"[@＠\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u1e00-\u1eff]|://"
)


def count_graphemes(text: str) -> int:
    """User-perceived characters (extended grapheme clusters): Bluesky's unit for its limit."""
    return sum(1 for _ in _GRAPHEME.finditer(text))


def url_spans(text: str) -> list[tuple[int, int]]:
    """Where the http(s) URLs are, as half-open (start, end) offsets, trailing punctuation cut."""
    spans: list[tuple[int, int]] = []
    for match in _URL.finditer(text):
        start, end = match.span()
        while end > start:
            last = text[end - 1]
            if last in _URL_TRAILING:
                end -= 1
            elif last in _CLOSERS and text.count(last, start, end) > text.count(
                _CLOSERS[last], start, end
            ):
                end -= 1  # "(see https://x.nl/a)": the bracket belongs to the sentence
            else:
                break
        spans.append((start, end))
    return spans


def _entities(text: str) -> list[tuple[int, int, str | None]]:
    """URLs and remote mentions as (start, end, replacement); None means the URL placeholder."""
    found: list[tuple[int, int, str | None]] = [(s, e, None) for s, e in url_spans(text)]
    for match in _MENTION.finditer(text):
        if _MENTION_END.match(text, match.end()):
            continue
        if match.group("domain"):
            found.append((match.start(), match.end(), "@" + match.group("user")))
    # Like Mastodon's remove_overlapping_entities: the earlier entity wins.
    found.sort(key=lambda entity: entity[0])
    kept: list[tuple[int, int, str | None]] = []
    for entity in found:
        if not kept or entity[0] >= kept[-1][1]:
            kept.append(entity)
    return kept


def _mastodon_countable(text: str) -> tuple[str, list[int]]:
    """The text as Mastodon counts it, with the offset in `text` each character came from."""
    parts: list[str] = []
    origin: list[int] = []
    position = 0
    for start, end, replacement in _entities(text):
        parts.append(text[position:start])
        origin.extend(range(position, start))
        if replacement is None:
            parts.append("x" * MASTODON_URL_LENGTH)
            origin.extend([start] * MASTODON_URL_LENGTH)
        else:
            parts.append(replacement)
            origin.extend(range(start, start + len(replacement)))
        position = end
    parts.append(text[position:])
    origin.extend(range(position, len(text)))
    return "".join(parts), origin


def mastodon_length(text: str) -> int:
    """Mastodon's count: grapheme clusters, each URL as 23, a remote mention as its `@user`."""
    countable, _ = _mastodon_countable(text)
    return count_graphemes(countable)


@dataclass(frozen=True, slots=True)
class LengthRule:
    """How a platform counts a reply's length, and the most it takes.

    `counting` is "mastodon" (URLs as 23, remote mentions as `@user`), "x" (twitter-text's
    weighted count, `core/x_length.py`), "bluesky" or "plain" (grapheme clusters); a kind this
    module does not know counts as "plain". `limit` is the platform's stock limit (0: none); a
    connector that learns its limit from the server (Mastodon's `max_characters`) falls back
    to it.
    """

    counting: str
    limit: int

    def measure(self, text: str) -> int:
        """The length of `text` as this platform counts it."""
        return length_for(self.counting, text)

    def overflow_index(self, text: str, limit: int | None = None) -> int | None:
        """Offset of the first character past `limit` (default: this rule's), else None."""
        return overflow_index(self.counting, text, self.limit if limit is None else limit)


MASTODON = LengthRule("mastodon", 500)
"""Mastodon's stock status length; an instance may allow more."""
BLUESKY = LengthRule("bluesky", 300)
"""Bluesky's post limit, in graphemes (DMs allow more; posts are the stricter)."""
X = LengthRule("x", X_LIMIT)
"""X's weighted 280: URLs 23, CJK and emoji double."""
PLAIN = LengthRule("plain", 0)
"""No known platform: count graphemes, no limit."""


def length_for(channel_kind: str, text: str) -> int:
    """The length `text` has on a channel of this kind ("mastodon", "bluesky", anything else)."""
    if channel_kind == "mastodon":
        return mastodon_length(text)
    if channel_kind == "x":
        return x_length(text)
    return count_graphemes(text)


def overflow_index(channel_kind: str, text: str, limit: int) -> int | None:
    """Offset in `text` of the first character past `limit` as the channel counts, else None.

    Lets a check mark exactly the part that does not fit. A URL that straddles the limit is
    marked from its start, since Mastodon counts it as a whole.
    """
    if channel_kind == "x":
        return x_overflow_index(text, limit)
    if channel_kind == "mastodon":
        countable, origin = _mastodon_countable(text)
    else:
        countable, origin = text, list(range(len(text)))
    for number, match in enumerate(_GRAPHEME.finditer(countable), start=1):
        if number > limit:
            return origin[match.start()]
    return None
