"""Where a sent reply stands: "Sending in 9s · u to undo", sent, or why it did not go out."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual.widgets import Static

from webcare_tui.core.outbox import OutboxItem, OutboxState


def banner_text(
    item: OutboxItem, now: datetime, timezone: tzinfo, window: float | None = None
) -> str:
    """The banner line for `item` at `now`, times shown in the team's timezone; the countdown
    never shows more than the undo `window`."""

    def clock(moment: datetime) -> str:
        return moment.astimezone(timezone).strftime("%H:%M:%S")

    if item.state is OutboxState.QUEUED:
        left = item.seconds_left(now, window)
        if left > 0:
            return f"Sending in {left}s · u to undo"
        return "Sending… · u to undo"
    if item.state is OutboxState.SENDING:
        return "Sending…"
    if item.state is OutboxState.SENT:
        when = f" at {clock(item.sent_at)}" if item.sent_at else ""
        return f"Sent{when} · escape goes back"
    if item.state is OutboxState.AWAITING_APPROVAL:
        return "Waiting for a colleague's approval · u takes it back"
    if item.state is OutboxState.UNCONFIRMED:
        error = item.last_error or "the answer was lost"
        if item.retry_at is not None:
            return f"Not confirmed yet: {error} · looking again at {clock(item.retry_at)}"
        return f"Not confirmed: {error} · `webcare outbox retry {item.id}` resolves it"
    if item.state is OutboxState.FAILED:
        error = item.last_error or "unknown error"
        if item.retry_at is not None:
            return f"Not sent yet: {error} · next try at {clock(item.retry_at)} · u to undo"
        return f"Not sent: {error} · ctrl+s tries again · u takes it back"
    return "Taken back into the draft"


class SendBanner(Static):
    """The state of this agent's reply in the outbox; hidden while there is none."""

    DEFAULT_CSS = """
    SendBanner { height: auto; max-height: 3; padding: 0 1; display: none; text-style: bold; }
    SendBanner.-shown { display: block; }
    SendBanner.-queued { background: $warning 30%; }
    SendBanner.-sending { background: $warning 30%; }
    SendBanner.-sent { background: $success 30%; }
    SendBanner.-failed { background: $error 30%; }
    SendBanner.-unconfirmed { background: $warning 30%; }
    SendBanner.-awaiting_approval { background: $warning 30%; }
    """

    def __init__(self, *, window: float | None = None, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.item: OutboxItem | None = None
        self.window = window

    def show(self, item: OutboxItem | None, now: datetime, timezone: tzinfo) -> None:
        self.item = item
        shown = item is not None and item.state is not OutboxState.CANCELLED
        self.set_class(shown, "-shown")
        for state in OutboxState:
            self.set_class(item is not None and item.state is state, f"-{state.value}")
        # The error text comes from a platform: shown as plain text, never markup.
        self.update(
            Text(banner_text(item, now, timezone, self.window), end="") if item and shown else ""
        )
