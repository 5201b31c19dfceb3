"""The lexicon: phrase lists that read a customer's intent, spot impostors and suggest tags.

The lists live in TOML (`data/lexicon/*.toml`, format in the header of `en.toml`), one file a
language; every file is read and merged, since customers mix languages. Matching is plain and
explainable: whole words, case-insensitive, a trailing `*` for a word that goes on.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from webcare_tui.core.canned import DataFileError

INTENTS = ("spam", "complaint", "question", "thanks", "praise", "joke")
"""Every intent the lexicon knows, strongest first: a text shows the first that matches."""


def compile_phrases(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for a list of phrases; None for an empty list."""
    parts = []
    for phrase in phrases:
        text = phrase.strip().lower()
        prefix = text.endswith("*")
        words = text.rstrip("*").split()
        if not words:
            continue
        body = r"\s+".join(re.escape(word) for word in words)
        parts.append(rf"(?<!\w){body}" + ("" if prefix else r"(?!\w)"))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


@dataclass(frozen=True, slots=True)
class PhraseList:
    """Phrases compiled once; `find` gives the first phrase found in a text, or None."""

    pattern: re.Pattern[str] | None = None

    def find(self, text: str) -> str | None:
        if self.pattern is None:
            return None
        match = self.pattern.search(text)
        return match.group(0).lower() if match else None


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Intent phrases per intent, the impostor's two halves, and phrases per tag."""

    intents: Mapping[str, PhraseList] = field(default_factory=dict)
    poses: PhraseList = PhraseList()
    asks: PhraseList = PhraseList()
    tags: Mapping[str, PhraseList] = field(default_factory=dict)

    def intent(self, text: str) -> str | None:
        """The strongest intent `text` shows (order of INTENTS), or None."""
        for name in INTENTS:
            phrases = self.intents.get(name)
            if phrases is not None and phrases.find(text):
                return name
        return None

    def impostor(self, text: str) -> str | None:
        """What a message posing as support asks for (`password`), or None."""
        if self.poses.find(text) is None:
            return None
        return self.asks.find(text)

    def suggest_tags(self, texts: Iterable[str], allowed: Iterable[str]) -> tuple[str, ...]:
        """The `allowed` tags whose phrases occur in `texts`, in the order of `allowed`."""
        joined = "\n".join(texts)
        return tuple(
            tag for tag in allowed if (p := self.tags.get(tag)) is not None and p.find(joined)
        )


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
    return Lexicon(
        intents={name: PhraseList(compile_phrases(p)) for name, p in intents.items()},
        poses=PhraseList(compile_phrases(poses)),
        asks=PhraseList(compile_phrases(asks)),
        tags={name: PhraseList(compile_phrases(p)) for name, p in tags.items()},
    )


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
