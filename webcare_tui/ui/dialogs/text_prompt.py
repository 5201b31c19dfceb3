"""One line of text for the record: a private note (`n`), or how a call went."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from webcare_tui.ui.dialogs.dialog import CANCEL, TextAnswerDialog


class TextPrompt(TextAnswerDialog):
    """Returns the text typed (never empty), or None when cancelled."""

    BINDINGS = [CANCEL]
    DEFAULT_CSS = """
    TextPrompt > Vertical { width: 64; }
    TextPrompt Label { margin-bottom: 1; }
    """

    def __init__(self, question: str, placeholder: str, needed: str) -> None:
        super().__init__()
        self.question = question
        self.placeholder = placeholder
        self.needed = needed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            yield Input(placeholder=self.placeholder, id="text")
            yield Label("enter saves · escape cancels", classes="hint", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss_required(event.value, self.needed)
