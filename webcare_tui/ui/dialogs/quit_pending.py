"""Quitting while a reply waits out its undo window: send it now, take it back, or leave it."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class QuitChoice(StrEnum):
    SEND_NOW = "send now"
    TAKE_BACK = "take back"
    LEAVE = "leave"


QUIT_BINDINGS: list[Binding] = [
    Binding("s", "choose('send now')", "Send now, then quit", id="quit.send_now"),
    Binding("t", "choose('take back')", "Take back into the draft, then quit", id="quit.take_back"),
    Binding("l", "choose('leave')", "Leave it to the poller, quit", id="quit.leave"),
    Binding("escape", "stay", "Stay", id="quit.stay"),
]


class QuitWithPendingDialog(ModalScreen[QuitChoice | None]):
    """Returns what to do with the replies in their undo window, or None to stay."""

    BINDINGS: ClassVar[list[BindingType]] = [*QUIT_BINDINGS]
    DEFAULT_CSS = """
    QuitWithPendingDialog { align: center middle; }
    QuitWithPendingDialog > Vertical {
        width: 64; max-width: 95%; height: auto; padding: 1 2;
        background: $surface; border: round $warning;
    }
    QuitWithPendingDialog .title { text-style: bold; margin-bottom: 1; }
    QuitWithPendingDialog Label { width: 100%; }
    QuitWithPendingDialog .hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, count: int, *, poller_runs: bool) -> None:
        super().__init__()
        self.count = count
        self.poller_runs = poller_runs

    def compose(self) -> ComposeResult:
        what = "A reply is" if self.count == 1 else f"{self.count} replies are"
        later = (
            "the running poller sends it"
            if self.poller_runs
            else "no poller runs now: sent when one or a TUI next runs"
        )
        with Vertical():
            yield Label(f"{what} still in the undo window.", classes="title", markup=False)
            yield Label("s  send now, then quit", markup=False)
            yield Label("t  take back into the draft, then quit", markup=False)
            yield Label(f"l  leave it and quit: {later}", markup=False)
            yield Label("escape stays", classes="hint", markup=False)

    def action_choose(self, choice: str) -> None:
        self.dismiss(QuitChoice(choice))

    def action_stay(self) -> None:
        self.dismiss(None)
