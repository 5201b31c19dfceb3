"""The report as it was computed before it was made fast, kept as the reference that
`test_report_equivalence` holds the fast one to: one Response object per reply, every thread
judged on its own, then grouped. Slow at 100k threads, plain to read."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from webcare_tui.core.clock import ClockKind, ResponseClock
from webcare_tui.core.model import Direction, ThreadState
from webcare_tui.core.report import (
    NO_AGENT,
    Report,
    Section,
    Stats,
    ThreadHistory,
    escalation_target,
)


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


def _stats(responses: Iterable[Response]) -> Stats:
    items = list(responses)
    if not items:
        return Stats()
    values = sorted(r.seconds for r in items)
    within = sum(1 for r in items if r.within)
    return Stats(
        count=len(items),
        median_seconds=float(statistics.median(values)),
        p90_seconds=values[math.ceil(0.9 * len(values)) - 1],
        within_window_share=round(within / len(items), 4),
        breaches=len(items) - within,
    )


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
        [escalation_target(e.detail) for e in escalations if since is None or e.at >= since],
        in_scope,
    )


def _section(facts: list[_Facts], agent: str | None = None) -> Section:
    def mine(r: Response) -> bool:
        return agent is None or (r.agent or NO_AGENT) == agent

    picked = [r for f in facts for r in f.responses if mine(r)]
    return Section(
        threads=len(facts),
        first_response=_stats(r for r in picked if r.kind is ClockKind.FIRST),
        next_response=_stats(r for r in picked if r.kind is ClockKind.NEXT),
        overdue_now=sum(
            1 for f in facts if f.overdue and (agent is None or f.history.assignee == agent)
        ),
    )


def old_report(
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
        follow_up=_stats(r for f in facts for r in f.follow_ups),
        ignored=dict(sorted(ignored.items(), key=lambda kv: (-kv[1], kv[0]))),
    )
