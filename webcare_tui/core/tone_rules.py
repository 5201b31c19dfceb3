"""Built-in tone rules: patterns that generalise beyond the phrase lists, one language each.

A phrase list names wordings ("nice try"); a rule names a shape: hindsight advice aimed at the
customer ("you should have <done>", "had je ... moeten"), blame through "because you <got it
wrong>", dismissal ("figure it out"), rhetorical mockery, and the brand defending itself. Each
rule has a name (shown with its finding as `built-in rule en.hindsight`) and a kind, which
decides the code (`tone.lecturing`) and that it blocks. Patterns follow the phrase-list syntax
(`core.tone_lists.compile_phrase`): case-insensitive, a space is any whitespace, no match starts
or ends inside a word, and the draft's typographic apostrophes read as plain ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from webcare_tui.core.tone_lists import compile_phrase

REASONS: dict[str, tuple[str, str]] = {
    "lecturing": (
        "Lectures the customer about what they should have done.",
        "Say what happens now; give the information itself, kindly, without the reproach.",
    ),
    "blaming": (
        "Blames the customer in public.",
        "Describe what happened neutrally and help with the next step.",
    ),
    "dismissive": (
        "Dismisses the customer: they came for help and get a closed door.",
        "Say what you can do, or who can help and how to reach them.",
    ),
    "sarcasm": (
        "Sarcasm at the customer's expense; screenshots of it travel far.",
        "Answer the question itself, plainly and kindly.",
    ),
    "defensive": (
        "Defends the brand instead of helping the customer.",
        "Acknowledge how it went for the customer, then say what you will do.",
    ),
}


@dataclass(frozen=True, slots=True)
class ToneRule:
    """One built-in rule: `lang` None applies to every language."""

    name: str
    lang: str | None
    kind: str
    pattern: str

    @property
    def compiled(self) -> regex.Pattern[str]:
        # Compiled on first use, not at import: a hundred patterns cost half a second, which
        # belongs in the first draft check (a worker), not in the app's start.
        return _compile(self.pattern)

    @property
    def source(self) -> str:
        return f"built-in rule {self.lang or 'any'}.{self.name}"


_compile = cache(compile_phrase)


def rules(lang: str | None, kind: str, *named: tuple[str, str]) -> list[ToneRule]:
    return [ToneRule(name, lang, kind, pattern) for name, pattern in named]


ANY: tuple[ToneRule, ...] = (*rules(None, "sarcasm", ("eye_roll", r"🙄|😒|🤦")),)
