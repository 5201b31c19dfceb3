"""The report screen's figures (`Reports`): the history read once, each clock's due times
kept, and still the same figures as a report computed afresh, after the store changes too."""

from __future__ import annotations

from datetime import datetime, timedelta

from webcare_tui.config import Config
from webcare_tui.core.model import IncomingMessage
from webcare_tui.core.report import build_report
from webcare_tui.core.whatif import clock_under, parse_what_if
from webcare_tui.services.insights import Reports
from webcare_tui.store import Store


def fresh(store: Store, demo: Config, now: datetime, what_if: list[str]) -> object:
    clock = clock_under(demo.clock(), parse_what_if(what_if)) if what_if else demo.clock()
    return build_report(list(store.histories()), clock, now)


def test_each_view_says_what_a_fresh_report_says(
    demo_store: Store, demo: Config, now: datetime
) -> None:
    reports = Reports(demo_store, demo.clock())
    lenient, strict = ["first_response=3d"], ["first_response=1m", "hours=always"]
    for what_if in (lenient, strict, lenient, []):
        view = reports.view(now, what_if)
        assert view.report == fresh(demo_store, demo, now, [])
        if what_if:
            assert view.what_if == fresh(demo_store, demo, now, what_if)
    assert reports.view(now, lenient).what_if != reports.view(now, strict).what_if
    later = now + timedelta(hours=5)
    assert reports.view(later, strict).what_if == fresh(demo_store, demo, later, strict)


def test_after_forget_the_figures_count_what_came_in(
    demo_store: Store, demo: Config, now: datetime
) -> None:
    reports = Reports(demo_store, demo.clock())
    before = reports.view(now, ["first_response=2h"])
    message = IncomingMessage("late-1", "newcomer", "Where is my parcel?", now - timedelta(hours=3))
    demo_store.ingest("demo", "mastodon", [message], clock=demo.clock(), seen_at=now)
    assert reports.view(now, ["first_response=2h"]) == before  # read once, kept
    reports.forget()
    after = reports.view(now, ["first_response=2h"])
    assert after.report.whole.threads == before.report.whole.threads + 1
    assert after.report == fresh(demo_store, demo, now, [])
    assert after.what_if == fresh(demo_store, demo, now, ["first_response=2h"])
