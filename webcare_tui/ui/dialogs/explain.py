"""`w`, why: how a thread's due time came about, in plain words."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from webcare_tui.ui.dialogs.dialog import Dialog


class ExplainDialog(Dialog[None]):
    BINDINGS = [Binding("escape,w,q", "cancel", "Close", id="explain.close")]
    DEFAULT_CSS = """
    ExplainDialog > Vertical { width: 76; max-height: 90%; }
    ExplainDialog .hint { margin-top: 1; }
    """

    def __init__(self, title: str, lines: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines

    def compose(self) -> ComposeResult:
        text = Text(end="")
        text.append(self.title_text + "\n\n", style="bold")
        text.append("\n".join(self.lines))
        with Vertical():
            yield Static(text)
            yield Static("escape closes", classes="hint", markup=False)
