"""The report as a terminal table or CSV; JSON is `Report.as_dict()`.

With a what-if report beside it, each figure reads `now → what-if` (`75% → 100%`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from webcare_tui.core.clock_text import short_duration
from webcare_tui.core.report import Report, Section, Stats

CSV_COLUMNS = (
    "report", "scope", "name", "threads",
    "first_count", "first_median_seconds", "first_p90_seconds", "first_within_window_share",
    "next_count", "next_median_seconds", "next_p90_seconds", "next_within_window_share",
    "overdue_now", "breaches",
)  # fmt: skip
_BAR = "█"


def _seconds(value: float | None) -> str:
    return "-" if value is None else short_duration(value)


def _share(value: float | None) -> str:
    return "-" if value is None else f"{round(value * 100)}%"


def _pair(now: str, then: str | None) -> str:
    return now if then is None or then == now else f"{now} → {then}"


def _stats_row(label: str, stats: Stats, other: Stats | None) -> str:
    def cell(read: Callable[[Stats], str]) -> str:
        return _pair(read(stats), read(other) if other else None)

    return (
        f"  {label:<16}{cell(lambda s: str(s.count)):>9}"
        f"{cell(lambda s: _seconds(s.median_seconds)):>16}"
        f"{cell(lambda s: _seconds(s.p90_seconds)):>16}"
        f"{cell(lambda s: _share(s.within_window_share)):>16}"
    )


def _section_lines(title: str, section: Section, other: Section | None) -> list[str]:
    lines = [
        f"{title} ({section.threads} thread{'' if section.threads == 1 else 's'})",
        f"  {'':<16}{'count':>9}{'median':>16}{'p90':>16}{'in window':>16}",
        _stats_row(
            "first response", section.first_response, other.first_response if other else None
        ),
        _stats_row("next response", section.next_response, other.next_response if other else None),
    ]
    overdue = _pair(str(section.overdue_now), str(other.overdue_now) if other else None)
    breaches = _pair(str(section.breaches), str(other.breaches) if other else None)
    lines.append(f"  overdue now: {overdue}   breaches: {breaches}")
    return lines


def format_table(report: Report, what_if: Report | None = None, what_if_text: str = "") -> str:
    """The report for a terminal: the whole, then per channel, agent and tag, then volume,
    escalations and ignored threads."""
    lines: list[str] = []
    if what_if is not None:
        lines += [
            f"What if {what_if_text}: figures read now → what-if.",
            f"Breaches would have gone from {report.whole.breaches} to {what_if.whole.breaches}.",
            "",
        ]
    lines += _section_lines("All threads", report.whole, what_if.whole if what_if else None)
    groups = (
        ("Channel", report.by_channel, what_if.by_channel if what_if else {}),
        ("Agent", report.by_agent, what_if.by_agent if what_if else {}),
        ("Tag", report.by_tag, what_if.by_tag if what_if else {}),
    )
    for kind, sections, others in groups:
        for name, section in sections.items():
            lines += ["", *_section_lines(f"{kind} {name}", section, others.get(name))]
    lines += ["", "Customer messages by hour (team time)"]
    peak = max(report.volume_by_hour.values(), default=0)
    for hour, count in report.volume_by_hour.items():
        bar = _BAR * (round(30 * count / peak) if peak else 0)
        lines.append(f"  {hour}:00 {count:>6} {bar}")
    if report.volume_by_channel:
        volume = ", ".join(f"{k} {v}" for k, v in report.volume_by_channel.items())
        lines += ["", f"Customer messages by channel: {volume}"]
    if report.escalations:
        targets = ", ".join(f"{k} {v}" for k, v in report.escalations.items())
        follow = report.follow_up
        lines += [
            "",
            f"Escalations: {sum(report.escalations.values())} ({targets}); first update "
            f"after escalating: median {_seconds(follow.median_seconds)}, "
            f"p90 {_seconds(follow.p90_seconds)}, in window {_share(follow.within_window_share)}",
        ]
    if report.ignored:
        reasons = ", ".join(f"{k} {v}" for k, v in report.ignored.items())
        lines += ["", f"Ignored: {sum(report.ignored.values())} ({reasons})"]
    return "\n".join(lines) + "\n"


def _csv_rows(label: str, report: Report) -> list[list[object]]:
    rows: list[list[object]] = []
    groups = (
        ("all", {"": report.whole}),
        ("channel", report.by_channel),
        ("agent", report.by_agent),
        ("tag", report.by_tag),
    )
    for scope, sections in groups:
        for name, s in sections.items():
            rows.append(
                [label, scope, name, s.threads]
                + [
                    value
                    for stats in (s.first_response, s.next_response)
                    for value in (
                        stats.count,
                        stats.median_seconds,
                        stats.p90_seconds,
                        stats.within_window_share,
                    )
                ]
                + [s.overdue_now, s.breaches]
            )
    return rows


def format_csv(report: Report, what_if: Report | None = None) -> str:
    """One row per scope (all, each channel, agent and tag); `report` is `actual` or `what_if`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_rows("actual", report))
    if what_if is not None:
        writer.writerows(_csv_rows("what_if", what_if))
    return buffer.getvalue()
