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
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from webcare_tui.core.clock import ClockKind, ResponseClock
from webcare_tui.core.model import Direction, ThreadState

NO_AGENT = "(unknown)"


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
class Response:
    kind: ClockKind
    owed_since: datetime
    at: datetime
    due_at: datetime
    agent: str | None

    @property
    def seconds(self) -> float:
        return (self.at - self.owed_since).total_seconds()

    @property
    def within(self) -> bool:
        return self.at <= self.due_at


@dataclass(frozen=True, slots=True)
class Stats:
    """`count`, `median_seconds`, `p90_seconds` (None when empty), `within_window_share`."""

    count: int = 0
    median_seconds: float | None = None
    p90_seconds: float | None = None
    within_window_share: float | None = None
    breaches: int = 0

    @classmethod
    def of(cls, responses: Iterable[Response]) -> Stats:
        items = list(responses)
        if not items:
            return cls()
        values = sorted(r.seconds for r in items)
        within = sum(1 for r in items if r.within)
        return cls(
            count=len(items),
            median_seconds=float(statistics.median(values)),
            p90_seconds=values[math.ceil(0.9 * len(values)) - 1],
            within_window_share=round(within / len(items), 4),
            breaches=len(items) - within,
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


@dataclass(slots=True)
class _Facts:
    """What one thread contributes, under one clock."""

    history: ThreadHistory
    responses: list[Response]
    overdue: bool
    follow_ups: list[Response]
    escalated_to: list[str]
    in_scope: bool


def responses(
    history: ThreadHistory, clock: ResponseClock
) -> tuple[list[Response], Response | None]:
    """The thread's responses, and the one owed now (its `at` is its due time), if any."""
    owed: datetime | None = None
    wrote_before = False
    found: list[Response] = []
    for message in history.messages:
        if message.direction is Direction.IN:
            if owed is None:
                owed = message.created_at
            continue
        if owed is not None:
            kind = ClockKind.NEXT if wrote_before else ClockKind.FIRST
            due = clock.due_at(history.channel, kind, owed)
            found.append(Response(kind, owed, message.created_at, due, message.agent))
            owed = None
        wrote_before = True
    if owed is None:
        return found, None
    kind = ClockKind.NEXT if wrote_before else ClockKind.FIRST
    due = clock.due_at(history.channel, kind, owed)
    return found, Response(kind, owed, due, due, None)


def _escalation_target(detail: str) -> str:
    target = detail.removeprefix("to ").split(":", 1)[0].strip()
    if detail.startswith("to team:"):
        target = "team:" + detail.removeprefix("to team:").split(":", 1)[0].strip()
    return target or "unknown"


def _facts(
    history: ThreadHistory, clock: ResponseClock, now: datetime, since: datetime | None
) -> _Facts:
    found, owed = responses(history, clock)
    if since is not None:
        found = [r for r in found if r.owed_since >= since]
    overdue = False
    escalations = [e for e in history.events if e.kind == "escalated"]
    follow_ups: list[Response] = []
    outs = [m for m in history.messages if m.direction is Direction.OUT]
    for event in escalations:
        if since is not None and event.at < since:
            continue
        due = clock.due_at(history.channel, ClockKind.FOLLOW_UP, event.at)
        answer = next((m for m in outs if m.created_at >= event.at), None)
        if answer is not None:
            follow_ups.append(
                Response(ClockKind.FOLLOW_UP, event.at, answer.created_at, due, answer.agent)
            )
    if history.state is ThreadState.OPEN and owed is not None:
        overdue = owed.due_at < now
    elif history.state is ThreadState.ESCALATED and escalations:
        start = escalations[-1].at
        later = [m.created_at for m in outs if m.created_at > start]
        start = later[-1] if later else start
        overdue = clock.due_at(history.channel, ClockKind.FOLLOW_UP, start) < now
    in_scope = since is None or any(m.created_at >= since for m in history.messages)
    return _Facts(
        history,
        found,
        overdue and in_scope,
        follow_ups,
        [_escalation_target(e.detail) for e in escalations if since is None or e.at >= since],
        in_scope,
    )


def _section(facts: list[_Facts], agent: str | None = None) -> Section:
    def mine(r: Response) -> bool:
        return agent is None or (r.agent or NO_AGENT) == agent

    picked = [r for f in facts for r in f.responses if mine(r)]
    return Section(
        threads=len(facts),
        first_response=Stats.of(r for r in picked if r.kind is ClockKind.FIRST),
        next_response=Stats.of(r for r in picked if r.kind is ClockKind.NEXT),
        overdue_now=sum(
            1 for f in facts if f.overdue and (agent is None or f.history.assignee == agent)
        ),
    )


def build_report(
    histories: Iterable[ThreadHistory],
    clock: ResponseClock,
    now: datetime,
    since: datetime | None = None,
) -> Report:
    """The report over `histories` as judged by `clock` at `now`."""
    facts = [f for h in histories if (f := _facts(h, clock, now, since)).in_scope]
    by_channel: dict[str, list[_Facts]] = {}
    by_agent: dict[str, list[_Facts]] = {}
    by_tag: dict[str, list[_Facts]] = {}
    for f in facts:
        by_channel.setdefault(f.history.channel, []).append(f)
        agents = {r.agent or NO_AGENT for r in f.responses}
        if f.history.assignee:
            agents.add(f.history.assignee)
        for agent in agents:
            by_agent.setdefault(agent, []).append(f)
        for tag in f.history.tags:
            by_tag.setdefault(tag, []).append(f)
    hours: Counter[str] = Counter()
    volume: Counter[str] = Counter()
    for f in facts:
        for m in f.history.messages:
            if m.direction is Direction.IN and (since is None or m.created_at >= since):
                hours[f"{m.created_at.astimezone(clock.timezone).hour:02d}"] += 1
                volume[f.history.channel] += 1
    ignored: Counter[str] = Counter()
    for f in facts:
        if f.history.state is ThreadState.IGNORED:
            reasons = [e.detail for e in f.history.events if e.kind == "ignored"]
            ignored[(reasons[-1] if reasons else "") or "(no reason)"] += 1
    return Report(
        whole=_section(facts),
        by_channel={k: _section(v) for k, v in sorted(by_channel.items())},
        by_agent={k: _section(v, agent=k) for k, v in sorted(by_agent.items())},
        by_tag={k: _section(v) for k, v in sorted(by_tag.items())},
        volume_by_hour={f"{h:02d}": hours.get(f"{h:02d}", 0) for h in range(24)},
        volume_by_channel=dict(sorted(volume.items())),
        escalations=dict(sorted(Counter(t for f in facts for t in f.escalated_to).items())),
        follow_up=Stats.of(r for f in facts for r in f.follow_ups),
        ignored=dict(sorted(ignored.items(), key=lambda kv: (-kv[1], kv[0]))),
    )
