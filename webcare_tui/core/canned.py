"""Canned replies ("tekstblokken"): tested texts an agent starts from instead of a blank draft.

Files are TOML, one `[[reply]]` table per text (see `data/canned/en.toml`):

    [[reply]]
    key = "late_delivery"          # [a-z0-9_]+, unique per language within a file
    title = "Late delivery: apologise and ask for the order number"
    lang = "en"
    text = "Hi {first_name}, sorry ..."

Placeholders are `{name}`, `{first_name}`, `{agent}`, `{window}` and `{handle}`; a file using any
other `{word}` is refused, so a typo never reaches a customer. Packaged files load first, then
the team's extra files; a later reply with the same language and key replaces the earlier one.
The signature is not part of the text: the editor appends it, and `check_draft` insists on it.

The TOML reading (`read_data_file`, `DataFileError` naming file, line and entry) lives in
`core.datafiles`, shared with the tone lists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from webcare_tui.core.datafiles import DataFileError as DataFileError
from webcare_tui.core.datafiles import data_files, read_data_file

PLACEHOLDERS = ("name", "first_name", "agent", "window", "handle")
"""The placeholders a canned reply may use; an unfilled one in a draft blocks sending."""


_KEY = regex.compile(r"[a-z0-9_]+")
_PLACEHOLDER = regex.compile(r"\{([a-z_]+)\}")
_LANG = regex.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?")


@dataclass(frozen=True, slots=True)
class CannedReply:
    """One canned reply. `source` names the file it came from, for "where do I change this"."""

    key: str
    title: str
    lang: str
    text: str
    source: str = ""


def load_canned(directory: Path, extra: Iterable[Path] = ()) -> list[CannedReply]:
    """Load `directory/*.toml`, then `extra`; a broken file raises DataFileError (a ValueError)."""
    replies: dict[tuple[str, str], CannedReply] = {}
    for path in data_files(directory, extra):
        document, entries = read_data_file(path, "reply")
        unknown = sorted(set(document) - {"reply"})
        if unknown:
            raise DataFileError(path, f"unknown top-level key {unknown[0]!r}")
        seen: set[tuple[str, str]] = set()
        for entry in entries:
            entry.check_keys({"key", "title", "lang", "text"})
            key, lang = entry.text("key"), entry.text("lang")
            if not _KEY.fullmatch(key):
                raise entry.error(f"key {key!r} may hold only a-z, 0-9 and _")
            if not _LANG.fullmatch(lang):
                raise entry.error(f"lang {lang!r} is not a language code such as nl or en")
            text = entry.text("text").strip()
            for match in _PLACEHOLDER.finditer(text):
                if match.group(1) not in PLACEHOLDERS:
                    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
                    raise entry.error(f"unknown placeholder {match.group()} (known: {known})")
            if (lang, key) in seen:
                raise entry.error(f"key {key!r} appears twice for lang {lang!r}")
            seen.add((lang, key))
            reply = CannedReply(key, entry.text("title").strip(), lang, text, path.name)
            replies.pop((lang, key), None)  # an override moves to the end, like a new reply
            replies[(lang, key)] = reply
    return list(replies.values())


def render_canned(reply: CannedReply, values: Mapping[str, str]) -> str:
    """Fill the known placeholders that `values` gives; leave every other `{x}` as it is.

    One pass of regex substitution, never `str.format`: a value holding braces (customer names
    can) is inserted literally and never filled in again, and stray braces never raise. An
    unfilled placeholder stays visible, and `check_draft` blocks sending it.
    """

    def fill(match: regex.Match[str]) -> str:
        name = match.group(1)
        if name in PLACEHOLDERS and name in values:
            return str(values[name])
        return match.group()

    return _PLACEHOLDER.sub(fill, reply.text)


def fuzzy_filter(replies: Sequence[CannedReply], query: str) -> list[CannedReply]:
    """The replies matching every word of `query`, best first.

    A word matches a title or key as a subsequence ("lvry" finds "Late delivery") and the text
    as a substring only: nearly any short word is a subsequence of a 300-character text, so that
    would match everything. A contiguous match beats a scattered one, title beats key beats
    text, an early match beats a late one; ties keep the given order. An empty query returns all.
    """
    terms = query.casefold().split()
    if not terms:
        return list(replies)
    scored: list[tuple[float, int, CannedReply]] = []
    for index, reply in enumerate(replies):
        title, key = reply.title.casefold(), reply.key.casefold().replace("_", " ")
        body = reply.text.casefold()
        total = 0.0
        for term in terms:
            found = body.find(term)
            best = max(
                _match_score(term, title) * 3,
                _match_score(term, key) * 2,
                10.0 - min(found, 200) / 100 if found >= 0 else 0.0,
            )
            if best <= 0:
                break
            total += best
        else:
            scored.append((-total, index, reply))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [reply for _, _, reply in scored]


def _match_score(term: str, text: str) -> float:
    """How well `term` matches `text`: 0 when it is not a subsequence, higher when tighter."""
    position = text.find(term)
    if position >= 0:
        at_word_start = position == 0 or not text[position - 1].isalnum()
        return 10.0 + (3.0 if at_word_start else 0.0) - min(position, 200) / 100
    # Greedy left-to-right subsequence; penalise the characters skipped between matches.
    gaps, cursor, first = 0, 0, -1
    for char in term:
        found = text.find(char, cursor)
        if found < 0:
            return 0.0
        if first < 0:
            first = found
        else:
            gaps += found - cursor
        cursor = found + 1
    return max(0.5, 5.0 - gaps / max(len(term), 1) - min(first, 200) / 100)
