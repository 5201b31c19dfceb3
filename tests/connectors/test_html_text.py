"""HTML to plain text: examples from the platforms, and properties for any input."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.connectors.html_text import html_to_text

MASTODON_MENTION = (
    '<p><span class="h-card" translate="no"><a href="http://localhost:3000/@mastodonpy_test" '
    'class="u-url mention">@<span>mastodonpy_test</span></a></span> hello!</p>'
)
MASTODON_LINK = (
    '<a href="https://example.com/a/very/long/path" rel="nofollow noopener" target="_blank">'
    '<span class="invisible">https://</span><span class="ellipsis">example.com/a/very</span>'
    '<span class="invisible">/long/path</span></a>'
)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        (MASTODON_MENTION, "@mastodonpy_test hello!"),
        ("<p>one</p><p>two</p>", "one\n\ntwo"),
        ("<p>line<br>break<br/>again</p>", "line\nbreak\nagain"),
        (f"<p>see {MASTODON_LINK}</p>", "see https://example.com/a/very/long/path"),
        (
            '<p><a href="https://acme.example/t">tracking</a></p>',
            "tracking (https://acme.example/t)",
        ),
        ('<a href="https://acme.example/">acme.example</a>', "https://acme.example/"),
        (
            '<a href="https://m.example/tags/acme" class="mention hashtag">#<span>acme</span></a>',
            "#acme",
        ),
        ("Tom &amp; Jerry &lt;3 &eacute;&#233;&#x263A;", "Tom & Jerry <3 éé☺"),
        ("<script>alert(1)</script><style>p{}</style>visible", "visible"),
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("   spaced    out   ", "spaced out"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ('<a href="https://x.example">cut off', "cut off (https://x.example)"),
        ('<img alt="a parcel" src="x.png"> arrived', "a parcel arrived"),
        ("", ""),
    ],
)
def test_examples(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


@given(st.text())
def test_never_crashes_and_returns_tidy_text(anything: str) -> None:
    result = html_to_text(anything)
    assert isinstance(result, str)
    assert result == result.strip()
    assert "\n\n\n" not in result


words = st.text(
    alphabet=st.characters(blacklist_characters="<>&", blacklist_categories=("Cs", "Cc")),
    min_size=1,
    max_size=12,
)
tags = st.sampled_from(["p", "b", "i", "span", "div", "em", "strong", "li", "blockquote", "a"])


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> tuple[str, list[str]]:
    """Well-formed markup and the words it holds."""
    parts: list[str] = []
    said: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 3 and draw(st.booleans()):
            tag = draw(tags)
            inner, inner_words = draw(documents(depth + 1))
            attrs = ' href="https://acme.example/x"' if tag == "a" else ""
            parts.append(f"<{tag}{attrs}>{inner}</{tag}>")
            said += inner_words
        elif draw(st.booleans()):
            parts.append("<br>")
        else:
            word = draw(words)
            parts.append(html.escape(word))
            said.append(word)
    return "".join(parts), said


@given(documents())
def test_well_formed_markup_leaves_no_tags_and_keeps_every_word(doc: tuple[str, list[str]]) -> None:
    markup, said = doc
    result = html_to_text(markup)
    assert not re.search(r"</?[a-z]+[^>]*>", result)
    flat = " ".join(result.split())
    for word in said:
        for piece in word.split():
            assert piece in flat


@given(words)
def test_escaped_plain_text_comes_back(word: str) -> None:
    assert html_to_text(html.escape(word)) == " ".join(word.split())


def test_200000_empty_paragraphs_finish_and_read_as_what_they_hold() -> None:
    # Quadratic before: 10k took seconds, 200k minutes. Spaces and line breaks inside them too.
    markup = "<p>first</p>" + "<p> </p><p><br></p>" * 100_000 + "<p>last</p>"
    assert html_to_text(markup).replace("\n\n", " ").split() == ["first", "last"]


def test_a_link_inside_an_unclosed_link_closes_it() -> None:
    markup = '<a href="https://one.example/">one <a href="https://two.example/">two'
    assert html_to_text(markup) == "one (https://one.example/)two (https://two.example/)"
