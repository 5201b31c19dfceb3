"""Taking a colleague's thread is a decision with a reason: recorded, and they are told."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from webcare_tui.ui.dialogs.dialog import CANCEL, TextAnswerDialog


class TakeOverDialog(TextAnswerDialog):
    """Returns the reason given, or None when cancelled."""

    BINDINGS = [CANCEL]
    DEFAULT_CSS = """
    TakeOverDialog > Vertical { width: 64; }
    TakeOverDialog Label { margin-bottom: 1; }
    """

    def __init__(self, thread_id: int, holder: str) -> None:
        super().__init__()
        self.thread_id = thread_id
        self.holder = holder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                f"Thread #{self.thread_id} is {self.holder}'s. Take it over? Say why: "
                f"it is recorded, and {self.holder} is told.",
                markup=False,
            )
            yield Input(placeholder="on holiday, asked me to, customer called, …", id="reason")
            yield Label("enter takes it over · escape leaves it", classes="hint", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss_required(event.value, "Give a reason: it is their thread.")
