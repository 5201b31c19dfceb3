"""The lexicon: phrase lists that read a customer's intent, spot impostors and suggest tags.

The lists live in TOML (`data/lexicon/*.toml`, format in the header of `en.toml`), one file a
language; every file is read and merged, since customers mix languages. Matching is plain and
explainable: whole words, case-insensitive, a trailing `*` for a word that goes on. Phrases are
indexed by their first word, so a long list costs no more per message than a short one.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webcare_tui.core.canned import DataFileError

INTENTS = ("spam", "complaint", "question", "thanks", "praise", "joke")
"""Every intent the lexicon knows, strongest first: a text shows the first that matches."""


_WORD = re.compile(r"\w+(?:'\w+)*")
# A starred word shorter than this is looked up by scanning; longer ones by their start.
_STEM = 3


def words_of(text: str) -> list[str]:
    """The lower-case words of `text`, as phrases and texts are both read: `hasn't` is one
    word, `e-mail` two."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True, slots=True)
class _Phrase:
    label: str
    words: tuple[str, ...]
    prefix: bool  # the last word may go on

    def at(self, words: list[str], start: int) -> str | None:
        end = start + len(self.words)
        if end > len(words):
            return None
        last = self.words[-1]
        found = words[end - 1]
        if not (found == last or (self.prefix and found.startswith(last))):
            return None
        if len(self.words) > 1 and tuple(words[start : end - 1]) != self.words[:-1]:
            return None
        return " ".join(words[start:end])


class PhraseList:
    """Labelled phrases indexed by their first word, so reading a text costs one look-up per
    word, however many phrases there are. `scan` gives, per label, the first phrase found."""

    def __init__(self, phrases: Iterable[tuple[str, str]] = ()) -> None:
        self._by_first: dict[str, list[_Phrase]] = {}
        self._by_stem: dict[str, list[_Phrase]] = {}
        self._short: list[_Phrase] = []
        for label, text in phrases:
            words = words_of(text.rstrip().removesuffix("*"))
            if not words:
                continue
            phrase = _Phrase(label, tuple(words), text.rstrip().endswith("*"))
            first = words[0]
            if phrase.prefix and len(words) == 1:
                if len(first) >= _STEM:
                    self._by_stem.setdefault(first[:_STEM], []).append(phrase)
                else:
                    self._short.append(phrase)
            else:
                self._by_first.setdefault(first, []).append(phrase)

    def first_words(self, label: str) -> tuple[set[str], set[str]]:
        """The first words of `label`'s phrases: those a word must equal, and those a word
        may go on from (a starred single word)."""
        exact: set[str] = set()
        starts: set[str] = set()
        for group in (*self._by_first.values(), *self._by_stem.values(), self._short):
            for phrase in group:
                if phrase.label == label:
                    single_prefix = phrase.prefix and len(phrase.words) == 1
                    (starts if single_prefix else exact).add(phrase.words[0])
        return exact, starts

    def scan(self, words: list[str]) -> dict[str, str]:
        """Each label found in `words`, with its first phrase as written in the text."""
        found: dict[str, str] = {}
        by_first, by_stem, short = self._by_first, self._by_stem, self._short
        for index, word in enumerate(words):
            for group in (by_first.get(word), by_stem.get(word[:_STEM]), short):
                if not group:
                    continue
                for phrase in group:
                    if phrase.label not in found:
                        match = phrase.at(words, index)
                        if match is not None:
                            found[phrase.label] = match
        return found


_POSES, _ASKS, _TAG = "impostor.poses", "impostor.asks", "tag:"


@dataclass(frozen=True, slots=True)
class Reading:
    """What the lexicon found in one text: labels and the phrase that matched each."""

    found: Mapping[str, str]

    @property
    def intent(self) -> str | None:
        """The strongest intent shown (order of INTENTS), or None."""
        return next((name for name in INTENTS if name in self.found), None)

    @property
    def impostor(self) -> str | None:
        """What a message posing as support asks for (`password`), or None."""
        if _POSES in self.found:
            return self.found.get(_ASKS)
        return None

    def has_tag(self, tag: str) -> bool:
        return _TAG + tag in self.found


class Lexicon:
    """Intent phrases per intent, the impostor's two halves, and phrases per tag."""

    def __init__(
        self,
        intents: Mapping[str, Iterable[str]] | None = None,
        poses: Iterable[str] = (),
        asks: Iterable[str] = (),
        tags: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        labelled = [(name, p) for name, items in (intents or {}).items() for p in items]
        labelled += [(_POSES, p) for p in poses] + [(_ASKS, p) for p in asks]
        labelled += [(_TAG + name, p) for name, items in (tags or {}).items() for p in items]
        self._phrases = PhraseList(labelled)

    def read(self, text: str) -> Reading:
        """Everything the lexicon finds in `text`, in one pass over its words."""
        return Reading(self._phrases.scan(words_of(text)))

    def intent(self, text: str) -> str | None:
        """The strongest intent `text` shows (order of INTENTS), or None."""
        return self.read(text).intent

    def cue(self, intent: str) -> re.Pattern[str]:
        """A pattern found in every lower-cased text that shows `intent` (and in some that do
        not): a quick test that spares reading most texts that cannot show it."""
        exact, starts = self._phrases.first_words(intent)

        def alternatives(words: set[str]) -> str:
            return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))

        # Phrase words begin and end with a word character, so \b is "not inside a word".
        parts = [rf"\b(?:{alternatives(exact)})\b"] if exact else []
        parts += [rf"\b(?:{alternatives(starts)})"] if starts else []
        return re.compile("|".join(parts) or r"(?!)")

    def impostor(self, text: str) -> str | None:
        """What a message posing as support asks for (`password`), or None."""
        return self.read(text).impostor

    def suggest_tags(self, texts: Iterable[str], allowed: Iterable[str]) -> tuple[str, ...]:
        """The `allowed` tags whose phrases occur in `texts`, in the order of `allowed`."""
        readings = [self.read(text) for text in texts]
        return tuple(tag for tag in allowed if any(r.has_tag(tag) for r in readings))


def lexicon_from_documents(documents: Iterable[Mapping[str, Any]]) -> Lexicon:
    """Merge parsed lexicon files. Unknown intents and non-string phrases are refused."""
    intents: dict[str, list[str]] = {}
    poses: list[str] = []
    asks: list[str] = []
    tags: dict[str, list[str]] = {}
    for document in documents:
        for name, phrases in _table(document, "intent").items():
            if name not in INTENTS:
                raise ValueError(f"unknown intent {name!r} (known: {', '.join(INTENTS)})")
            intents.setdefault(name, []).extend(_strings(phrases, f"intent.{name}"))
        impostor = _table(document, "impostor")
        poses += _strings(impostor.get("poses", []), "impostor.poses")
        asks += _strings(impostor.get("asks", []), "impostor.asks")
        for name, phrases in _table(document, "tags").items():
            tags.setdefault(name.lower(), []).extend(_strings(phrases, f"tags.{name}"))
    return Lexicon(intents, poses, asks, tags)


def load_lexicon(directory: Path) -> Lexicon:
    """Read every `*.toml` of `directory`; a broken file raises DataFileError naming it."""
    documents = []
    for path in sorted(directory.glob("*.toml")):
        try:
            documents.append(tomllib.loads(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise DataFileError(path, f"cannot read the lexicon: {error}") from error
    try:
        return lexicon_from_documents(documents)
    except ValueError as error:
        raise DataFileError(directory, str(error)) from error


def _table(document: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = document.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(f"[{key}] must be a table")
    return value


def _strings(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{where} must be a list of strings")
    return list(value)
