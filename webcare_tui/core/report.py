"""The response-time and SLA report, computed from stored history alone.

Every figure is recomputed from the messages and events of each thread under a given
`ResponseClock`, so the same history can be judged under other windows (see `whatif`).

- A *response* is our first message after one or more customer messages; its time is
  wall-clock seconds from the oldest customer message it answers. It is a `first_response`
  when we had not written in the thread before, else a `next_response`. It is *within the
  window* when it was sent by the due time the clock gives for that message (open hours).
- `median_seconds` is the middle value (the mean of the two middle ones for an even count);
  `p90_seconds` the nearest-rank 90th percentile: the value at position ceil(0.9 n).
- `overdue_now`: threads waiting for us (open, or escalated without a follow-up in time)
  whose due time has passed at `now`.
- `breaches`: responses outside their window plus `overdue_now`.
- `since` limits the report to customer messages written, responses owed and escalations made
  at or after it.

The store hands the history over as `ReportRows`, plain tuples, and `report_of_rows` judges it
in one pass over the messages (100k threads in well under a second); `build_report` takes
`ThreadHistory` objects, as tests and small callers write them, and judges them the same way.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from itertools import groupby
from operator import itemgetter

from webcare_tui.core.clock import ClockKind, ResponseClock
from webcare_tui.core.model import Direction, ThreadState
from webcare_tui.core.schedule import MICROS_PER_SECOND, from_micros, to_micros

NO_AGENT = "(unknown)"
IN = Direction.IN


@dataclass(frozen=True, slots=True)
class HistoryMessage:
    direction: Direction
    created_at: datetime
    agent: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    at: datetime
    kind: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ThreadHistory:
    """One thread as the report sees it; `messages` and `events` oldest first."""

    id: int
    channel: str
    state: ThreadState
    assignee: str | None
    messages: tuple[HistoryMessage, ...]
    events: tuple[HistoryEvent, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Stats:
    """`count`, `median_seconds`, `p90_seconds` (None when empty), `within_window_share`."""

    count: int = 0
    median_seconds: float | None = None
    p90_seconds: float | None = None
    within_window_share: float | None = None
    breaches: int = 0

    @classmethod
    def of(cls, seconds: list[float], late: int) -> Stats:
        """The figures of response times `seconds` (sorted here, in place), `late` of them
        after their due time."""
        if not seconds:
            return cls()
        seconds.sort()
        count = len(seconds)
        return cls(
            count=count,
            median_seconds=float(statistics.median(seconds)),
            p90_seconds=seconds[math.ceil(0.9 * count) - 1],
            within_window_share=round((count - late) / count, 4),
            breaches=late,
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "median_seconds": self.median_seconds,
            "p90_seconds": self.p90_seconds,
            "within_window_share": self.within_window_share,
            "breaches": self.breaches,
        }


@dataclass(frozen=True, slots=True)
class Section:
    """The report's figures for a set of threads: the whole, one channel, agent or tag."""

    threads: int = 0
    first_response: Stats = Stats()
    next_response: Stats = Stats()
    overdue_now: int = 0

    @property
    def breaches(self) -> int:
        return self.first_response.breaches + self.next_response.breaches + self.overdue_now

    def as_dict(self) -> dict[str, object]:
        return {
            "threads": self.threads,
            "first_response": self.first_response.as_dict(),
            "next_response": self.next_response.as_dict(),
            "overdue_now": self.overdue_now,
            "breaches": self.breaches,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report: a Section for everything, then per channel, agent and tag."""

    whole: Section
    by_channel: dict[str, Section] = field(default_factory=dict)
    by_agent: dict[str, Section] = field(default_factory=dict)
    by_tag: dict[str, Section] = field(default_factory=dict)
    volume_by_hour: dict[str, int] = field(default_factory=dict)
    volume_by_channel: dict[str, int] = field(default_factory=dict)
    escalations: dict[str, int] = field(default_factory=dict)
    follow_up: Stats = Stats()
    ignored: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """The `report --format json` document (without `what_if`)."""
        return {
            **self.whole.as_dict(),
            "by_channel": {k: v.as_dict() for k, v in self.by_channel.items()},
            "by_agent": {k: v.as_dict() for k, v in self.by_agent.items()},
            "by_tag": {k: v.as_dict() for k, v in self.by_tag.items()},
            "volume": {"by_hour": self.volume_by_hour, "by_channel": self.volume_by_channel},
            "escalations": {
                "count": sum(self.escalations.values()),
                "by_target": self.escalations,
                "follow_up": self.follow_up.as_dict(),
            },
            "ignored": {"count": sum(self.ignored.values()), "by_reason": self.ignored},
        }


@dataclass(frozen=True, slots=True)
class ReportRows:
    """Stored history as the report reads it: plain tuples, times in epoch microseconds.

    `threads`: (id, channel, state, assignee) in id order; `messages`: (thread id, from the
    customer, at, agent) by thread, then time; `escalations`: (thread id, at, detail) by thread,
    then time; `ignored`: each thread's last reason for being ignored; `tags`: (thread id, tag).
    """

    threads: Sequence[tuple[int, str, str, str | None]]
    messages: Sequence[tuple[int, bool, int, str | None]]
    escalations: Sequence[tuple[int, int, str]] = ()
    ignored: Mapping[int, str] = field(default_factory=dict)
    tags: Sequence[tuple[int, str]] = ()


def rows_of(histories: Iterable[ThreadHistory]) -> ReportRows:
    """The rows of `histories`, as the store would give them (in thread id order)."""
    threads, messages, escalations, tags = [], [], [], []
    ignored: dict[int, str] = {}
    for h in sorted(histories, key=lambda h: h.id):
        threads.append((h.id, h.channel, h.state.value, h.assignee))
        for m in h.messages:
            messages.append((h.id, m.direction is IN, to_micros(m.created_at), m.agent))
        for event in h.events:
            if event.kind == "escalated":
                escalations.append((h.id, to_micros(event.at), event.detail))
            elif event.kind == "ignored":
                ignored[h.id] = event.detail
        tags += [(h.id, tag) for tag in h.tags]
    return ReportRows(threads, messages, escalations, ignored, tags)


def build_report(
    histories: Iterable[ThreadHistory],
    clock: ResponseClock,
    now: datetime,
    since: datetime | None = None,
) -> Report:
    """The report over `histories` as judged by `clock` at `now`."""
    return report_of_rows(rows_of(histories), clock, now, since)


def escalation_target(detail: str) -> str:
    """`phone`, `dm` or `team:NAME` from an escalation event's detail (`to team:legal: ...`)."""
    target = detail.removeprefix("to ").split(":", 1)[0].strip()
    if detail.startswith("to team:"):
        target = "team:" + detail.removeprefix("to team:").split(":", 1)[0].strip()
    return target or "unknown"


class _Tally:
    """Response times and counts of one section, gathered as the threads go by."""

    __slots__ = ("first", "first_late", "next", "next_late", "overdue", "threads")

    def __init__(self) -> None:
        self.threads = self.overdue = self.first_late = self.next_late = 0
        self.first: list[float] = []
        self.next: list[float] = []

    def add(self, first: bool, seconds: float, late: bool) -> None:
        if first:
            self.first.append(seconds)
            self.first_late += late
        else:
            self.next.append(seconds)
            self.next_late += late

    def section(self) -> Section:
        return Section(
            self.threads,
            Stats.of(self.first, self.first_late),
            Stats.of(self.next, self.next_late),
            self.overdue,
        )


class DueTimes:
    """`clock.due_at` in microseconds, remembered: replies owed since the same moment share
    it, and a report recomputed under the same clock (the report screen) reuses them all."""

    def __init__(self, clock: ResponseClock) -> None:
        self._clock = clock
        self._known: dict[tuple[str, ClockKind, int], int] = {}

    def __call__(self, channel: str, kind: ClockKind, start: int) -> int:
        key = (channel, kind, start)
        due = self._known.get(key)
        if due is None:
            due = to_micros(self._clock.due_at(channel, kind, from_micros(start)))
            self._known[key] = due
        return due


class _LocalHour:
    """The hour of day in `zone` of an instant, by the UTC offset of its hour: one time-zone
    look-up per hour of history rather than per message."""

    def __init__(self, zone: tzinfo) -> None:
        self._zone = zone
        self._offsets: dict[int, int | None] = {}

    def _offset(self, micros: int) -> int:
        offset = from_micros(micros).astimezone(self._zone).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def __call__(self, micros: int) -> int:
        seconds = micros // MICROS_PER_SECOND
        bucket = seconds // 3600
        if bucket not in self._offsets:
            start = bucket * 3600 * MICROS_PER_SECOND
            first, last = self._offset(start), self._offset(start + 3600 * MICROS_PER_SECOND - 1)
            self._offsets[bucket] = first if first == last else None  # a DST change inside
        offset = self._offsets[bucket]
        if offset is None:
            return from_micros(micros).astimezone(self._zone).hour
        return (seconds + offset) // 3600 % 24


def report_of_rows(
    rows: ReportRows,
    clock: ResponseClock,
    now: datetime,
    since: datetime | None = None,
    due: DueTimes | None = None,
) -> Report:
    """The report over `rows` as judged by `clock` at `now`, in one pass over the messages;
    `due`, when given, must be `clock`'s."""
    now_us, since_us = to_micros(now), None if since is None else to_micros(since)
    due, local_hour = due or DueTimes(clock), _LocalHour(clock.timezone)
    tags: dict[int, list[str]] = {}
    for thread_id, tag in rows.tags:
        tags.setdefault(thread_id, []).append(tag)
    escalations: dict[int, list[tuple[int, str]]] = {}
    for thread_id, at, detail in rows.escalations:
        escalations.setdefault(thread_id, []).append((at, detail))
    whole = _Tally()
    by_channel: dict[str, _Tally] = {}
    by_agent: dict[str, _Tally] = {}
    by_tag: dict[str, _Tally] = {}
    hours, volume = [0] * 24, Counter[str]()
    targets, ignored = Counter[str](), Counter[str]()
    follow_ups: list[float] = []
    follow_ups_late = 0
    by_thread = groupby(rows.messages, itemgetter(0))
    batch = next(by_thread, None)
    for thread_id, channel, state, assignee in rows.threads:
        while batch is not None and batch[0] < thread_id:
            batch = next(by_thread, None)  # messages of a thread not asked about
        messages: Iterable[tuple[int, bool, int, str | None]] = ()
        if batch is not None and batch[0] == thread_id:
            messages, batch = tuple(batch[1]), next(by_thread, None)
        owed: int | None = None
        wrote_before, in_scope = False, since_us is None
        replies: list[tuple[bool, float, bool, str]] = []
        outs: list[tuple[int, str | None]] = []
        for _, customer, at, agent in messages:
            if since_us is None or at >= since_us:
                in_scope = True
                if customer:
                    hours[local_hour(at)] += 1
                    volume[channel] += 1
            if customer:
                if owed is None:
                    owed = at
                continue
            outs.append((at, agent))
            if owed is not None:
                if since_us is None or owed >= since_us:
                    kind = ClockKind.NEXT if wrote_before else ClockKind.FIRST
                    late = at > due(channel, kind, owed)
                    seconds = (at - owed) / MICROS_PER_SECOND
                    replies.append((not wrote_before, seconds, late, agent or NO_AGENT))
                owed = None
            wrote_before = True
        if not in_scope:
            continue
        escalated = escalations.get(thread_id, ())
        overdue = False
        if state == "open" and owed is not None:
            kind = ClockKind.NEXT if wrote_before else ClockKind.FIRST
            overdue = due(channel, kind, owed) < now_us
        elif state == "escalated" and escalated:
            start = escalated[-1][0]
            later = [at for at, _ in outs if at > start]
            start = later[-1] if later else start
            overdue = due(channel, ClockKind.FOLLOW_UP, start) < now_us
        for at, detail in escalated:
            if since_us is not None and at < since_us:
                continue
            targets[escalation_target(detail)] += 1
            answer = next((out for out, _ in outs if out >= at), None)
            if answer is not None:
                follow_ups.append((answer - at) / MICROS_PER_SECOND)
                follow_ups_late += answer > due(channel, ClockKind.FOLLOW_UP, at)
        if state == "ignored":
            ignored[rows.ignored.get(thread_id, "") or "(no reason)"] += 1
        groups = [whole, by_channel.get(channel) or _tally(by_channel, channel)]
        if thread_id in tags:
            groups += [_tally(by_tag, tag) for tag in tags[thread_id]]
        for group in groups:
            group.threads += 1
            group.overdue += overdue
        agents = {agent for *_, agent in replies} if replies else set()
        if assignee:
            agents.add(assignee)
            if overdue:
                _tally(by_agent, assignee).overdue += 1
        for agent in agents:
            _tally(by_agent, agent).threads += 1
        for first, seconds, late, agent in replies:
            for group in groups:
                group.add(first, seconds, late)
            _tally(by_agent, agent).add(first, seconds, late)
    return Report(
        whole=whole.section(),
        by_channel={k: v.section() for k, v in sorted(by_channel.items())},
        by_agent={k: v.section() for k, v in sorted(by_agent.items())},
        by_tag={k: v.section() for k, v in sorted(by_tag.items())},
        volume_by_hour={f"{h:02d}": n for h, n in enumerate(hours)},
        volume_by_channel=dict(sorted(volume.items())),
        escalations=dict(sorted(targets.items())),
        follow_up=Stats.of(follow_ups, follow_ups_late),
        ignored=dict(sorted(ignored.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def _tally(tallies: dict[str, _Tally], key: str) -> _Tally:
    found = tallies.get(key)
    if found is None:
        found = tallies[key] = _Tally()
    return found
