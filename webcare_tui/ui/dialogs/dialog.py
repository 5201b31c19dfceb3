"""The one base of every modal in the app: a box in the middle of the screen.

A dialog yields one container (a `Vertical`, or a `VerticalScroll` for long text) and sets
its width; the base gives it the frame, and `action_cancel` (bound to escape by each dialog,
`CANCEL` or under its own binding id) dismisses it without a result.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input, TextArea

from webcare_tui.ui.app_clock import steady_cursors
from webcare_tui.ui.failures import ForwardsWorkerFailures

ResultType = TypeVar("ResultType")

CANCEL = Binding("escape", "cancel", "Cancel", id="dialog.cancel")


class Dialog(ForwardsWorkerFailures, ModalScreen[ResultType]):
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical, Dialog > VerticalScroll {
        height: auto; padding: 1 2; background: $surface; border: round $primary;
    }
    Dialog .hint { color: $text-muted; }
    """

    @on(events.Mount)
    def _steady_cursors(self) -> None:
        steady_cursors(self, *self.query(Input), *self.query(TextArea))

    def action_cancel(self) -> None:
        self.dismiss(None)


class TextAnswerDialog(Dialog[str | None]):
    """A dialog whose answer is a line the agent typed, or None when cancelled."""

    def dismiss_required(self, typed: str, needed: str) -> None:
        """Dismiss with `typed`, stripped; when nothing was typed, stay and say `needed`."""
        answer = typed.strip()
        if not answer:
            self.notify(needed, severity="warning", markup=False)
            return
        self.dismiss(answer)
