"""The digest: top tags, rising topics and quoted complaints, in inert Markdown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from webcare_tui.core.digest import CustomerMessage, build_digest, markdown_safe
from webcare_tui.core.lexicon import load_lexicon
from webcare_tui.paths import data_dir

UNTIL = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
SINCE = UNTIL - timedelta(days=7)
LEXICON = load_lexicon(data_dir() / "lexicon")


def message(n: int, days_ago: float, text: str, *tags: str) -> CustomerMessage:
    at = UNTIL - timedelta(days=days_ago)
    return CustomerMessage(n, "mastodon", f"@c{n}", at, text, tags)


MESSAGES = [
    message(1, 1, "My parcel still hasn't arrived", "delivery"),
    message(2, 2, "Parcel broken, unacceptable", "delivery", "product-defect"),
    message(3, 3, "still no parcel after two weeks", "delivery"),
    message(4, 4, "never arrived, refund please", "delivery"),
    message(5, 1, "Thanks for the quick help!", "praise"),
    message(6, 2, "Invoice is wrong, terrible", "billing"),
    message(7, 10, "old billing question", "billing"),  # the week before
    message(8, 9, "old billing complaint, awful", "billing"),
]


def test_top_tags_with_the_week_before() -> None:
    digest = build_digest(MESSAGES, LEXICON, since=SINCE, until=UNTIL)
    assert "| delivery | 4 | 0 |" in digest
    assert "| billing | 1 | 2 |" in digest
    assert digest.index("| delivery |") < digest.index("| billing |")


def test_rising_topics_name_what_grew_and_not_what_fell() -> None:
    digest = build_digest(MESSAGES, LEXICON, since=SINCE, until=UNTIL)
    rising = digest.split("## Rising topics")[1].split("## Complaints")[0]
    assert "**delivery**: 4 threads, up 4 from 0" in rising
    assert "billing" not in rising


def test_three_newest_complaints_per_tag_and_no_praise() -> None:
    digest = build_digest(MESSAGES, LEXICON, since=SINCE, until=UNTIL)
    delivery = digest.split("### delivery (4)")[1].split("###")[0]
    assert delivery.count("\n> —") == 3
    assert "hasn't arrived" in delivery and "never arrived" not in delivery
    assert "Thanks for the quick help" not in digest


def test_an_empty_period_says_so() -> None:
    digest = build_digest([], LEXICON, since=SINCE, until=UNTIL)
    assert "No customer messages in this period." in digest
    assert "No complaints in this period." in digest


def test_stranger_text_cannot_format_the_digest() -> None:
    hostile = "# Heading\n[click](https://evil.example) <script>x</script> **bold** | col"
    rendered = MarkdownIt().render("> " + markdown_safe(hostile))
    assert "<h1>" not in rendered and "<a " not in rendered and "<script>" not in rendered
    assert "<strong>" not in rendered


@given(st.text(max_size=200))
def test_any_quote_renders_as_one_plain_paragraph(text: str) -> None:
    safe = markdown_safe(text)
    assert "\n" not in safe
    tokens = MarkdownIt("commonmark").parseInline(safe) if safe else []
    kinds = {child.type for token in tokens for child in (token.children or [])}
    assert kinds <= {"text", "softbreak", "text_special"}
