"""Tagging (`t`): the tags of `[tags] names`, those the customer's words suggest first; one
key toggles one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from webcare_tui.ui.dialogs.dialog import CANCEL, Dialog

KEYS = "123456789abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class Retag:
    add: tuple[str, ...]
    remove: tuple[str, ...]


def tag_order(names: Sequence[str], suggested: Sequence[str]) -> list[str]:
    """Suggested tags first (in config order), then the rest of `names`."""
    wanted = [n for n in names if n in suggested]
    return wanted + [n for n in names if n not in suggested]


class TagDialog(Dialog[Retag | None]):
    """Returns the tags to add and to take off, or None when cancelled or unchanged."""

    BINDINGS = [
        Binding("enter", "apply", "Apply", id="tag.apply"),
        CANCEL,
    ]
    AUTO_FOCUS = ""  # the keys toggle; nothing to focus
    DEFAULT_CSS = """
    TagDialog > Vertical { width: 56; }
    TagDialog #choices { margin: 1 0; }
    """

    def __init__(
        self, names: Sequence[str], suggested: Sequence[str], current: Sequence[str]
    ) -> None:
        super().__init__()
        self.order = tag_order(names, suggested)[: len(KEYS)]
        self.suggested = frozenset(suggested)
        self.before = frozenset(current)
        self.chosen = set(current)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Tag this thread: a key toggles a tag", markup=False)
            yield Static(self._choices(), id="choices")
            yield Label("enter applies · escape cancels", classes="hint", markup=False)

    def _choices(self) -> Text:
        if not self.order:
            return Text("No tags configured: add [tags] names to the config.")
        lines = []
        for key, name in zip(KEYS, self.order, strict=False):
            on = name in self.chosen
            line = Text(f"  {key}  {'[x]' if on else '[ ]'} {name}", style="bold" if on else "")
            if name in self.suggested:
                line.append("  suggested", style="italic")
            lines.append(line)
        return Text("\n").join(lines)

    def on_key(self, event: events.Key) -> None:
        key = event.character
        if key and key in KEYS[: len(self.order)]:
            event.stop()
            self.chosen ^= {self.order[KEYS.index(key)]}
            self.query_one("#choices", Static).update(self._choices())

    def action_apply(self) -> None:
        add = tuple(n for n in self.order if n in self.chosen and n not in self.before)
        remove = tuple(n for n in self.order if n in self.before and n not in self.chosen)
        self.dismiss(Retag(add, remove) if add or remove else None)
