"""Ignoring a mention is a decision with a reason: this dialog asks for it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from webcare_tui.ui.dialogs.dialog import Dialog

REASONS = ("spam", "not for us", "no reply needed", "duplicate", "troll")


class IgnoreDialog(Dialog[str | None]):
    """Returns the reason given, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]
    DEFAULT_CSS = """
    IgnoreDialog > Vertical { width: 64; }
    IgnoreDialog Label { margin-bottom: 1; }
    """

    def __init__(self, author: str) -> None:
        super().__init__()
        self.author = author

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Ignore this thread? Say why, for the record.", markup=False)
            yield Input(placeholder="spam, not for us, no reply needed, …", id="reason")
            yield Label("enter ignores · escape cancels", classes="hint", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.notify("Give a reason: ignoring is a decision.", severity="warning", markup=False)
            return
        self.dismiss(reason)
