"""Escalate a thread: to a phone call (number and time), to DM (both texts), or to a team.

The teams come from `[escalation] teams`, the same list the CLI accepts. Only the fields of the
chosen target show; the DM's two texts start from the templates and can be edited.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from webcare_tui.ui.dialogs.dialog import CANCEL, Dialog


@dataclass(frozen=True)
class Escalation:
    """What the agent chose: `to` (`phone`, `dm`, `team:NAME`) and the fields it needs."""

    to: str
    note: str = ""
    phone: str = ""
    call_at: str = ""
    dm: str = ""
    public: str = ""
    promise: str = ""


class EscalateDialog(Dialog[Escalation | None]):
    BINDINGS = [CANCEL]
    DEFAULT_CSS = """
    EscalateDialog > Vertical { width: 72; }
    EscalateDialog OptionList { height: auto; max-height: 8; margin-bottom: 1; }
    EscalateDialog .field { display: none; }
    EscalateDialog.phone .phone, EscalateDialog.dm .dm, EscalateDialog.team .team {
        display: block;
    }
    """

    def __init__(self, teams: tuple[str, ...], dm_text: str = "", public_text: str = "") -> None:
        super().__init__()
        self.teams = teams
        self.dm_text = dm_text
        self.public_text = public_text

    def compose(self) -> ComposeResult:
        targets = [
            Option("Phone: call the customer back", id="phone"),
            Option("DM: a direct message and a short public reply", id="dm"),
            *(Option(f"Team: {team}", id=f"team:{team}") for team in self.teams),
        ]
        with Vertical():
            yield Label("Escalate to:", markup=False)
            yield OptionList(*targets, markup=False)
            yield Input(placeholder="phone number (kept on the thread only)", id="phone",
                        classes="field phone")  # fmt: skip
            yield Input(placeholder="call at: 16:00, vandaag nog, vrijdag (else follow-up)",
                        id="call_at", classes="field phone")  # fmt: skip
            yield Label("Direct message:", classes="field dm", markup=False)
            yield Input(self.dm_text, id="dm", classes="field dm")
            yield Label("Public reply:", classes="field dm", markup=False)
            yield Input(self.public_text, id="public", classes="field dm")
            yield Input(placeholder="note: what is needed", id="note", classes="field phone team")
            yield Input(placeholder="promised an update by: vandaag nog, vrijdag, 16:00",
                        id="promise", classes="field dm team")  # fmt: skip
            yield Label("enter escalates · escape cancels", classes="hint", markup=False)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        target = event.option.id or ""
        kind = "team" if target.startswith("team:") else target
        self.set_class(kind == "phone", "phone")
        self.set_class(kind == "dm", "dm")
        self.set_class(kind == "team", "team")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        target = event.option.id or ""
        first = {"phone": "#phone", "dm": "#dm"}.get(target, "#note")
        self.query_one(first, Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            self.notify("Choose where to escalate to.", severity="warning", markup=False)
            options.focus()
            return
        target = options.get_option_at_index(index).id or "dm"

        def value(name: str) -> str:
            return self.query_one(f"#{name}", Input).value.strip()

        if target == "phone" and not value("phone"):
            self.notify("Type the customer's phone number.", severity="warning", markup=False)
            self.query_one("#phone", Input).focus()
            return
        if target.startswith("team:") and not value("note"):
            self.notify("Say what the team needs to do.", severity="warning", markup=False)
            self.query_one("#note", Input).focus()
            return
        self.dismiss(
            Escalation(
                target,
                note=value("note"),
                phone=value("phone"),
                call_at=value("call_at"),
                dm=value("dm"),
                public=value("public"),
                promise=value("promise"),
            )
        )
