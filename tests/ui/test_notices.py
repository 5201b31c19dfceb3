"""Arrivals add up in one notice, and no notice covers the draft or its findings at 80x24."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import TextArea
from textual.widgets._toast import Toast

from tests.fakes.clock import FakeClock
from tests.pilot import settle
from tests.ui.test_reply import draft_kind, pane
from webcare_tui.services.poller import PollOutcome
from webcare_tui.ui.app import WebcareApp
from webcare_tui.ui.arrivals import ARRIVALS_TITLE, Arrivals
from webcare_tui.ui.widgets.draft_findings import DraftFindings


def arrivals(app: WebcareApp) -> list[str]:
    return [n.message for n in app._notifications if n.title == ARRIVALS_TITLE]


def test_the_arrivals_text_adds_up_every_connector() -> None:
    counts = Arrivals()
    counts.add("demo-mastodon", 3, 2)
    counts.add("demo-bluesky", 1, 0)
    counts.add("demo-mastodon", 0, 1)
    assert (
        counts.text() == "4 new threads, 3 reopened by the customer · demo-mastodon, demo-bluesky"
    )
    counts.clear()
    counts.add("demo-bluesky", 1, 0)
    assert counts.text() == "1 new thread · demo-bluesky"


async def test_arrivals_coalesce_and_notices_stay_off_the_draft_and_findings(
    build_app: Callable[..., WebcareApp], clock: FakeClock
) -> None:
    app = build_app(now=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await draft_kind(pilot)
        app._poll_outcome(PollOutcome("demo-mastodon", True, 5, 3, reopened_threads=2))
        app._poll_outcome(PollOutcome("demo-bluesky", True, 1, 1))
        app._poll_outcome(PollOutcome("demo-mastodon", True, 1, 1))
        app.notify("Reply to anna sent.", markup=False)
        await settle(pilot)
        assert arrivals(app) == [
            "5 new threads, 2 reopened by the customer · demo-mastodon, demo-bluesky"
        ]
        screen = pane(app)
        toasts = list(screen.query(Toast))
        assert len(toasts) == 2
        draft = screen.query_one(TextArea).region
        findings = screen.query_one(DraftFindings).region
        for toast in toasts:
            assert not toast.region.overlaps(draft), (toast.region, draft)
            assert not toast.region.overlaps(findings), (toast.region, findings)
