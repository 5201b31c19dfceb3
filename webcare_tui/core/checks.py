"""Checks a reply draft before it goes out, so a reply never embarrasses the brand.

`check_draft` returns findings, each saying what is wrong, why, how to fix it, where, and which
rule from which data line (`Finding.rule`, `Finding.source`). Blocking (a reply is not sent
unless the agent forces it):
- `ownership`: another agent holds the thread, or answered it after this agent opened it;
- `length`: longer than the channel allows, counted as the platform counts (`core.length`);
- `signature`: the last line does not carry this agent's signature (`^AB`);
- `placeholder`: a canned-reply placeholder such as `{first_name}` was never filled in;
- `tone.lecturing`, `tone.blaming`, `tone.dismissive`, `tone.sarcasm`, `tone.defensive`,
  `tone.calm_down`: a phrase from the tone lists or a built-in rule (`core.tone`), in the
  draft's own language (`core.language`), or a sentence whose weighted cues add up past the
  scorer's threshold (`core.tone_score`, cues in `data/tone/cues_*.toml`);
- `tone.shouting`: a sentence mostly in capitals, or "!!!";
- `privacy.*`: phone numbers, e-mail and street addresses, IBANs, postcodes with a house number
  and order numbers in a public reply (`core.privacy`; never checked in a DM).
Warning only: `marketing` (promotions), `tone.exclamations` (four or more `!`), a postcode
without a house number, a role mailbox (`info@...`) that is not among the team's contacts.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from webcare_tui.core.canned import PLACEHOLDERS
from webcare_tui.core.findings import Finding as Finding
from webcare_tui.core.findings import Severity as Severity
from webcare_tui.core.findings import blocking as blocking
from webcare_tui.core.language import detect_language
from webcare_tui.core.length import length_for, overflow_index
from webcare_tui.core.privacy import privacy_findings
from webcare_tui.core.tone import exclamations, shouting, tone_findings
from webcare_tui.core.tone_lists import EDGE, ToneRules
from webcare_tui.core.tone_lists import compile_phrase as compile_phrase
from webcare_tui.core.tone_lists import load_tone_rules as load_tone_rules


@dataclass(frozen=True, slots=True, kw_only=True)
class DraftContext:
    """Everything the checks need to know about a draft and the thread it answers.

    `agent` is this agent as threads record an assignee (`agent_initials` counts as the same
    person). `signature` is what this agent signs with (`^AB`); empty means `^` + initials.
    `private`: the reply goes out as a direct message, where personal details belong, so no
    privacy check applies. `contacts` are the team's own published phone numbers and addresses
    (`[team] contacts`), which a public reply may carry, as may the customer's own public
    `customer_handle`. `thread_language` ("nl", "en") is the language of the customer's
    messages: the tone patterns follow the draft's own language, and this one when the draft
    is too short to tell.
    """

    text: str
    channel_kind: str
    length_limit: int  # 0 or less: no limit
    rules: ToneRules
    agent: str = ""
    agent_initials: str = ""
    signature: str = ""
    private: bool = False
    customer_handle: str | None = None
    thread_assignee: str | None = None
    replied_since_opened_by: str | None = None
    thread_language: str | None = None
    contacts: tuple[str, ...] = ()


def draft_language(draft: DraftContext) -> str | None:
    """The language whose tone patterns apply to the draft; None applies every language's."""
    return detect_language(draft.text, draft.thread_language)


def check_draft(draft: DraftContext) -> list[Finding]:
    """All findings for a draft, blocking ones first, then in text order."""
    findings = [
        *_ownership(draft),
        *_length(draft),
        *_signature(draft),
        *_placeholders(draft.text),
        *tone_findings(draft.text, draft.rules, draft_language(draft)),
        *shouting(draft.text),
        *exclamations(draft.text),
    ]
    if not draft.private:  # a DM is where personal details belong
        published = (*draft.contacts, (draft.customer_handle or "").lstrip("@"))
        findings += privacy_findings(draft.text, published)
    findings.sort(key=lambda f: (f.severity != "block", f.span[0] if f.span else -1))
    return findings


def _blocks(code: str, message: str, fix: str, span: tuple[int, int] | None = None) -> Finding:
    return Finding(code, "block", message, fix, span, code, f"built-in check {code}")


def _is_me(name: str, draft: DraftContext) -> bool:
    mine = {me.strip().casefold() for me in (draft.agent, draft.agent_initials) if me.strip()}
    return name.strip().casefold() in mine


def _ownership(draft: DraftContext) -> list[Finding]:
    # Two agents answering one customer twice looks like nobody reads what the other does.
    found: list[Finding] = []
    holder, other = draft.thread_assignee, draft.replied_since_opened_by
    if holder and not _is_me(holder, draft):
        fix = f"Leave it to {holder}, or ask them to hand it over before you reply."
        found.append(_blocks("ownership", f"This thread is held by {holder}.", fix))
    if other and not _is_me(other, draft):
        why = f"{other} answered this thread after you opened it."
        fix = "Read their reply first; only add what is still missing."
        found.append(_blocks("ownership", why, fix))
    return found


def _length(draft: DraftContext) -> list[Finding]:
    if draft.length_limit <= 0:
        return []
    length = length_for(draft.channel_kind, draft.text)
    if length <= draft.length_limit:
        return []
    start = overflow_index(draft.channel_kind, draft.text, draft.length_limit)
    return [
        _blocks(
            "length",
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
    pattern = regex.compile(f"{EDGE}{regex.escape(expected)}{EDGE}", regex.IGNORECASE)
    if pattern.search(last_line):
        return []
    span = (start, len(body)) if body else None
    other = _OTHER_SIGNATURE.search(last_line)
    if other:
        message = f"Signed {other.group()}, but you sign as {expected}."
    else:
        message = "Not signed: customers want to know which person answered."
    return [_blocks("signature", message, f"End the reply with {expected}.", span)]


_PLACEHOLDER = regex.compile(r"\{(?:" + "|".join(PLACEHOLDERS) + r")\}")


def _placeholders(text: str) -> list[Finding]:
    return [
        _blocks(
            "placeholder",
            f"The placeholder {match.group()} was never filled in.",
            "Replace it with the customer's details, or remove it.",
            match.span(),
        )
        for match in _PLACEHOLDER.finditer(text)
    ]
