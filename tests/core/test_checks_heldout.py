"""The held-out reply table: how many bad replies the checks stop, how many good ones they stop.

The table (`heldout_replies.toml`) is the tuning table: the tone lists, rules and scorer cues
were tuned on it (its later rounds were each written before tuning on them), so its figures
measure memory. `unseen_replies.toml` was never tuned on and measures judgement. Run with `-s`
to see the figures. Floors may not drop: on the tuning table at least 98% of the bad replies
blocked, on the unseen one at least its reached figure, and at most 2% of the good replies of
either, per language and overall.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest

from webcare_tui.core.checks import DraftContext, blocking, check_draft, load_tone_rules

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "data"
RULES = load_tone_rules(DATA / "tone")
CAUGHT_AT_LEAST = 0.98
UNSEEN_CAUGHT_AT_LEAST = 0.30
FALSE_ALARMS_AT_MOST = 0.02
CONTACTS = ("088 123 4567", "service@acme.example")  # as in the contract's `[team] contacts`


@dataclass(frozen=True)
class Reply:
    lang: str
    verdict: str
    kind: str
    text: str
    private: bool


def table(name: str = "heldout_replies.toml") -> list[Reply]:
    document = tomllib.loads((HERE / name).read_text(encoding="utf-8"))
    return [
        Reply(row["lang"], row["verdict"], row["kind"], row["text"], row.get("private", False))
        for row in document["reply"]
    ]


def blocks(reply: Reply) -> bool:
    context = DraftContext(
        text=reply.text,
        channel_kind="mastodon",
        length_limit=0,
        rules=RULES,
        private=reply.private,
        contacts=CONTACTS,
        thread_language=reply.lang,
    )
    return bool(blocking(check_draft(context)))


def rates(replies: list[Reply]) -> tuple[float, float]:
    """(catch rate, false-alarm rate) over `replies`."""
    bad = [r for r in replies if r.verdict == "bad"]
    good = [r for r in replies if r.verdict == "good"]
    caught = sum(blocks(r) for r in bad) / len(bad)
    false_alarms = sum(blocks(r) for r in good) / len(good)
    return caught, false_alarms


def test_the_table_has_enough_replies_of_each_sort() -> None:
    replies = table()
    for lang in ("nl", "en"):
        for verdict in ("bad", "good"):
            assert sum(r.lang == lang and r.verdict == verdict for r in replies) >= 40


@pytest.mark.parametrize("lang", ["nl", "en", "all"])
def test_heldout_figures(lang: str) -> None:
    replies = [r for r in table() if lang in ("all", r.lang)]
    caught, false_alarms = rates(replies)
    print(f"\nheld-out {lang}: caught {caught:.1%} of bad, false alarms {false_alarms:.1%} of good")
    for reply in replies:
        if blocks(reply) != (reply.verdict == "bad"):
            print(f"  wrong on {reply.verdict} [{reply.kind}]: {reply.text}")
    assert caught >= CAUGHT_AT_LEAST
    assert false_alarms <= FALSE_ALARMS_AT_MOST


@pytest.mark.parametrize("lang", ["nl", "en", "all"])
def test_unseen_figures(lang: str) -> None:
    """A table written after tuning and never tuned on: how far the rules generalise.

    Its catch rate is floored at what the scorer reached (far below the tuned table's); a false
    alarm here fails, because good replies must pass whatever the checks learnt.
    """
    replies = [r for r in table("unseen_replies.toml") if lang in ("all", r.lang)]
    caught, false_alarms = rates(replies)
    print(f"\nunseen {lang}: caught {caught:.1%} of bad, false alarms {false_alarms:.1%} of good")
    assert caught >= UNSEEN_CAUGHT_AT_LEAST
    assert false_alarms <= FALSE_ALARMS_AT_MOST


BLIND_CAUGHT_AT_LEAST = 0.60
BLIND_FALSE_ALARMS_AT_MOST = 0.025  # one good reply of forty


@pytest.mark.parametrize("lang", ["nl", "en", "all"])
def test_blind_figures(lang: str) -> None:
    """A table written by someone who had read neither the rules nor the other tables, and
    added only after the tuning was done: the honest measure of how the checks generalise.
    Never tune on it. Its floors are the figures measured when it was added (62.5% caught,
    1.2% false alarms overall): they may rise, never drop."""
    replies = [r for r in table("blind_replies.toml") if lang in ("all", r.lang)]
    caught, false_alarms = rates(replies)
    print(f"\nblind {lang}: caught {caught:.1%} of bad, false alarms {false_alarms:.1%} of good")
    assert caught >= BLIND_CAUGHT_AT_LEAST
    assert false_alarms <= BLIND_FALSE_ALARMS_AT_MOST
