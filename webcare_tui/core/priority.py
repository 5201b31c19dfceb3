"""Priority: which waiting customer matters most, with the reason in plain words.

A number (higher first) and a reason such as `why: 80k followers; 3rd contact today`. Every
part is additive and shown, so an agent can check the ranking instead of trusting it:

- reach: 1k followers or more (10 points at 1k, 10 more for each tenfold, at most 40), and
  reposts (2 points each, at most 20; named from 5);
- repeat contact: the customer's third message (or later) within 24 hours, counted across
  their channels where the handle matches, adds 25 (`3rd contact today`); otherwise three or
  more in 30 days add 10 (`4 contacts in 30 days`);
- intent, from the lexicon: complaint +20, question +10, thanks -15, praise -10, joke -10,
  spam -30;
- impostor: a message in the thread posing as our support and asking for a password, card
  digits or a login adds 100 and leads the reason (`IMPOSTOR asks for password`).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from webcare_tui.core.lexicon import Lexicon

BASE = 50
INTENT_POINTS = {
    "complaint": 20,
    "question": 10,
    "thanks": -15,
    "praise": -10,
    "joke": -10,
    "spam": -30,
}
IMPOSTOR_POINTS = 100
DAY = timedelta(hours=24)
MONTH = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Signals:
    """What priority is computed from, for one thread.

    `customer_texts` are the customer's messages (newest last); `other_texts` everything else
    written in the thread by someone who is not us (where an impostor answers). `contacts` are
    the times of every message this customer sent us, on any channel, sorted; `at` is the
    thread's newest customer message.
    """

    followers: int | None
    customer_texts: Sequence[str]
    other_texts: Sequence[str] = ()
    contacts: Sequence[datetime] = ()
    at: datetime | None = None
    reposts: int = 0


@dataclass(frozen=True, slots=True)
class Priority:
    """A thread's priority: `score` (higher first), the parts' `reasons`, the intent found,
    and what an impostor in the thread asks for (None when there is none)."""

    score: int
    reasons: tuple[str, ...]
    intent: str | None = None
    impostor: str | None = None

    @property
    def reason(self) -> str:
        """`why: 80k followers; 3rd contact today`, or empty when nothing stands out."""
        return "why: " + "; ".join(self.reasons) if self.reasons else ""


def ordinal(number: int) -> str:
    """`1st`, `2nd`, `3rd`, `4th`, `11th`, `21st`."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def short_count(number: int) -> str:
    """`950`, `1.2k`, `80k`, `3.4M`: how reach reads at a glance."""
    if number < 1000:
        return str(number)
    for size, unit in ((1_000_000, "M"), (1000, "k")):
        if number >= size:
            value = number / size
            text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return text.removesuffix(".0") + unit
    return str(number)  # pragma: no cover - the loop always returns


def contacts_within(contacts: Sequence[datetime], at: datetime, span: timedelta) -> int:
    """How many of the sorted `contacts` fall in the `span` that ends at `at`: after
    `at - span`, up to and including `at`."""
    return bisect_right(contacts, at) - bisect_right(contacts, at - span)


def score(signals: Signals, lexicon: Lexicon) -> Priority:
    """The thread's priority from its signals."""
    points = BASE
    reasons: list[str] = []
    readings = [lexicon.read(text) for text in signals.customer_texts]
    others = [lexicon.read(text) for text in signals.other_texts]
    impostor = next((r.impostor for r in (*others, *readings) if r.impostor), None)
    if impostor:
        points += IMPOSTOR_POINTS
        reasons.append(f"IMPOSTOR asks for {impostor}")
    followers = signals.followers or 0
    if followers >= 1000:
        points += min(40, round(10 * math.log10(followers / 100)))
        reasons.append(f"{short_count(followers)} followers")
    if signals.reposts > 0:
        points += min(20, 2 * signals.reposts)
        if signals.reposts >= 5:
            reasons.append(f"{signals.reposts} reposts")
    if signals.at is not None and signals.contacts:
        today = contacts_within(signals.contacts, signals.at, DAY)
        month = contacts_within(signals.contacts, signals.at, MONTH)
        if today >= 3:
            points += 25
            reasons.append(f"{ordinal(today)} contact today")
        elif month >= 3:
            points += 10
            reasons.append(f"{month} contacts in 30 days")
    intent = next((r.intent for r in reversed(readings) if r.intent), None)
    if intent:
        points += INTENT_POINTS[intent]
        reasons.append(intent)
    return Priority(max(0, points), tuple(reasons), intent, impostor)
