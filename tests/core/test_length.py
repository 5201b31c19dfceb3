"""Reply length as Bluesky (graphemes) and Mastodon (URLs 23, remote mentions local) count it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webcare_tui.core.length import (
    MASTODON_URL_LENGTH,
    LengthRule,
    count_graphemes,
    length_for,
    mastodon_length,
    overflow_index,
    url_spans,
)

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # one emoji, seven code points
FLAG = "🇳🇱"
THUMB = "👍🏽"  # emoji with a skin-tone modifier
E_ACUTE = "e\u0301"  # e + combining acute accent

urls = st.builds(
    lambda scheme, host, tld, path: f"{scheme}://{host}.{tld}{path}",
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,30}[a-z0-9]", fullmatch=True),
    st.sampled_from(["nl", "com", "social", "example"]),
    st.from_regex(r"(/[A-Za-z0-9_~%-]{1,40}){0,4}(\?[a-z]{1,5}=[a-z0-9]{1,10})?", fullmatch=True),
)
usernames = st.from_regex(r"[A-Za-z0-9_]{1,20}", fullmatch=True)
domains = st.from_regex(r"[a-z][a-z0-9]{0,15}\.(nl|social|example)", fullmatch=True)


@pytest.mark.parametrize(
    ("text", "graphemes"),
    [
        ("", 0),
        ("Hoi Sanne", 9),
        (FAMILY, 1),
        (FLAG, 1),
        (THUMB, 1),
        (E_ACUTE, 1),
        (f"caf{E_ACUTE} {FAMILY}{FLAG}!", 8),
        ("\r\n", 1),  # CR LF is one grapheme cluster
    ],
)
def test_count_graphemes_counts_what_people_see(text: str, graphemes: int) -> None:
    assert count_graphemes(text) == graphemes


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("Zie https://example.nl/a/very/long/path?with=query&and=more", 4 + 23),
        ("https://x.nl", 23),
        ("(zie https://example.nl/faq)", 5 + 23 + 1),  # the bracket is the sentence's
        ("Zie https://example.nl/faq.", 4 + 23 + 1),  # so is the full stop
        ("@jan@mastodon.social dank!", len("@jan dank!")),
        ("@jan dank!", len("@jan dank!")),
        ("mail jan@example.nl", len("mail jan@example.nl")),  # an address is not a mention
        ("https://social.example/@jan@other.social", 23),  # a mention inside a URL is URL
        ("xhttps://example.nl", len("xhttps://example.nl")),  # glued to a word: not a URL
        ("ftp://example.nl/file", len("ftp://example.nl/file")),  # only http(s) counts 23
        (f"Dank {FAMILY}", 6),
    ],
)
def test_mastodon_length_follows_mastodons_rules(text: str, length: int) -> None:
    assert mastodon_length(text) == length


def test_length_for_picks_the_channels_counter() -> None:
    text = "Zie https://example.nl/" + "a" * 100
    assert length_for("mastodon", text) == 4 + MASTODON_URL_LENGTH
    assert length_for("bluesky", text) == len(text)
    assert length_for("rss", text) == len(text)


def test_url_spans_cut_trailing_punctuation() -> None:
    text = "Zie https://example.nl/a_(b) en https://example.nl/c!"
    assert [text[s:e] for s, e in url_spans(text)] == [
        "https://example.nl/a_(b)",
        "https://example.nl/c",
    ]


def test_overflow_index_marks_the_first_character_past_the_limit() -> None:
    assert overflow_index("bluesky", "abcdef", 4) == 4
    assert overflow_index("bluesky", "abcd", 4) is None
    assert overflow_index("bluesky", f"{FAMILY}{FAMILY}x", 2) == 2 * len(FAMILY)
    text = "ab https://example.nl/long/path cd"
    # 3 + 23 counted characters reach past 10: the URL is marked from its start.
    assert overflow_index("mastodon", text, 10) == 3
    assert overflow_index("mastodon", text, 3 + 23 + 3) is None


@given(st.text())
def test_never_crashes_and_graphemes_never_exceed_code_points(text: str) -> None:
    assert 0 <= count_graphemes(text) <= len(text)
    assert mastodon_length(text) >= 0
    for kind in ("mastodon", "bluesky", "rss"):
        index = overflow_index(kind, text, 5)
        assert index is None or 0 <= index < len(text)


@given(st.text(), st.text(), urls)
def test_a_url_between_spaces_adds_exactly_23(before: str, after: str, url: str) -> None:
    with_url = mastodon_length(f"{before} {url} {after}")
    without = mastodon_length(f"{before}  {after}")
    assert with_url == without + MASTODON_URL_LENGTH


@given(st.text(), st.text(), usernames, domains)
def test_a_remote_mention_counts_as_its_local_part(
    before: str, after: str, user: str, domain: str
) -> None:
    remote = mastodon_length(f"{before} @{user}@{domain} {after}")
    local = mastodon_length(f"{before} @{user} {after}")
    assert remote == local
    assert mastodon_length(f"@{user}@{domain}") == 1 + len(user)


@given(st.lists(st.sampled_from([FAMILY, FLAG, THUMB, E_ACUTE, "a\u0308\u0301", "x"])))
def test_combining_and_zwj_sequences_count_as_one(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert count_graphemes(text) == len(pieces)
    assert mastodon_length(text) == len(pieces)


def test_a_length_rule_counts_as_its_platform_and_marks_the_overflow() -> None:
    text = "ab https://example.com/ " + "x" * 40
    mastodon, bluesky = LengthRule("mastodon", 30), LengthRule("bluesky", 30)
    assert mastodon.measure(text) == 3 + MASTODON_URL_LENGTH + 1 + 40
    assert bluesky.measure(text) == len(text)
    assert mastodon.overflow_index(text) == 3 + len("https://example.com/") + 4
    assert bluesky.overflow_index(text) == 30
    assert LengthRule("plain", 0).overflow_index("abc", 5) is None
