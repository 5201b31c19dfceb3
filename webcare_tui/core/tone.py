"""The tone checks of a draft: phrase lists, built-in rules, shouting and exclamation storms.

Only the patterns of the draft's own language apply (`core.language`); a draft too short to
tell uses the thread's language, and with neither every language's patterns apply. A phrase
marked `aim = "customer"` is a joke, not a slip, when it is aimed elsewhere: at a third party
("Jammer dan voor Den Haag", "Pech gehad, puzzelredactie") or at ourselves.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from webcare_tui.core.findings import Finding
from webcare_tui.core.tone_lists import QUOTES, TONE_KINDS, ToneRules
from webcare_tui.core.tone_rules import ANY, REASONS
from webcare_tui.core.tone_rules_en import EN
from webcare_tui.core.tone_rules_nl import NL
from webcare_tui.core.tone_score import cue_findings

RULES = (*EN, *NL, *ANY)

_SECOND_PERSON = regex.compile(
    r"(?<!\w)(you|your|yours|you're|you've|u|uw|je|jij|jou|jouw|jullie)(?!\w)", regex.I
)
_FIRST_PERSON = regex.compile(r"(?<!\w)(we|wij|ons|onze|us|our|ik|i|me|mij)(?!\w)", regex.I)
# "voor Den Haag", "for the Dutch team": the joke has a target, and it is not the customer.
_FOR_SOMEONE = regex.compile(r"\s*,?\s*(voor|for)\s+(\w+)", regex.I)
# "Pech gehad, puzzelredactie:" addresses someone by name or role in one or two words.
_VOCATIVE = regex.compile(r"\s*,\s*(\w[\w-]*(?:\s+\w[\w-]*)?)\s*[:!.…]", regex.I)
_HONORIFIC = regex.compile(r"(?<!\w)(meneer|mevrouw|sir|madam|mate|vriend|friend)(?!\w)", regex.I)
_SENTENCE_END = regex.compile(r"[.!?…]+\s+|\n+")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, roughly: split after . ! ? … and at line breaks."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            yield start, match.start() + len(match.group().rstrip())
        start = match.end()
    if start < len(text):
        yield start, len(text)


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    for first, last in sentences(text):
        if first <= start < max(last, first + 1):
            return first, max(last, end)
    return start, end


def aimed_elsewhere(text: str, start: int, end: int) -> bool:
    """Whether the words at `start:end` are aimed at someone other than the customer."""
    after = text[end:]
    target = _FOR_SOMEONE.match(after)
    if target and not _SECOND_PERSON.fullmatch(target.group(2)):
        return True
    vocative = _VOCATIVE.match(after)
    if vocative and not (
        _SECOND_PERSON.search(vocative.group(1)) or _HONORIFIC.search(vocative.group(1))
    ):
        return True
    first, last = _sentence_around(text, start, end)
    sentence = text[first:last]
    return bool(_FIRST_PERSON.search(sentence)) and not _SECOND_PERSON.search(sentence)


def tone_findings(text: str, rules: ToneRules, lang: str | None) -> list[Finding]:
    """Findings from the phrase lists and the built-in rules for `lang` (None: all of them)."""
    plain = text.translate(QUOTES)
    found: list[Finding] = []

    def add(kind: str, start: int, end: int, reason: str, fix: str, source: str) -> None:
        code = "marketing" if kind == "marketing" else f"tone.{kind}"
        # Two patterns hitting the same words are one problem to fix, not two.
        if any(f.code == code and f.span and f.span[0] < end and start < f.span[1] for f in found):
            return
        message = f"“{text[start:end]}”: {reason}"
        found.append(Finding(code, TONE_KINDS[kind], message, fix, (start, end), code, source))

    for phrase, start, end in rules.matches(text, lang):
        if phrase.aim == "customer" and aimed_elsewhere(plain, start, end):
            continue
        add(phrase.kind, start, end, phrase.reason, phrase.fix, phrase.source)
    for rule in RULES:
        if lang is not None and rule.lang is not None and rule.lang != lang:
            continue
        for match in rule.compiled.finditer(plain):
            reason, fix = REASONS[rule.kind]
            add(rule.kind, match.start(), match.end(), reason, fix, rule.source)
    # The scorer speaks only where no fixed phrase or rule already did: one fault, one finding.
    covered = [f.span for f in found if f.span and f.severity == "block"]
    spans = [
        (start, end)
        for start, end in sentences(text)
        if not any(first < end and start < last for first, last in covered)
    ]
    found += cue_findings(text, plain, rules.cues, lang, spans, REASONS)
    return found


_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*")
_SHOUT_RUN = 5  # capital words in a row, in points: 2 for four letters or more, else 1
_SHOUT_WORDS = 3  # ... or this many capital words of four letters or more
_SHOUT_SHARE = 0.5  # ... holding more than half the letters of such words in the sentence
_CAPITALS = "A sentence in capitals reads as shouting at the customer."
_STORM = "“!!!” reads as shouting at the customer."
_SHOUTING_FIX = "Write in sentence case; keep capitals for acronyms, one ! at most."


def _is_loud(words: list[str]) -> bool:
    run = best = 0
    long_letters = long_upper = long_capitals = 0
    for word in words:
        letters = [char for char in word if char.isalpha()]
        if len(letters) <= 1:
            continue  # "I", "A", numbers: neither shouting nor calm
        capital = all(char.isupper() for char in letters)
        run = run + (2 if len(letters) >= 4 else 1) if capital else 0
        best = max(best, run)
        if len(letters) >= 4:
            long_letters += len(letters)
            long_upper += sum(char.isupper() for char in letters)
            long_capitals += capital
    mostly = long_capitals >= _SHOUT_WORDS and long_upper > long_letters * _SHOUT_SHARE
    return best >= _SHOUT_RUN or mostly


def shouting(text: str) -> list[Finding]:
    """Sentences mostly in capitals, or "!!!": both read as shouting at the customer, and block.

    Short capital words (NS, KPN, FAQ) are usually acronyms, so they weigh half in a run and not
    at all in the share: a sentence of acronyms is not shouting, "IS DIT NU ECHT ZO MOEILIJK" is.
    """

    def shout(span: tuple[int, int], message: str, rule: str) -> Finding:
        return Finding(
            "tone.shouting", "block", message, _SHOUTING_FIX, span, "tone.shouting", rule
        )

    found = [
        shout((start, end), _CAPITALS, "built-in rule any.capitals")
        for start, end in sentences(text)
        if _is_loud([m.group() for m in _WORD.finditer(text, start, end)])
    ]
    storm = next((m for m in _MARK_RUN.finditer(text) if len(_BANG.findall(m.group())) >= 3), None)
    if storm and not any(f.span and f.span[0] <= storm.start() < f.span[1] for f in found):
        found.append(shout(storm.span(), _STORM, "built-in rule any.exclamation_storm"))
    return found


_MARK_RUN = regex.compile(r"[!?！？]+")
_BANG = regex.compile(r"[!！]")


def exclamations(text: str) -> list[Finding]:
    """Four or more `!` in one reply (none three in a row, which is shouting): forced cheer."""
    if any(len(_BANG.findall(m.group())) >= 3 for m in _MARK_RUN.finditer(text)):
        return []  # already shouting, which blocks
    bangs = list(_BANG.finditer(text))
    if len(bangs) < 4:
        return []
    return [
        Finding(
            "tone.exclamations",
            "warn",
            "So many exclamation marks read as forced cheer.",
            "Keep one exclamation mark at most per sentence, and few in the reply.",
            bangs[3].span(),
            "tone.exclamations",
            "built-in rule any.exclamations",
        )
    ]
