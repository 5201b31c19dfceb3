"""X's weighted length against twitter-text's own conformance vectors (config v3)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from twitter_text import parse_tweet
from twitter_text.config import config

from webcare_tui.core import x_length as rules
from webcare_tui.core.x_length import LONG_WORD, X_LIMIT, x_length, x_overflow_index

VECTORS = Path(__file__).parents[1] / "fakes" / "fixtures" / "x" / "twitter-text-validate.yml"


def _cases(section: str) -> list[Any]:
    tests = yaml.safe_load(VECTORS.read_text(encoding="utf-8"))["tests"]
    return [pytest.param(case, id=case["description"]) for case in tests[section]]


def _index_after_utf16(text: str, units: int) -> int:
    """The Python index of the character that starts at UTF-16 offset `units`."""
    seen = 0
    for index, char in enumerate(text):
        if seen >= units:
            return index
        seen += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def test_our_weights_are_twitter_texts_config_v3() -> None:
    v3 = config["version3"]
    scale = v3["scale"]
    assert (
        tuple((r["start"], r["end"], r["weight"] // scale) for r in v3["ranges"])
        == rules.WEIGHT_RANGES
    )
    assert rules.DEFAULT_WEIGHT == rules.EMOJI_WEIGHT == v3["default_weight"] // scale
    assert v3["transformed_url_length"] == rules.URL_WEIGHT
    assert v3["max_weighted_tweet_length"] == X_LIMIT


@pytest.mark.parametrize("case", _cases("WeightedTweetsWithDiscountedEmojiCounterTest"))
def test_weighted_length_matches_the_conformance_vectors(case: dict[str, Any]) -> None:
    text, expected = case["text"], case["expected"]
    assert x_length(text) == expected["weightedLength"]


@pytest.mark.parametrize("case", _cases("WeightedTweetsWithDiscountedEmojiCounterTest"))
def test_overflow_starts_where_the_vectors_say(case: dict[str, Any]) -> None:
    text, expected = case["text"], case["expected"]
    index = x_overflow_index(text)
    if expected["weightedLength"] <= X_LIMIT:
        assert index is None
    else:
        assert index == _index_after_utf16(text, expected["validRangeEnd"] + 1)


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("Sorry to hear that! Could you DM us your order number? ^AB", 58),
        ("See acme.nl/status for the outage", 23 + len(" for the outage") + 4),
        ("Mail service@acme.nl", 20),  # an address is not a URL
        ("e\u0301", 1),  # NFC first: é
        ("\ud83d", 2),  # a lone surrogate counts, and does not crash
        ("日本", 4),
    ],
)
def test_everyday_replies(text: str, length: int) -> None:
    assert x_length(text) == length


def test_a_url_that_straddles_the_limit_is_marked_from_its_start() -> None:
    text = "x" * 270 + " https://acme.com/orders/12345"
    assert x_overflow_index(text) == 271


def test_a_very_long_word_is_never_counted_shorter_than_x_counts_it() -> None:
    word = "a." * (LONG_WORD // 2 + 10)
    assert x_length(word) == len(word)  # counted per character: twitter-text says the same
    url = "https://acme.example/" + "p" * LONG_WORD
    assert x_length(url) == len(url) > 23  # over-counted (X: 23), never under


words = st.lists(
    st.sampled_from([*"ab.:/-@#_1 \n日😷\u200d\u0301", "http://", "www.", ".com", "\r\n"]),
    max_size=60,
).map("".join)


@given(words)
@example(" \u0301a.com")  # the mark after a space belongs to the URL: 1 + 23
def test_counting_word_by_word_equals_counting_the_whole_text(text: str) -> None:
    assert x_length(text) == parse_tweet(text).weightedLength


@given(st.text(max_size=400), st.integers(min_value=0, max_value=300))
def test_never_raises_and_the_marked_part_fits(text: str, limit: int) -> None:
    index = x_overflow_index(text, limit)
    if index is None:
        assert x_length(text) <= limit
    else:
        assert 0 <= index <= len(text)
        assert x_length(text[:index]) <= limit
