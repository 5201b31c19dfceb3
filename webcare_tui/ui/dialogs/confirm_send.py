"""Blocking findings stop a send: this dialog shows them and asks for a deliberate override."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from webcare_tui.core.checks import Finding
from webcare_tui.ui.dialogs.dialog import Dialog
from webcare_tui.ui.widgets.draft_findings import findings_text

CONFIRM_BINDINGS: list[Binding] = [
    Binding("ctrl+s", "send_anyway", "Send anyway (recorded)", id="confirm.send_anyway"),
    Binding("escape", "cancel", "Back to the draft", id="confirm.cancel"),
]


class ConfirmSendDialog(Dialog[bool]):
    """Returns True when the agent sends anyway (the override is recorded with the reply)."""

    BINDINGS: ClassVar[list[BindingType]] = [*CONFIRM_BINDINGS]
    DEFAULT_CSS = """
    ConfirmSendDialog > Vertical {
        width: 76; max-width: 95%; max-height: 90%; border: round $error;
    }
    ConfirmSendDialog .title { text-style: bold; margin-bottom: 1; }
    ConfirmSendDialog VerticalScroll { height: auto; max-height: 14; }
    ConfirmSendDialog .hint { margin-top: 1; width: 100%; }
    """

    def __init__(self, findings: Sequence[Finding]) -> None:
        super().__init__()
        self.findings = list(findings)

    def compose(self) -> ComposeResult:
        stopping = [f for f in self.findings if f.severity == "block"]
        title = "1 check stops" if len(stopping) == 1 else f"{len(stopping)} checks stop"
        with Vertical():
            yield Label(f"{title} this reply", classes="title", markup=False)
            with VerticalScroll():
                yield Static(findings_text(self.findings, {"block": "bold"}), id="confirm-findings")
            yield Label(
                "ctrl+s sends anyway: the override is recorded with the reply · "
                "escape goes back to the draft",
                classes="hint",
                markup=False,
            )

    def action_send_anyway(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
