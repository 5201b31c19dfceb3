"""The tone scorer: weighted cues per sentence, for faults no fixed phrase names.

A phrase list names wordings; the scorer names the *signs* of a fault and adds them up. Each
cue (`[[cue]]` in `data/tone/*.toml`) is a pattern with a family (lecturing, blaming,
dismissive, sarcasm, defensive) and a weight: "for a reason" +1.0 lecturing, "simply" +0.5
when the sentence addresses the reader, "sorry" or "I'll" below zero because an apology or a
promise of ownership takes the edge off. A sentence whose cues add up to `THRESHOLD` or more
is a finding of the family that weighed most, and the finding lists every cue that weighed in
with its weight and data line, so a team sees why and knows which line to change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import regex

from webcare_tui.core.findings import Finding

THRESHOLD = 1.0
# A sign of a fault in a sentence that addresses the reader ("you", "u", "je") is aimed at the
# customer, who is then the one at fault: that weighs on top of the signs themselves.
AIMED_AT_READER = 0.3
# A reply without a single sign of care (no apology, offer, thanks or question for details)
# leaves every sign of a fault standing on its own: a bare "Not possible." is a closed door.
COLD_REPLY = 0.2
# ... but only once the signs themselves weigh this much: "Next time you visit, the coffee's
# on us" has one weak sign ("next time") and no fault, however plainly it is written.
LONE_SIGN = 0.6
FAMILIES = ("lecturing", "blaming", "dismissive", "sarcasm", "defensive", "ease")
Needs = str  # "any" or "you": the cue counts only in a sentence that addresses the reader

_SECOND_PERSON = regex.compile(
    r"(?<!\w)(you|your|yours|you're|you've|you'd|yourself|u|uw|je|jij|jou|jouw|jezelf|"
    r"uzelf|jullie)(?!\w)",
    regex.I,
)


@dataclass(frozen=True, slots=True)
class ToneCue:
    """One sign of a tone fault, with how much it weighs; `ease` cues weigh below zero.

    `source` is the data line (`data/tone/cues_en.toml:12`); `lang` is the file's language.
    """

    pattern: str
    family: str
    weight: float
    source: str
    compiled: regex.Pattern[str] = field(compare=False, repr=False)
    lang: str | None = None
    needs: Needs = "any"


@dataclass(frozen=True, slots=True)
class _Hit:
    cue: ToneCue
    start: int
    end: int


def _weighed(hits: list[_Hit], sentence: str) -> list[_Hit]:
    addressed = bool(_SECOND_PERSON.search(sentence))
    seen: set[str] = set()
    kept: list[_Hit] = []
    for hit in hits:
        if hit.cue.source in seen or (hit.cue.needs == "you" and not addressed):
            continue  # one cue counts once per sentence, however often it matches
        seen.add(hit.cue.source)
        kept.append(hit)
    return kept


def score_sentence(
    hits: list[_Hit], sentence: str, cold: bool = False
) -> tuple[float, str | None, list[_Hit]]:
    """(score, family that weighed most or None, the hits that counted) for one sentence.

    `cold`: the whole reply carries no `ease` cue, which weighs on top of any sign of a fault.
    """
    counted = _weighed(hits, sentence)
    score = sum(hit.cue.weight for hit in counted)
    if sum(hit.cue.weight for hit in counted if hit.cue.weight > 0) >= LONE_SIGN:
        score += AIMED_AT_READER if _SECOND_PERSON.search(sentence) else 0.0
        score += COLD_REPLY if cold else 0.0
    by_family: dict[str, float] = {}
    for hit in counted:
        if hit.cue.weight > 0:
            by_family[hit.cue.family] = by_family.get(hit.cue.family, 0.0) + hit.cue.weight
    family = max(by_family, key=lambda name: by_family[name]) if by_family else None
    return score, family, counted


def cue_findings(
    text: str,
    plain: str,
    cues: Iterable[ToneCue],
    lang: str | None,
    spans: Iterable[tuple[int, int]],
    reasons: dict[str, tuple[str, str]],
) -> list[Finding]:
    """Findings for the sentences (`spans` of `text`) whose cues reach `THRESHOLD`.

    `plain` is `text` with typographic quotes made plain (same length), which cues match.
    """
    sentences = list(spans)
    per_sentence: list[list[_Hit]] = [[] for _ in sentences]
    for cue in cues:
        if lang is not None and cue.lang is not None and cue.lang != lang:
            continue
        for match in cue.compiled.finditer(plain):
            for index, (start, end) in enumerate(sentences):
                if start <= match.start() < max(end, start + 1):
                    per_sentence[index].append(_Hit(cue, match.start(), match.end()))
                    break
    cold = not any(hit.cue.family == "ease" for hits in per_sentence for hit in hits)
    found: list[Finding] = []
    for (start, end), hits in zip(sentences, per_sentence, strict=True):
        if not hits:
            continue
        score, family, counted = score_sentence(hits, plain[start:end], cold)
        if family is None or round(score, 2) < THRESHOLD:  # 1.4 - 0.4 is 0.999...
            continue
        reason, fix = reasons[family]
        weighed = ", ".join(
            f"“{text[hit.start : hit.end]}” {hit.cue.weight:+.1f}"
            for hit in sorted(counted, key=lambda hit: hit.start)
        )
        if _SECOND_PERSON.search(plain[start:end]):
            weighed += f", aimed at the reader {AIMED_AT_READER:+.1f}"
        if cold:
            weighed += f", nothing in the reply eases it {COLD_REPLY:+.1f}"
        message = f"“{text[start:end]}”: {reason} Weighed: {weighed} (score {score:.1f})."
        sources = ", ".join(dict.fromkeys(hit.cue.source for hit in counted if hit.cue.weight > 0))
        code = f"tone.{family}"
        found.append(Finding(code, "block", message, fix, (start, end), code, sources))
    return found
