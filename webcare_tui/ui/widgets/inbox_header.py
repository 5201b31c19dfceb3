"""The top line: team, who I am, the counts that matter and whether the team is open."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.clock_text import format_team_status, local_stamp
from webcare_tui.services.feed_pager import ORDER_LABELS, FeedOrder
from webcare_tui.services.inbox_status import InboxCounts
from webcare_tui.ui.app_clock import app_now


def channels_status(clock: ResponseClock, channels: Sequence[str], now: datetime) -> str:
    """The team's open hours as the header says them: one status when every channel keeps
    the same hours, else per channel (`mastodon open · forum closed, opens Wed 09:00`)."""
    if len({clock.window_for(c).hours for c in channels}) <= 1:
        return format_team_status(clock, channels[0] if channels else "*", now)
    parts = []
    for channel in channels:
        if clock.is_open(channel, now):
            parts.append(f"{channel} open")
            continue
        change = clock.next_change(channel, now)
        local_now = now.astimezone(clock.timezone)
        when = ""
        if change is not None:
            local = change.astimezone(clock.timezone)
            stamp = local_stamp(local, local_now) if local.date() != local_now.date() else ""
            when = f", opens {stamp or f'{local:%H:%M}'}"
        parts.append(f"{channel} closed{when}")
    return " · ".join(parts)


class InboxHeader(Widget):
    DEFAULT_CSS = """
    InboxHeader {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    counts: reactive[InboxCounts] = reactive(InboxCounts, always_update=True)
    health: reactive[str] = reactive("")
    order: reactive[FeedOrder] = reactive(FeedOrder.DUE)

    def __init__(
        self, team: str, agent: str, clock: ResponseClock, channels: Sequence[str] = ()
    ) -> None:
        super().__init__()
        self.team = team
        self.agent = agent
        self.clock = clock
        self.channels = tuple(channels)

    def on_mount(self) -> None:
        self.watch(self.app, "now", self._tick, init=False)

    _status = ""

    def _tick(self, now: datetime) -> None:
        # The team status changes twice a day: a repaint every second would be bytes on the
        # wire for nothing.
        status = channels_status(self.clock, self.channels, now)  # what render shows
        if status != self._status:
            self._status = status
            self.refresh()

    def render(self) -> Text:
        now = app_now(self)
        counts = self.counts
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(self.team, style="bold")
        text.append(f" · {self.agent}   ")
        text.append(f"{counts.open} open", style="bold")
        text.append(" · ")
        overdue = counts.overdue
        text.append(f"{overdue} overdue", style="bold reverse" if overdue else "")
        text.append(f" · {counts.mine} mine   ")
        text.append(channels_status(self.clock, self.channels, now))
        if self.order is not FeedOrder.DUE:
            text.append(f"   sort: {ORDER_LABELS[self.order]}", style="bold")
        if self.health:
            text.append(f"   {self.health}")
        return text
