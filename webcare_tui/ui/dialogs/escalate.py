"""Escalate a thread: to a phone call, to DM, or to a team, with a note."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from webcare_tui.ui.dialogs.dialog import Dialog

TARGETS = (
    ("phone", "Phone: ask for a number and call back"),
    ("dm", "DM: take it to a private message"),
    ("team:backoffice", "Back office"),
    ("team:delivery", "Delivery team"),
    ("team:editorial", "Editorial"),
)


@dataclass(frozen=True)
class Escalation:
    to: str
    note: str


class EscalateDialog(Dialog[Escalation | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = """
    EscalateDialog > Vertical { width: 64; }
    EscalateDialog OptionList { height: auto; max-height: 8; margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Escalate to:", markup=False)
            yield OptionList(*(Option(label, id=target) for target, label in TARGETS), markup=False)
            yield Input(placeholder="note for the colleague (optional)", id="note")
            yield Label("enter escalates · escape cancels", classes="hint", markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#note", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            self.notify("Choose where to escalate to.", severity="warning", markup=False)
            options.focus()
            return
        target = options.get_option_at_index(index).id or "dm"
        self.dismiss(Escalation(target, event.value.strip()))
