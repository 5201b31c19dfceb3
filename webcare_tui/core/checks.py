"""Checks a reply draft before it goes out, so a reply never embarrasses the brand.

`check_draft` returns findings, each saying what is wrong, why, how to fix it and where.
Blocking (a reply is not sent unless the agent forces it):
- `ownership`: another agent holds the thread, or answered it after this agent opened it;
- `length`: longer than the channel allows, counted as the platform counts (`core.length`);
- `signature`: the last line does not carry this agent's signature (`^AB`);
- `placeholder`: a canned-reply placeholder such as `{first_name}` was never filled in;
- `tone.defensive`, `tone.sarcasm`, `tone.blaming`, `tone.lecturing`, `tone.calm_down`: a
  phrase from the tone lists.
Warning only:
- `marketing`: a promotion in a service reply (phrase lists: promo codes, shop links);
- `tone.shouting`: several capital words in a row (short ones, mostly acronyms, weigh half);
- `tone.exclamations`: three or more `!` in a row, or four or more in the reply;
- `privacy.phone`, `privacy.email`, `privacy.postcode`, `privacy.order_number`: personal
  details in a public reply (not checked in a DM, where they belong).

Tone and marketing phrases live in TOML files (`data/tone/*.toml`) so a team can extend them; the
file format is described in the header of `data/tone/en.toml`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import regex

from webcare_tui.core.canned import PLACEHOLDERS, DataFileError, data_files, read_data_file
from webcare_tui.core.length import length_for, overflow_index, url_spans

Severity = Literal["block", "warn"]
TONE_KINDS: dict[str, Severity] = {
    "defensive": "block",
    "sarcasm": "block",
    "blaming": "block",
    "lecturing": "block",
    "calm_down": "block",
    "marketing": "warn",
}
# A match may not start or end inside a word: "shop" must not fire in "webshops", "u had" not in
# "you had". Written as one assertion so the engine backtracks into shorter alternatives.
_EDGE = r"(?:(?<!\w)|(?!\w))"
# One typographic apostrophe or quote for another, one for one, so spans stay valid.
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "„": '"'})


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
    return regex.compile(f"{_EDGE}(?:{''.join(out)}){_EDGE}", regex.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TonePhrase:
    """One entry of a tone list: what to look for, what kind of slip it is, why, how to fix."""

    pattern: str
    kind: str
    reason: str
    fix: str
    source: str  # "nl.toml [[phrase]] #3", to find the entry to change after a false alarm
    compiled: regex.Pattern[str] = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ToneRules:
    """The loaded phrase lists. Build with `load_tone_rules`."""

    phrases: tuple[TonePhrase, ...] = ()

    def matches(self, text: str) -> Iterator[tuple[TonePhrase, int, int]]:
        """Every (phrase, start, end) found in `text`, typographic quotes read as plain ones."""
        plain = text.translate(_QUOTES)
        for phrase in self.phrases:
            for match in phrase.compiled.finditer(plain):
                yield phrase, match.start(), match.end()


def load_tone_rules(directory: Path, extra: Iterable[Path] = ()) -> ToneRules:
    """Load `directory/*.toml` and then `extra` files; raises DataFileError (a ValueError)."""
    phrases: list[TonePhrase] = []
    for path in data_files(directory, extra):
        document, entries = read_data_file(path, "phrase")
        unknown = sorted(set(document) - {"phrase", "lang"})
        if unknown:
            raise DataFileError(path, f"unknown top-level key {unknown[0]!r}")
        for entry in entries:
            entry.check_keys({"pattern", "kind", "reason", "fix"})
            pattern, kind = entry.text("pattern"), entry.text("kind")
            if kind not in TONE_KINDS:
                raise entry.error(f"kind {kind!r} is not one of {', '.join(TONE_KINDS)}")
            try:
                compiled = compile_phrase(pattern)
            except regex.error as exc:
                raise entry.error(f"pattern {pattern!r} is not a valid regex: {exc}") from exc
            if compiled.search(""):
                raise entry.error(f"pattern {pattern!r} matches empty text")
            source = f"{path.name} [[phrase]] #{entry.number}"
            reason, fix = entry.text("reason"), entry.text("fix")
            phrases.append(TonePhrase(pattern, kind, reason, fix, source, compiled))
    return ToneRules(tuple(phrases))


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with a draft: a `block` stops sending (unless forced), a `warn` only shows."""

    code: str
    severity: Severity
    message: str  # why, in a short English sentence
    fix: str  # what to do about it
    span: tuple[int, int] | None = None  # where in the draft text, half-open


@dataclass(frozen=True, slots=True, kw_only=True)
class DraftContext:
    """Everything the checks need to know about a draft and the thread it answers.

    `agent` is this agent as threads record an assignee (`agent_initials` counts as the same
    person). `signature` is what this agent signs with (`^AB`); empty means `^` + initials.
    `public_contacts` are phone numbers and addresses the brand publishes itself, which a public
    reply may carry, as may the customer's own public `customer_handle`. `lang` is a hint only:
    every language's phrases are checked, because replies mix them ("Sorry, je pakket is late").
    """

    text: str
    channel_kind: str
    length_limit: int  # 0 or less: no limit
    rules: ToneRules
    agent: str = ""
    agent_initials: str = ""
    signature: str = ""
    is_public: bool = True
    customer_handle: str | None = None
    thread_assignee: str | None = None
    replied_since_opened_by: str | None = None
    lang: str | None = None
    public_contacts: tuple[str, ...] = ()


def check_draft(draft: DraftContext) -> list[Finding]:
    """All findings for a draft, blocking ones first, then in text order."""
    findings = [
        *_ownership(draft),
        *_length(draft),
        *_signature(draft),
        *_placeholders(draft.text),
        *_tone(draft),
        *_shouting(draft.text),
        *_exclamations(draft.text),
    ]
    if draft.is_public:  # a DM is where personal details belong
        published = (*draft.public_contacts, (draft.customer_handle or "").lstrip("@"))
        findings += _privacy(draft.text, published)
    findings.sort(key=lambda f: (f.severity != "block", f.span[0] if f.span else -1))
    return findings


def blocking(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that stop a reply from being sent."""
    return [finding for finding in findings if finding.severity == "block"]


def _is_me(name: str, draft: DraftContext) -> bool:
    mine = {me.strip().casefold() for me in (draft.agent, draft.agent_initials) if me.strip()}
    return name.strip().casefold() in mine


def _ownership(draft: DraftContext) -> list[Finding]:
    # Two agents answering one customer twice looks like nobody reads what the other does.
    found = []
    holder, other = draft.thread_assignee, draft.replied_since_opened_by
    if holder and not _is_me(holder, draft):
        fix = f"Leave it to {holder}, or ask them to hand it over before you reply."
        found.append(Finding("ownership", "block", f"This thread is held by {holder}.", fix))
    if other and not _is_me(other, draft):
        why = f"{other} answered this thread after you opened it."
        fix = "Read their reply first; only add what is still missing."
        found.append(Finding("ownership", "block", why, fix))
    return found


def _length(draft: DraftContext) -> list[Finding]:
    if draft.length_limit <= 0:
        return []
    length = length_for(draft.channel_kind, draft.text)
    if length <= draft.length_limit:
        return []
    start = overflow_index(draft.channel_kind, draft.text, draft.length_limit)
    return [
        Finding(
            "length",
            "block",
            f"{length} characters; {draft.channel_kind} allows {draft.length_limit}.",
            f"Cut {length - draft.length_limit} characters, or take the details to a DM.",
            (start, len(draft.text)) if start is not None else None,
        )
    ]


_OTHER_SIGNATURE = regex.compile(r"\^[\p{L}\p{N}]{1,5}")


def _signature(draft: DraftContext) -> list[Finding]:
    expected = draft.signature or (f"^{draft.agent_initials}" if draft.agent_initials else "")
    expected = expected.strip()
    if not expected:
        return []
    body = draft.text.rstrip()
    start = max(body.rfind("\n") + 1, 0)
    last_line = body[start:]
    pattern = regex.compile(f"{_EDGE}{regex.escape(expected)}{_EDGE}", regex.IGNORECASE)
    if pattern.search(last_line):
        return []
    span = (start, len(body)) if body else None
    other = _OTHER_SIGNATURE.search(last_line)
    if other:
        message = f"Signed {other.group()}, but you sign as {expected}."
    else:
        message = "Not signed: customers want to know which person answered."
    return [Finding("signature", "block", message, f"End the reply with {expected}.", span)]


_PLACEHOLDER = regex.compile(r"\{(?:" + "|".join(PLACEHOLDERS) + r")\}")


def _placeholders(text: str) -> list[Finding]:
    return [
        Finding(
            "placeholder",
            "block",
            f"The placeholder {match.group()} was never filled in.",
            "Replace it with the customer's details, or remove it.",
            match.span(),
        )
        for match in _PLACEHOLDER.finditer(text)
    ]


def _tone(draft: DraftContext) -> list[Finding]:
    found: list[Finding] = []
    for phrase, start, end in draft.rules.matches(draft.text):
        code = "marketing" if phrase.kind == "marketing" else f"tone.{phrase.kind}"
        # Two phrases hitting the same words are one problem to fix, not two.
        if any(f.code == code and f.span and f.span[0] < end and start < f.span[1] for f in found):
            continue
        quoted = draft.text[start:end]
        message = f"“{quoted}”: {phrase.reason}"
        found.append(Finding(code, TONE_KINDS[phrase.kind], message, phrase.fix, (start, end)))
    return found


_WORD = regex.compile(r"[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*")
_SHOUT_SCORE = 6  # in half words: three long capital words, or six short ones


def _shouting(text: str) -> list[Finding]:
    # Short capital words (NS, KPN, OK, ID) are usually acronyms, so they weigh half: a run of
    # acronyms is not shouting, "IS DIT NU ECHT ZO MOEILIJK" is.
    found: list[Finding] = []
    run_start, run_end, score = 0, 0, 0

    def close_run() -> None:
        if score >= _SHOUT_SCORE:
            found.append(
                Finding(
                    "tone.shouting",
                    "warn",
                    "Words in capitals read as shouting.",
                    "Write in sentence case; keep capitals for acronyms.",
                    (run_start, run_end),
                )
            )

    for match in _WORD.finditer(text):
        letters = [char for char in match.group() if char.isalpha()]
        if len(letters) <= 1:
            continue  # numbers, "I", "A": neither shouting nor a break
        if any(not char.isupper() for char in letters):
            close_run()
            score = 0
            continue
        if score == 0:
            run_start = match.start()
        score += 2 if len(letters) >= 4 else 1
        run_end = match.end()
    close_run()
    return found


_MARK_RUN = regex.compile(r"[!?！？]+")
_BANG = regex.compile(r"[!！]")


def _exclamations(text: str) -> list[Finding]:
    # "?!" is surprise, "!!" enthusiasm; three in a row, or four in one reply, is a storm.
    runs = (m for m in _MARK_RUN.finditer(text) if len(_BANG.findall(m.group())) >= 3)
    storm = next(runs, None)
    span: tuple[int, int] | None = storm.span() if storm else None
    if span is None:
        bangs = list(_BANG.finditer(text))
        if len(bangs) < 4:
            return []
        span = bangs[3].span()
    return [
        Finding(
            "tone.exclamations",
            "warn",
            "So many exclamation marks read as shouting or forced cheer.",
            "Keep one exclamation mark at most per sentence, and few in the reply.",
            span,
        )
    ]


# Personal details in a public reply. Each pattern is followed by a check in code where a regex
# alone would misfire (dates that look like phone numbers, the brand's own service numbers).
_PHONE = regex.compile(r"(?<![\w+])(?:\+|00)?\d(?:(?:[ .-]|\s?\(0\)\s?)?\d){6,16}(?!\w)")
_SERVICE_NUMBER = ("0800", "0900", "0906", "0909", "088")  # the brand's, never the customer's
_EMAIL = regex.compile(r"(?<![\w.+@-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# Role addresses are the brand's own or a company's: a public reply may name them.
_ROLE_MAILBOX = regex.compile(
    r"(?:info|service|support|help|contact|klantenservice|webcare|noreply|no-reply)@", regex.I
)
# Dutch postcodes have no SA, SD or SS; MB/GB/KB/TB/PK/KW after a number are units.
_POSTCODE = regex.compile(r"(?<![\w-])[1-9]\d{3} ?(?!S[ADS]|[MGKT]B|PK|KW)[A-Z]{2}(?![\w-])")
# "ordernummer 123456", "order #123456", "order 123456" (a bare number needs five digits).
_ORDER = regex.compile(
    r"\b(?:order|bestelling|bestel|klant|customer|account|factuur|invoice|contract|abonnements?"
    r"|booking|reservering)(?:[ -]?(?:nummer|number|nr\.?|no\.?|id)|(?=\s*#)"
    r"|(?=\s+[A-Z]{0,4}-?\d{5,}))\s*(?:(?:is|was)\s+)?[:#]?\s*"
    r"(?P<number>[A-Z]{0,4}-?\d{4,}(?:-\d+)*)(?!\w)",
    regex.IGNORECASE,
)
_PRIVACY_TEXT = {
    "privacy.phone": "A phone number in a public reply",
    "privacy.email": "An e-mail address in a public reply",
    "privacy.postcode": "A postcode in a public reply",
    "privacy.order_number": "An order or customer number in a public reply",
}


def _is_phone(candidate: str) -> bool:
    digits = regex.sub(r"\D", "", candidate.replace("(0)", ""))
    if candidate.startswith(("+", "00")):
        body = digits[2:] if candidate.startswith("00") else digits
        if body.startswith("31"):
            digits = "0" + body[2:]  # a Dutch number written internationally
        else:
            return 9 <= len(body) <= 15
    # A Dutch number has ten digits and at most one dash; "01-05-2026 10" is a date and a time.
    return (
        len(digits) == 10
        and candidate.count("-") <= 1
        and "." not in candidate
        and not digits.startswith(_SERVICE_NUMBER)
    )


def _privacy(text: str, public_contacts: Sequence[str]) -> list[Finding]:
    links = url_spans(text)
    published = {regex.sub(r"[^\w@.]", "", c).casefold() for c in public_contacts}
    hits: list[tuple[str, tuple[int, int]]] = []
    for match in _ORDER.finditer(text):
        hits.append(("privacy.order_number", match.span("number")))
    for match in _PHONE.finditer(text):
        if _is_phone(match.group()):
            hits.append(("privacy.phone", match.span()))
    for match in _EMAIL.finditer(text):
        if not _ROLE_MAILBOX.match(match.group()):
            hits.append(("privacy.email", match.span()))
    for match in _POSTCODE.finditer(text):
        hits.append(("privacy.postcode", match.span()))
    found: list[Finding] = []
    taken: list[tuple[int, int]] = list(links)  # inside a link is a URL, not a detail
    for code, (start, end) in hits:  # order numbers first: they win over "phone numbers"
        if any(start < e and s < end for s, e in taken):
            continue
        if regex.sub(r"[^\w@.]", "", text[start:end]).casefold() in published:
            continue
        taken.append((start, end))
        found.append(
            Finding(
                code,
                "warn",
                f"{_PRIVACY_TEXT[code]}: everyone can read it.",
                "Ask the customer to send it in a DM, and leave it out of public replies.",
                (start, end),
            )
        )
    return sorted(found, key=lambda f: f.span or (0, 0))
