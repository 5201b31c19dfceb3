"""The canned replies, fuzzy-filtered as the agent types: enter puts one into the draft."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from webcare_tui.core.canned import CannedReply, fuzzy_filter
from webcare_tui.ui.dialogs.dialog import Dialog

CANNED_BINDINGS: list[Binding] = [
    Binding("down", "move(1)", "Next reply", id="canned.next", show=False),
    Binding("up", "move(-1)", "Previous reply", id="canned.previous", show=False),
    Binding("escape", "cancel", "Cancel", id="canned.cancel"),
]

PREVIEW = 60  # one line of the dialog at 80 columns


def _prompt(reply: CannedReply) -> Text:
    prompt = Text(end="")
    prompt.append(reply.title, style="bold")
    prompt.append(f"  {reply.lang}", style="dim")
    preview = " ".join(reply.text.split())
    if len(preview) > PREVIEW:
        preview = preview[: PREVIEW - 1] + "…"
    prompt.append("\n")
    prompt.append(preview, style="dim")
    return prompt


class CannedPicker(Dialog[CannedReply | None]):
    """Returns the chosen canned reply (placeholders not yet filled), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [*CANNED_BINDINGS]
    DEFAULT_CSS = """
    CannedPicker > Vertical { width: 84; max-width: 95%; max-height: 90%; }
    CannedPicker OptionList { height: auto; max-height: 16; margin-top: 1; }
    CannedPicker .hint { margin-top: 1; width: 100%; }
    """

    def __init__(self, replies: Sequence[CannedReply], *, lang: str | None = None) -> None:
        super().__init__()
        # The customer's language first; otherwise the files' order.
        self.replies = sorted(replies, key=lambda r: r.lang != lang) if lang else list(replies)
        self.shown: list[CannedReply] = list(self.replies)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Canned replies", markup=False)
            yield Input(placeholder="filter: title, key or words of the text", id="canned-filter")
            yield OptionList(*self._options(), id="canned-list")
            yield Label(
                "enter puts it into the draft · ↑↓ choose · escape cancels",
                classes="hint",
                markup=False,
            )

    def _options(self) -> list[Option]:
        if not self.shown:
            return [Option(Text("No canned reply matches.", style="dim"), disabled=True)]
        return [Option(_prompt(reply), id=str(index)) for index, reply in enumerate(self.shown)]

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0 if self.shown else None
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.shown = fuzzy_filter(self.replies, event.value)
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = 0 if self.shown else None

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self._choose(self.query_one(OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.shown):
            self.notify("Nothing to choose: change the filter.", severity="warning", markup=False)
            return
        self.dismiss(self.shown[index])

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if not self.shown:
            return
        current = options.highlighted if options.highlighted is not None else -step
        options.highlighted = max(0, min(len(self.shown) - 1, current + step))
