"""The feed's query language: what an agent types after `/`.

    late delivery @me #delivery state:snoozed channel:bluesky "order number"

Words and "quoted phrases" are searched in the full text of every message of a thread;
`@me`, `@AB` and `@none` filter on the assignee; `#tag` on a tag; `state:NAME` and
`channel:NAME` on the thread's state and channel. Terms combine with AND; the same filter given
twice (`state:open state:snoozed`) means either. `parse_query` never raises: a term it cannot
use (`state:bogus`) is kept in `problems`, for the screen to show, and matches nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from webcare_tui.core.model import ThreadState

ME = "@me"
NOBODY = "@none"
# An agent's initials or name; anything longer is text, not an agent.
_MAX_AGENT = 40
_MAX_TERMS = 32
# A one- or two-letter prefix expands to a large share of all words (seconds at 100k
# threads); shorter words are matched whole.
PREFIX_FROM = 3
_PART = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query. Empty tuples mean "any"; `words` are plain text, never FTS syntax."""

    words: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    unassigned: bool = False
    tags: tuple[str, ...] = ()
    states: tuple[ThreadState, ...] = ()
    channels: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing to filter on: the plain feed."""
        return not (
            self.words or self.assignees or self.unassigned or self.tags or self.states
        ) and not (self.channels or self.problems)

    def resolve_me(self, agent: str) -> Query:
        """The same query with `@me` read as `agent`."""
        names = tuple(agent if name == ME else name for name in self.assignees)
        return Query(
            self.words,
            names,
            self.unassigned,
            self.tags,
            self.states,
            self.channels,
            self.problems,
        )


def split_terms(text: str) -> list[str]:
    """Whitespace-separated terms; a double-quoted stretch is one term (without its quotes).

    An unclosed quote runs to the end. Control characters count as whitespace.
    """
    terms: list[str] = []
    buffer: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            if quoted or buffer:
                _flush(terms, buffer, quoted)
            quoted = not quoted
        elif not quoted and (char.isspace() or not char.isprintable()):
            _flush(terms, buffer, quoted)
        elif char.isprintable():
            buffer.append(char)
    _flush(terms, buffer, quoted)
    return terms


def _flush(terms: list[str], buffer: list[str], quoted: bool) -> None:
    term = "".join(buffer).strip()
    buffer.clear()
    if term:
        # A quoted term is always text, even when it reads like a filter.
        terms.append(("\0" if quoted else "") + term)


def parse_query(text: str) -> Query:
    """Parse what the agent typed. Never raises, whatever the string."""
    words: list[str] = []
    assignees: list[str] = []
    tags: list[str] = []
    states: list[ThreadState] = []
    channels: list[str] = []
    problems: list[str] = []
    unassigned = False
    for raw in split_terms(text if isinstance(text, str) else "")[:_MAX_TERMS]:
        if raw.startswith("\0"):
            words.append(raw[1:])
            continue
        lower = raw.lower()
        if lower == NOBODY:
            unassigned = True
        elif lower == ME:
            assignees.append(ME)
        elif raw.startswith("@") and 1 < len(raw) <= _MAX_AGENT:
            assignees.append(raw[1:])
        elif raw.startswith("#") and len(raw) > 1:
            tags.append(lower[1:])
        elif lower.startswith("state:"):
            name = lower[len("state:") :]
            try:
                states.append(ThreadState(name))
            except ValueError:
                choices = ", ".join(s.value for s in ThreadState)
                problems.append(f"no state {name!r} (one of {choices})")
        elif lower.startswith("channel:") and len(raw) > len("channel:"):
            channels.append(lower[len("channel:") :])
        else:
            words.append(raw)
    return Query(
        words=tuple(words),
        assignees=tuple(dict.fromkeys(assignees)),
        unassigned=unassigned,
        tags=tuple(dict.fromkeys(tags)),
        states=tuple(dict.fromkeys(states)),
        channels=tuple(dict.fromkeys(channels)),
        problems=tuple(problems),
    )


def fts_match(words: tuple[str, ...]) -> str | None:
    """An FTS5 MATCH expression that finds every word as text (the last one, from
    PREFIX_FROM characters on, as a prefix, so the feed narrows as one types). Each word is
    a quoted FTS string: operators, column filters and stray quotes in it are only text.
    None when no word has a searchable character."""
    usable = [word for word in words if any(char.isalnum() for char in word)]
    parts = ['"' + word.replace('"', '""') + '"' for word in usable]
    if parts and " " not in usable[-1] and sum(c.isalnum() for c in usable[-1]) >= PREFIX_FROM:
        parts[-1] += "*"
    return " ".join(parts) if parts else None


def _fold(text: str) -> str:
    """Lower case without diacritics, as the full-text index compares words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def snippet(text: str, words: tuple[str, ...], width: int = 16) -> str:
    """About `width` words of `text` around the first of `words` found in it (a word found at
    the start of a longer one counts, as in search), with `…` where text was left out."""
    tokens = text.split()
    keys = [_fold(part) for word in words for part in _PART.findall(word)]
    start = 0
    for index, token in enumerate(tokens):
        folded = [_fold(part) for part in _PART.findall(token)]
        if any(part.startswith(key) for key in keys for part in folded):
            start = max(0, index - width // 3)
            break
    end = start + width
    return ("…" if start else "") + " ".join(tokens[start:end]) + ("…" if end < len(tokens) else "")
