"""Ignoring a mention is a decision with a reason: one key gives one of the usual reasons,
or the agent types their own."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from webcare_tui.ui.dialogs.dialog import CANCEL, TextAnswerDialog

# The contract's reasons, each on one key; `thanks` first: the usual one by far.
REASONS = {
    "t": "thanks",
    "s": "spam",
    "q": "no-question",
    "n": "not-about-us",
    "h": "handled-elsewhere",
}

IGNORE_BINDINGS: list[BindingType] = [
    *(
        Binding(key, f"pick('{reason}')", reason, id=f"ignore.{reason}")
        for key, reason in REASONS.items()
    ),
    Binding("o,tab", "type_reason", "Other reason", id="ignore.other"),
    CANCEL,
]


class IgnoreDialog(TextAnswerDialog):
    """Returns the reason given, or None when cancelled."""

    BINDINGS = IGNORE_BINDINGS
    AUTO_FOCUS = ""  # the letters pick a reason; `o` moves to the box to type one
    DEFAULT_CSS = """
    IgnoreDialog > Vertical { width: 64; }
    IgnoreDialog Input { margin-top: 1; }
    """

    def __init__(self, author: str) -> None:
        super().__init__()
        self.author = author

    def compose(self) -> ComposeResult:
        choices = Text("\n").join(Text(f"  {key}  {why}") for key, why in REASONS.items())
        with Vertical():
            yield Label("Ignore this thread? Say why, for the record.", markup=False)
            yield Static(choices)
            yield Input(placeholder="o, then another reason", id="reason")
            yield Label("enter ignores · escape cancels", classes="hint", markup=False)

    def action_pick(self, reason: str) -> None:
        self.dismiss(reason)

    def action_type_reason(self) -> None:
        self.query_one("#reason", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss_required(event.value, "Give a reason: ignoring is a decision.")
