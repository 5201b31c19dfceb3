"""Snoozing (`s`): out of the feed until a time, or until the customer writes again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label

from webcare_tui.core.moments import parse_until
from webcare_tui.core.timeutil import utc
from webcare_tui.ui.dialogs.dialog import CANCEL, Dialog

# "Until the customer writes" still needs a time in the store: one far enough off that only
# the customer's next message (which always wakes a snoozed thread) ends it in practice.
UNTIL_THEY_WRITE = timedelta(days=365)
MORNING = time(9, 0)


@dataclass(frozen=True)
class Snooze:
    until: datetime
    text: str  # how the agent is told: "until Wed 09:00", "until the customer writes"


def tomorrow_morning(now: datetime, zone: ZoneInfo) -> datetime:
    """09:00 of the day after `now`, in the team's zone, as UTC."""
    local = now.astimezone(zone)
    return utc(datetime.combine(local.date() + timedelta(days=1), MORNING, tzinfo=zone))


def typed_snooze(text: str, now: datetime, zone: ZoneInfo) -> Snooze:
    """The moment an agent typed (`14:30`, `2h`, ISO 8601). Raises ValueError."""
    until = parse_until(text, now, zone)
    if until <= now:
        raise ValueError("that is not in the future")
    return Snooze(until, f"until {until.astimezone(zone):%a %d %b %H:%M}")


SNOOZE_BINDINGS: list[BindingType] = [
    Binding("1", "pick('2h')", "For 2 hours", id="snooze.two_hours"),
    Binding("2", "pick('tomorrow')", "Until tomorrow 09:00", id="snooze.tomorrow"),
    Binding("3", "pick('customer')", "Until the customer writes", id="snooze.customer"),
    Binding("tab", "type_time", "Type a time", id="snooze.type"),
    CANCEL,
]


class SnoozeDialog(Dialog[Snooze | None]):
    """Returns when the snooze ends, or None when cancelled."""

    BINDINGS = SNOOZE_BINDINGS
    AUTO_FOCUS = ""  # the number keys pick; tab moves to the box to type a time
    DEFAULT_CSS = """
    SnoozeDialog > Vertical { width: 64; }
    SnoozeDialog Input { margin: 1 0 0 0; }
    SnoozeDialog #problem { color: $error; height: auto; }
    """

    def __init__(self, now: datetime, zone: ZoneInfo) -> None:
        super().__init__()
        self.now = now
        self.zone = zone

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Snooze this thread: out of the feed until", markup=False)
            yield Label("  1  for 2 hours", markup=False)
            yield Label("  2  tomorrow 09:00", markup=False)
            yield Label("  3  the customer writes again", markup=False)
            yield Input(placeholder="tab, then HH:MM, 2h or 2026-12-03T10:00", id="until")
            yield Label("", id="problem", markup=False)
            yield Label(
                "A customer message always brings it back · escape cancels",
                classes="hint",
                markup=False,
            )

    def action_pick(self, choice: str) -> None:
        if choice == "customer":
            self.dismiss(Snooze(self.now + UNTIL_THEY_WRITE, "until the customer writes"))
        elif choice == "tomorrow":
            until = tomorrow_morning(self.now, self.zone)
            self.dismiss(Snooze(until, f"until {until.astimezone(self.zone):%a %H:%M}"))
        else:
            self.dismiss(typed_snooze(choice, self.now, self.zone))

    def action_type_time(self) -> None:
        self.query_one("#until", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            snooze = typed_snooze(event.value, self.now, self.zone)
        except ValueError as error:
            self.query_one("#problem", Label).update(Text(str(error)))
            return
        self.dismiss(snooze)
