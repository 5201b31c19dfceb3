"""The report as a terminal table and as CSV, with what-if beside each figure."""

from __future__ import annotations

import csv
import io

from tests.core.test_report import HISTORY, NOW
from webcare_tui.core.clock import ResponseClock, ResponseWindow
from webcare_tui.core.report import build_report
from webcare_tui.core.report_format import CSV_COLUMNS, format_csv, format_table
from webcare_tui.core.whatif import clock_under, parse_what_if

TEAM = ResponseClock("UTC", [ResponseWindow("*", "60m", "4h", "1d", "mon-fri 09:00-17:00")])


def test_the_table_names_the_breaches_what_if_would_have_cut() -> None:
    what_if = parse_what_if(["first_response=2h"])
    table = format_table(
        build_report(HISTORY, TEAM, NOW),
        build_report(HISTORY, clock_under(TEAM, what_if), NOW),
        what_if.describe(),
    )
    assert "Breaches would have gone from 3 to 1." in table
    assert "75% → 100%" in table  # first responses in the window
    assert "All threads (6 threads)" in table and "Tag billing (2 threads)" in table
    assert "Ignored: 1 (thanks 1)" in table
    assert "Escalations: 1 (phone 1)" in table


def test_csv_has_one_row_per_scope_for_both_reports() -> None:
    report = build_report(HISTORY, TEAM, NOW)
    rows = list(csv.reader(io.StringIO(format_csv(report, report))))
    assert tuple(rows[0]) == CSV_COLUMNS
    actual = [r for r in rows[1:] if r[0] == "actual"]
    assert [r[1:3] for r in actual][:3] == [
        ["all", ""],
        ["channel", "bluesky"],
        ["channel", "mastodon"],
    ]
    assert actual[0][3:8] == ["6", "4", "4500.0", "49500.0", "0.75"]
    assert len(rows) == 1 + 2 * len(actual)
