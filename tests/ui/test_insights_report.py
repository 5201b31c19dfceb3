"""The report screen (`R`): the figures of `webcare report`, and a what-if typed on it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime

from tests.fakes.clock import FROZEN_NOW
from tests.pilot import PATIENCE, press_and_settle, running, settle, until
from webcare_tui.core.report import build_report
from webcare_tui.core.whatif import clock_under, parse_what_if
from webcare_tui.services.insights import ReportView
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.screens.report import ReportScreen


def shown(app: WebcareApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_r_shows_the_report_of_the_stored_history(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    report = build_report(list(app.store.histories()), app.clock, FROZEN_NOW)
    async with running(app, size=(120, 40)) as pilot:
        await press_and_settle(pilot, "R")
        assert isinstance(app.screen, ReportScreen)
        figures = shown(app, "#figures")
        assert "All threads" in figures
        assert f"{report.whole.threads}" in figures
        assert "Customer messages by hour" in figures and "█" in figures
        for channel in report.by_channel:
            assert f"Channel {channel}" in figures
        await pilot.press("escape")
        assert not isinstance(app.screen, ReportScreen)


async def test_a_what_if_says_what_it_would_have_done_to_breaches(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    histories = list(app.store.histories())
    now_breaches = build_report(histories, app.clock, FROZEN_NOW).whole.breaches
    lenient = clock_under(app.clock, parse_what_if(["first_response=3d"]))
    then_breaches = build_report(histories, lenient, FROZEN_NOW).whole.breaches
    assert then_breaches < now_breaches  # the demo has late first replies to forgive
    async with running(app, size=(120, 40)) as pilot:
        await press_and_settle(pilot, "R")
        assert shown(app, "#verdict").strip() == ""
        await press_and_settle(pilot, "w", *"first_response=3d", "enter")
        assert shown(app, "#verdict") == (
            f"first_response=3d would have cut breaches from {now_breaches} to {then_breaches}"
        )


async def test_a_what_if_that_does_not_parse_is_said_and_the_report_stays(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    async with running(app, size=(80, 24)) as pilot:
        await press_and_settle(pilot, "R")
        before = shown(app, "#figures")
        await press_and_settle(pilot, "w", *"speed=[b]fast", "enter")
        assert "KEY=VALUE" in shown(app, "#verdict")
        assert shown(app, "#figures") == before
        await press_and_settle(pilot, "w", "ctrl+u", *' hours="mon', "enter")  # unbalanced quote
        assert "quotation" in shown(app, "#verdict")


async def test_what_ifs_asked_while_one_computes_wait_and_only_the_latest_runs(
    build_app: Callable[..., WebcareApp],
) -> None:
    app = build_app()
    reports = app.workspace.reports
    real_view = reports.view
    gate = threading.Event()
    asked: list[tuple[str, ...]] = []

    def held_view(now: datetime, what_if: Sequence[str] = ()) -> ReportView:
        asked.append(tuple(what_if))
        gate.wait(timeout=PATIENCE)
        return real_view(now, what_if)

    reports.view = held_view  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await until(pilot, lambda: len(asked) == 1)
        assert shown(app, "#verdict") == "Computing…"
        for what_if in ("first_response=2h", "first_response=3h", "first_response=3d"):
            await pilot.press("w", "ctrl+u", *what_if, "enter")
        assert asked == [()]  # nothing started beside the running one
        gate.set()
        await until(pilot, lambda: "would have" in shown(app, "#verdict"))
        await settle(pilot)
        assert asked == [(), ("first_response=3d",)]
        assert shown(app, "#verdict").startswith("first_response=3d would have")
        assert "All threads" in shown(app, "#figures")
