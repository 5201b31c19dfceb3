"""Blocking findings stop a send: this dialog shows them and asks for a deliberate override,
with the agent's reason (one line, on the record with the reply)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Static

from webcare_tui.core.checks import Finding
from webcare_tui.ui.dialogs.dialog import Dialog
from webcare_tui.ui.widgets.draft_findings import findings_text

CONFIRM_BINDINGS: list[Binding] = [
    Binding("ctrl+s", "send_anyway", "Send anyway (reason recorded)", id="confirm.send_anyway"),
    Binding("escape", "cancel", "Back to the draft", id="confirm.cancel"),
]


class ConfirmSendDialog(Dialog[str]):
    """Returns the agent's reason when they send anyway (recorded with the reply), else None.

    A reason is required: a second ctrl+s without one sends nothing, so a reflex cannot send
    a blocked reply. `needs_reason` is False when only the thread's ownership stops it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [*CONFIRM_BINDINGS]
    DEFAULT_CSS = """
    ConfirmSendDialog > Vertical {
        width: 76; max-width: 95%; max-height: 90%; border: round $error;
    }
    ConfirmSendDialog .title { text-style: bold; margin-bottom: 1; }
    ConfirmSendDialog VerticalScroll { height: auto; max-height: 14; }
    ConfirmSendDialog .hint { margin-top: 1; width: 100%; }
    ConfirmSendDialog #confirm-missing { color: $error; display: none; }
    ConfirmSendDialog #confirm-missing.-shown { display: block; }
    """

    def __init__(
        self, findings: Sequence[Finding], *, needs_reason: bool = True, approval: bool = False
    ) -> None:
        super().__init__()
        self.findings = list(findings)
        self.needs_reason = needs_reason
        self.approval = approval

    def compose(self) -> ComposeResult:
        stopping = [f for f in self.findings if f.severity == "block"]
        title = "1 check stops" if len(stopping) == 1 else f"{len(stopping)} checks stop"
        with Vertical():
            yield Label(f"{title} this reply", classes="title", markup=False)
            with VerticalScroll():
                yield Static(findings_text(self.findings, {"block": "bold"}), id="confirm-findings")
            if self.needs_reason:
                yield Input(placeholder="Why does it go out anyway? (on the record)", id="reason")
                yield Label(
                    "A reason is needed to send past these checks.",
                    id="confirm-missing",
                    markup=False,
                )
            then = "a colleague approves it" if self.approval else "it is sent"
            yield Label(
                f"ctrl+s or enter: {then}, the override and reason on the record · "
                "escape goes back to the draft",
                classes="hint",
                markup=False,
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_send_anyway()

    def action_send_anyway(self) -> None:
        if not self.needs_reason:
            self.dismiss("")
            return
        reason = " ".join(self.query_one("#reason", Input).value.split())
        if not reason:
            self.query_one("#confirm-missing").add_class("-shown")
            self.query_one("#reason", Input).focus()
            return
        self.dismiss(reason)
