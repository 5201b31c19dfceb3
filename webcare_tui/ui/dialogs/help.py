"""`?`: every key of the application, as the keymap has them now."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from webcare_tui.ui.dialogs.dialog import Dialog


def key_rows(
    groups: Iterable[tuple[str, Iterable[BindingType]]], keymap: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(group, keys, description) for every binding, with the user's keymap applied."""
    rows: list[tuple[str, str, str]] = []
    for group, bindings in groups:
        for binding in bindings:
            if not isinstance(binding, Binding):
                continue
            keys = keymap.get(binding.id or "", binding.key) if binding.id else binding.key
            shown = ", ".join(_pretty(k) for k in keys.split(","))
            rows.append((group, shown, binding.description or binding.action))
    return rows


def _pretty(key: str) -> str:
    return {"question_mark": "?", "slash": "/", "ctrl+p": "ctrl+p"}.get(key.strip(), key.strip())


class HelpDialog(Dialog[None]):
    BINDINGS = [Binding("escape,q,question_mark", "cancel", "Close", id="help.close")]
    DEFAULT_CSS = """
    HelpDialog > VerticalScroll { width: 72; max-height: 90%; }
    """

    def __init__(self, rows: list[tuple[str, str, str]], promise: str = "") -> None:
        super().__init__()
        self.rows = rows
        self.promise = promise

    def compose(self) -> ComposeResult:
        text = Text(end="")
        text.append("Keys\n", style="bold")
        group = None
        for row_group, keys, description in self.rows:
            if row_group != group:
                group = row_group
                text.append(f"\n{group}\n", style="bold")
            text.append(f"  {keys:<22}", style="bold")
            text.append(f"{description}\n")
        if self.promise:
            text.append("\nOur promise (webcare window-text)\n", style="bold")
            text.append(self.promise + "\n")
        text.append("\nescape closes this help", style="italic")
        with VerticalScroll():
            yield Static(text)
