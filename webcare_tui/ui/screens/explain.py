"""`w`, why: how a thread's due time came about, in plain words."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ExplainScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,w,q", "close", "Close", id="explain.close")]
    DEFAULT_CSS = """
    ExplainScreen { align: center middle; }
    ExplainScreen > Vertical {
        width: 76; height: auto; max-height: 90%; padding: 1 2;
        background: $surface; border: round $primary;
    }
    ExplainScreen .hint { color: $text-muted; margin-top: 1; }
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

    def action_close(self) -> None:
        self.dismiss()
