"""The report and what-if on a fixed history whose answers were worked out by hand.

The team: UTC, open mon-fri 09:00-17:00, first response 60m, next response 4h, follow-up 1d
(8 open hours). Monday 2026-11-23, the report is asked at 16:00.

1 mastodon AB #delivery: in 09:00, AB 09:30 (first 1800 ok); in 10:00, AB 15:00 (next 18000,
  late: due 14:00).
2 mastodon MK #billing: in Sun 20:00 (its clock starts Mon 09:00), MK 09:45 (first 49500 ok).
3 bluesky #delivery #billing: in 11:00, in 11:10, MK 13:00 (first 7200, late: due 12:00).
4 bluesky: in 14:00, no answer: due 15:00, overdue at 16:00.
5 mastodon: in 12:00, ignored as thanks.
6 mastodon AB: in 09:10, AB 09:20 (first 600 ok); escalated to phone 10:00; AB 12:00 (follow-up
  7200, due Tue 10:00).

First responses 600, 1800, 7200, 49500: median (1800 + 7200) / 2 = 4500, p90 the 4th of 4
(ceil 3.6) = 49500, 3 of 4 in time. Breaches: T3 late, T1's next late, T4 overdue = 3.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from webcare_tui.core.clock import ResponseClock, ResponseWindow
from webcare_tui.core.model import Direction, ThreadState
from webcare_tui.core.report import HistoryEvent, HistoryMessage, ThreadHistory, build_report
from webcare_tui.core.whatif import clock_under, parse_what_if

IN, OUT = Direction.IN, Direction.OUT
NOW = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)


def mon(hh: int, mm: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hh, mm, tzinfo=UTC)


def msg(direction: Direction, at: datetime, agent: str | None = None) -> HistoryMessage:
    return HistoryMessage(direction, at, agent)


HISTORY = [
    ThreadHistory(
        1, "mastodon", ThreadState.REPLIED, "AB",
        (msg(IN, mon(9)), msg(OUT, mon(9, 30), "AB"), msg(IN, mon(10)), msg(OUT, mon(15), "AB")),
        tags=("delivery",),
    ),
    ThreadHistory(
        2, "mastodon", ThreadState.REPLIED, "MK",
        (msg(IN, mon(20, day=22)), msg(OUT, mon(9, 45), "MK")),
        tags=("billing",),
    ),
    ThreadHistory(
        3, "bluesky", ThreadState.REPLIED, None,
        (msg(IN, mon(11)), msg(IN, mon(11, 10)), msg(OUT, mon(13), "MK")),
        tags=("delivery", "billing"),
    ),
    ThreadHistory(4, "bluesky", ThreadState.OPEN, None, (msg(IN, mon(14)),)),
    ThreadHistory(
        5, "mastodon", ThreadState.IGNORED, None, (msg(IN, mon(12)),),
        events=(HistoryEvent(mon(12, 5), "ignored", "thanks"),),
    ),
    ThreadHistory(
        6, "mastodon", ThreadState.ESCALATED, "AB",
        (msg(IN, mon(9, 10)), msg(OUT, mon(9, 20), "AB"), msg(OUT, mon(12), "AB")),
        events=(HistoryEvent(mon(10), "escalated", "to phone: call back"),),
    ),
]  # fmt: skip


@pytest.fixture
def team() -> ResponseClock:
    window = ResponseWindow("*", "60m", "4h", "1d", "mon-fri 09:00-17:00")
    return ResponseClock("UTC", [window])


def test_the_whole_report(team: ResponseClock) -> None:
    report = build_report(HISTORY, team, NOW).as_dict()
    assert report["threads"] == 6
    assert report["first_response"] == {
        "count": 4,
        "median_seconds": 4500.0,
        "p90_seconds": 49500.0,
        "within_window_share": 0.75,
        "breaches": 1,
    }
    assert report["next_response"] == {
        "count": 1,
        "median_seconds": 18000.0,
        "p90_seconds": 18000.0,
        "within_window_share": 0.0,
        "breaches": 1,
    }
    assert report["overdue_now"] == 1
    assert report["breaches"] == 3


def test_per_channel_agent_and_tag(team: ResponseClock) -> None:
    report = build_report(HISTORY, team, NOW)
    mastodon, bluesky = report.by_channel["mastodon"], report.by_channel["bluesky"]
    assert (mastodon.threads, mastodon.first_response.median_seconds) == (4, 1800.0)
    assert mastodon.first_response.p90_seconds == 49500.0
    assert (bluesky.threads, bluesky.overdue_now, bluesky.first_response.count) == (2, 1, 1)
    ab, mk = report.by_agent["AB"], report.by_agent["MK"]
    assert (ab.threads, ab.first_response.median_seconds, ab.first_response.p90_seconds) == (
        2,
        1200.0,
        1800.0,
    )
    assert ab.next_response.count == 1
    assert (mk.threads, mk.first_response.median_seconds) == (2, 28350.0)
    assert mk.first_response.within_window_share == 0.5
    delivery = report.by_tag["delivery"]
    assert (delivery.threads, delivery.first_response.median_seconds) == (2, 4500.0)
    assert delivery.first_response.p90_seconds == 7200.0
    assert report.by_tag["billing"].first_response.median_seconds == 28350.0


def test_volume_escalations_and_ignored(team: ResponseClock) -> None:
    report = build_report(HISTORY, team, NOW)
    nonzero = {hour: n for hour, n in report.volume_by_hour.items() if n}
    assert nonzero == {"09": 2, "10": 1, "11": 2, "12": 1, "14": 1, "20": 1}
    assert report.volume_by_channel == {"bluesky": 3, "mastodon": 5}
    assert report.escalations == {"phone": 1}
    assert (report.follow_up.count, report.follow_up.median_seconds) == (1, 7200.0)
    assert report.follow_up.within_window_share == 1.0
    assert report.ignored == {"thanks": 1}


def test_since_keeps_what_was_owed_from_then_on(team: ResponseClock) -> None:
    report = build_report(HISTORY, team, NOW, since=mon(10, 30))
    assert report.whole.threads == 5  # thread 2 ended before 10:30
    assert report.whole.first_response.count == 1  # only thread 3's, owed since 11:00
    assert report.whole.next_response.count == 0  # thread 1's was owed since 10:00


def test_two_hours_instead_of_sixty_minutes_would_have_cut_breaches_from_3_to_1(
    team: ResponseClock,
) -> None:
    changed = clock_under(team, parse_what_if(["first_response=2h"]))
    report = build_report(HISTORY, changed, NOW)
    assert report.whole.first_response.within_window_share == 1.0
    assert report.whole.overdue_now == 0  # thread 4 is due at 16:00 exactly
    assert report.whole.breaches == 1


def test_round_the_clock_would_have_made_the_sunday_message_late(team: ResponseClock) -> None:
    changed = clock_under(team, parse_what_if(["hours=always"]))
    report = build_report(HISTORY, changed, NOW)
    assert report.by_agent["MK"].first_response.within_window_share == 0.0


def test_a_what_if_for_one_channel_leaves_the_others(team: ResponseClock) -> None:
    changed = clock_under(team, parse_what_if(["next_response=8h", "channel=mastodon"]))
    report = build_report(HISTORY, changed, NOW)
    assert report.by_channel["mastodon"].next_response.within_window_share == 1.0
    assert report.whole.breaches == 2
    assert changed.window_for("bluesky").next_response == team.window_for("x").next_response


@pytest.mark.parametrize(
    ("items", "problem"),
    [
        (["first_response"], "KEY=VALUE"),
        (["colour=red"], "KEY=VALUE"),
        (["first_response=soon"], "first_response"),
        (['hours="mon-fri 25:00-26:00"'], "hours"),
        (["channel=bluesky"], "at least one"),
        (["next_response="], "needs a value"),
    ],
)
def test_bad_what_if_items_say_what_is_wrong(items: list[str], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_what_if(items)


def test_an_empty_history_reports_zeroes(team: ResponseClock) -> None:
    report = build_report([], team, NOW).as_dict()
    assert report["threads"] == 0
    assert report["first_response"]["count"] == 0  # type: ignore[index]
    assert report["first_response"]["median_seconds"] is None  # type: ignore[index]
