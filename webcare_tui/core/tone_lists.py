"""The tone phrase lists a team extends (`data/tone/*.toml`): loading and compiling them.

Each file may say `lang = "nl"`: its phrases then apply only to drafts in that language, so the
English "nice try" never fires inside Dutch text. A file without `lang` applies to every draft.
The file format is documented in the header of `data/tone/en.toml`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import regex

from webcare_tui.core.datafiles import DataEntry, DataFileError, data_files, read_data_file
from webcare_tui.core.findings import Severity
from webcare_tui.core.tone_score import FAMILIES, ToneCue

TONE_KINDS: dict[str, Severity] = {
    "defensive": "block",
    "sarcasm": "block",
    "blaming": "block",
    "lecturing": "block",
    "dismissive": "block",
    "calm_down": "block",
    "marketing": "warn",
}
Aim = Literal["any", "customer"]
# A match may not start or end inside a word: "shop" must not fire in "webshops", "u had" not in
# "you had". Written as one assertion so the engine backtracks into shorter alternatives.
EDGE = r"(?:(?<!\w)|(?!\w))"
# One typographic apostrophe or quote for another, one for one, so spans stay valid.
QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"'})


def compile_phrase(pattern: str) -> regex.Pattern[str]:
    """Compile a tone-list pattern: case-insensitive, a space matches any run of whitespace."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == " " and not in_class:
            while i + 1 < len(pattern) and pattern[i + 1] == " ":
                i += 1
            out.append(r"(?:\s+)")
        else:
            in_class = (in_class and char != "]") or (not in_class and char == "[")
            out.append(char)
        i += 1
    return regex.compile(f"{EDGE}(?:{''.join(out)}){EDGE}", regex.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TonePhrase:
    """One entry of a tone list: what to look for, what kind of slip it is, why, how to fix.

    `source` is the file and line of the entry (`data/tone/nl.toml:42`), to find the entry to
    change after a false alarm. `lang` is the file's language (None: every language). `aim`
    "customer" means the phrase is only a slip when aimed at the customer: "Pech gehad,
    puzzelredactie" is a joke at a third party's expense.
    """

    pattern: str
    kind: str
    reason: str
    fix: str
    source: str
    compiled: regex.Pattern[str] = field(compare=False, repr=False)
    lang: str | None = None
    aim: Aim = "any"

    @property
    def severity(self) -> Severity:
        return TONE_KINDS[self.kind]


@dataclass(frozen=True, slots=True)
class ToneRules:
    """The loaded phrase lists and scorer cues. Build with `load_tone_rules`."""

    phrases: tuple[TonePhrase, ...] = ()
    cues: tuple[ToneCue, ...] = ()

    def matches(self, text: str, lang: str | None = None) -> Iterator[tuple[TonePhrase, int, int]]:
        """Every (phrase, start, end) in `text`, typographic quotes read as plain ones.

        With `lang`, phrases of another language's file are skipped; None checks them all.
        """
        plain = text.translate(QUOTES)
        for phrase in self.phrases:
            if lang is not None and phrase.lang is not None and phrase.lang != lang:
                continue
            for match in phrase.compiled.finditer(plain):
                yield phrase, match.start(), match.end()


def _label(path: Path, directory: Path) -> str:
    # Packaged files read as "data/tone/nl.toml"; a team's own file keeps its full path.
    if path.parent == directory:
        return f"{directory.parent.name}/{directory.name}/{path.name}"
    return str(path)


def _compiled(entry: DataEntry, pattern: str) -> regex.Pattern[str]:
    try:
        compiled = compile_phrase(pattern)
    except regex.error as exc:
        raise entry.error(f"pattern {pattern!r} is not a valid regex: {exc}") from exc
    if compiled.search(""):
        raise entry.error(f"pattern {pattern!r} matches empty text")
    return compiled


def _cue(entry: DataEntry, where: str, lang: str | None) -> ToneCue:
    entry.check_keys({"pattern", "family", "weight", "needs"})
    pattern, family = entry.text("pattern"), entry.text("family")
    if family not in FAMILIES:
        raise entry.error(f"family {family!r} is not one of {', '.join(FAMILIES)}")
    weight = entry.values.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not -5 <= weight <= 5:
        raise entry.error("`weight` must be a number from -5 to 5")
    if (family == "ease") != (weight < 0):
        raise entry.error("an `ease` cue weighs below zero, every other family above")
    needs = entry.values.get("needs", "any")
    if needs not in ("any", "you"):
        raise entry.error(f"needs {needs!r} is not one of any, you")
    return ToneCue(pattern, family, float(weight), where, _compiled(entry, pattern), lang, needs)


def load_tone_rules(directory: Path, extra: Iterable[Path] = ()) -> ToneRules:
    """Load `directory/*.toml` and then `extra` files; raises DataFileError (a ValueError)."""
    phrases: list[TonePhrase] = []
    cues: list[ToneCue] = []
    for path in data_files(directory, extra):
        document, entries = read_data_file(path, "phrase")
        unknown = sorted(set(document) - {"phrase", "cue", "lang"})
        if unknown:
            raise DataFileError(path, f"unknown top-level key {unknown[0]!r}")
        lang = document.get("lang")
        if lang is not None and (
            not isinstance(lang, str) or not regex.fullmatch("[a-z]{2}", lang)
        ):
            raise DataFileError(path, "`lang` must be a two-letter language code such as nl")
        label = _label(path, directory)
        for entry in entries:
            entry.check_keys({"pattern", "kind", "reason", "fix", "aim"})
            pattern, kind = entry.text("pattern"), entry.text("kind")
            if kind not in TONE_KINDS:
                raise entry.error(f"kind {kind!r} is not one of {', '.join(TONE_KINDS)}")
            aim = entry.values.get("aim", "any")
            if aim not in ("any", "customer"):
                raise entry.error(f"aim {aim!r} is not one of any, customer")
            compiled = _compiled(entry, pattern)
            where = f"{label}:{entry.line}" if entry.line else label
            reason, fix = entry.text("reason"), entry.text("fix")
            phrases.append(TonePhrase(pattern, kind, reason, fix, where, compiled, lang, aim))
        for entry in read_data_file(path, "cue")[1]:
            cues.append(_cue(entry, f"{label}:{entry.line}" if entry.line else label, lang))
    return ToneRules(tuple(phrases), tuple(cues))
