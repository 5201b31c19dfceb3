"""Hand a thread to a colleague: pick one on shift, or type a name."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from webcare_tui.ui.dialogs.dialog import CANCEL, TextAnswerDialog
from webcare_tui.ui.safe_text import literal


class AssignToDialog(TextAnswerDialog):
    """Returns the colleague's name, or None when cancelled."""

    BINDINGS = [CANCEL]
    DEFAULT_CSS = """
    AssignToDialog > Vertical { width: 64; }
    AssignToDialog OptionList { height: auto; max-height: 10; }
    """

    def __init__(self, thread_id: int, agents: list[str]) -> None:
        super().__init__()
        self.thread_id = thread_id
        self.agents = agents

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Assign thread #{self.thread_id} to", markup=False)
            if self.agents:
                yield OptionList(*(Option(literal(a), id=a) for a in self.agents), id="agents")
            yield Input(placeholder="or type a name", id="name")
            yield Label("enter assigns · tab switches · escape cancels", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#agents" if self.agents else "#name").focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss_required(event.value, "Type a colleague's name.")
