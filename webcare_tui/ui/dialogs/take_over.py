"""Taking or changing a colleague's thread is a decision with a reason: recorded, and they
are told."""

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

    def question(self) -> str:
        return (
            f"Thread #{self.thread_id} is {self.holder}'s. Take it over? Say why: "
            f"it is recorded, and {self.holder} is told."
        )

    hint = "enter takes it over · escape leaves it"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question(), markup=False)
            yield Input(placeholder="on holiday, asked me to, customer called, …", id="reason")
            yield Label(self.hint, classes="hint", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss_required(event.value, "Give a reason: it is their thread.")


class ColleagueChangeDialog(TakeOverDialog):
    """Before ignoring, snoozing, tagging or resolving a colleague's thread: the warning
    naming the holder, and the reason (None when cancelled)."""

    def __init__(self, thread_id: int, holder: str, what: str) -> None:
        super().__init__(thread_id, holder)
        self.what = what

    def question(self) -> str:
        return (
            f"{self.holder} holds #{self.thread_id}: why do you change it? "
            f"The reason is recorded, and {self.holder} is told it was {self.what}."
        )

    hint = "enter goes on · escape leaves their thread alone"
