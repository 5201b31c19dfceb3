"""The digest: the voice of the customer in Markdown, for product and communication teams.

Top tags of the period (with the period before it for comparison), rising topics (tags that
grew the most), and three quoted complaints per tag, newest first. Quoted text comes from
strangers: it is flattened to one line and every character Markdown or HTML would read as
syntax is escaped, so a quote can neither format the digest nor inject links or tags.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.lexicon import Lexicon

QUOTES_PER_TAG = 3
_QUOTE_LIMIT = 280
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
UNTAGGED = "(untagged)"


@dataclass(frozen=True, slots=True)
class CustomerMessage:
    """A customer's message with its thread's tags, as the digest reads it."""

    thread_id: int
    channel: str
    author: str
    created_at: datetime
    text: str
    tags: tuple[str, ...]


def markdown_safe(text: str, limit: int = _QUOTE_LIMIT) -> str:
    """`text` as inert Markdown on one line: control characters and line breaks become spaces,
    HTML's `& < >` entities, and Markdown's punctuation is backslash-escaped."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    flat = "".join(_HTML.get(c, c) for c in flat)
    return _MARKDOWN.sub(r"\\\1", flat)


@dataclass(frozen=True, slots=True)
class DigestCounts:
    """The period's threads and customer messages, and threads per tag in it (`now`) and in the
    period of the same length before it (`before`); a thread without tags counts as UNTAGGED."""

    threads: int
    messages: int
    now: Mapping[str, int]
    before: Mapping[str, int]


def complaint_test(lexicon: Lexicon) -> Callable[[str], bool]:
    """Whether a text's intent is a complaint. A quick pattern skips the texts no complaint
    phrase can match, so only the rest are read in full."""
    cue = lexicon.cue("complaint").search

    def is_complaint(text: str) -> bool:
        return cue(text.lower()) is not None and lexicon.intent(text) == "complaint"

    return is_complaint


def build_digest(
    messages: Iterable[CustomerMessage],
    lexicon: Lexicon,
    *,
    since: datetime,
    until: datetime,
    title: str = "Voice of the customer",
) -> str:
    """The digest of customer messages written from `since` to `until`; messages from the
    period of the same length before `since` count only for "rising"."""
    previous_start = since - (until - since)
    current = [
        m
        for m in messages
        if since <= m.created_at <= until or previous_start <= m.created_at < since
    ]
    earlier = [m for m in current if m.created_at < since]
    current = [m for m in current if m.created_at >= since]
    counts = DigestCounts(
        len({m.thread_id for m in current}),
        len(current),
        _threads_per_tag(current),
        _threads_per_tag(earlier),
    )
    is_complaint = complaint_test(lexicon)
    complaints = [m for m in current if is_complaint(m.text)]
    complaints.sort(key=lambda m: m.created_at, reverse=True)
    return render_digest(counts, complaints, since=since, until=until, title=title)


def render_digest(
    counts: DigestCounts,
    complaints: Sequence[CustomerMessage],
    *,
    since: datetime,
    until: datetime,
    title: str = "Voice of the customer",
) -> str:
    """The digest's Markdown from its counts and the period's complaints, newest first."""
    before, now_counts = counts.before, counts.now
    lines = [
        f"# {markdown_safe(title)}: {since.date().isoformat()} to {until.date().isoformat()}",
        "",
        f"{counts.threads} threads, {counts.messages} customer messages.",
        "",
        "## Top tags",
        "",
    ]
    if now_counts:
        lines += ["| tag | threads | the period before |", "| --- | ---: | ---: |"]
        for tag, count in sorted(now_counts.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"| {markdown_safe(tag)} | {count} | {before.get(tag, 0)} |")
    else:
        lines.append("No customer messages in this period.")
    lines += ["", "## Rising topics", ""]
    rising = sorted(
        ((tag, count - before.get(tag, 0)) for tag, count in now_counts.items()),
        key=lambda kv: (-kv[1], kv[0]),
    )
    rising = [(tag, gain) for tag, gain in rising if gain > 0][:5]
    if rising:
        for tag, gain in rising:
            lines.append(
                f"- **{markdown_safe(tag)}**: {now_counts[tag]} threads, "
                f"up {gain} from {before.get(tag, 0)}"
            )
    else:
        lines.append("Nothing grew compared with the period before.")
    lines += ["", "## Complaints", ""]
    by_tag: dict[str, list[CustomerMessage]] = {}
    for message in complaints:
        for tag in message.tags or (UNTAGGED,):
            by_tag.setdefault(tag, []).append(message)
    if not by_tag:
        lines.append("No complaints in this period.")
    for tag in sorted(by_tag, key=lambda t: (-len(by_tag[t]), t)):
        lines += [f"### {markdown_safe(tag)} ({len(by_tag[tag])})", ""]
        for message in by_tag[tag][:QUOTES_PER_TAG]:
            lines.append(f"> {markdown_safe(message.text)}")
            lines.append(
                f"> — {markdown_safe(message.author, 80)}, {markdown_safe(message.channel, 40)}, "
                f"{message.created_at.date().isoformat()}, thread {message.thread_id}"
            )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _threads_per_tag(messages: Iterable[CustomerMessage]) -> Counter[str]:
    """How many threads each tag has among `messages` (a thread counts once per tag)."""
    pairs = {(tag, m.thread_id) for m in messages for tag in (m.tags or (UNTAGGED,))}
    return Counter(tag for tag, _ in pairs)
