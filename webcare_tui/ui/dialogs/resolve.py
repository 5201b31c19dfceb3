"""Resolving a thread (`x`): how it ended, and tags from `[tags]`."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from webcare_tui.ui.dialogs.dialog import CANCEL, Dialog


@dataclass(frozen=True)
class Resolution:
    outcome: str
    tags: tuple[str, ...]


class ResolveDialog(Dialog[Resolution | None]):
    BINDINGS = [CANCEL]
    DEFAULT_CSS = """
    ResolveDialog > Vertical { width: 64; }
    ResolveDialog Input { margin-bottom: 1; }
    """

    def __init__(self, tags: tuple[str, ...]) -> None:
        super().__init__()
        self.tags = tags

    def compose(self) -> ComposeResult:
        known = ", ".join(self.tags) if self.tags else "none configured"
        with Vertical():
            yield Label("Resolve this thread: how did it end?", markup=False)
            yield Input(placeholder="outcome (optional)", id="outcome")
            yield Input(placeholder=f"tags, comma-separated: {known}", id="tags")
            yield Label("enter resolves · escape cancels", classes="hint", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "outcome":
            self.query_one("#tags", Input).focus()
            return
        raw = self.query_one("#tags", Input).value
        tags = tuple(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))
        self.dismiss(Resolution(self.query_one("#outcome", Input).value.strip(), tags))
