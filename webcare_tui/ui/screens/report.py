"""The report screen (`R`): the figures of `webcare report`, volume by hour as bars, and a
what-if the agent types (`first_response=2h`) to see what the history would have said."""

from __future__ import annotations

import shlex

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Label, Static

from webcare_tui.services.insights import ReportView
from webcare_tui.ui.app_clock import app_now
from webcare_tui.ui.screens.workspace_screen import WorkspaceScreen

Items = list[str] | tuple[str, ...]
REPORT_BINDINGS: list[BindingType] = [
    Binding("escape", "back", "Back", id="report.back"),
    Binding("w", "what_if", "What if…", id="report.what_if"),
]


def what_if_items(text: str) -> list[str]:
    """`first_response=2h hours="mon-fri 08:00-20:00"` as the report's KEY=VALUE items.
    Raises ValueError (unbalanced quotes)."""
    return shlex.split(text)


class ReportScreen(WorkspaceScreen):
    BINDINGS = REPORT_BINDINGS
    DEFAULT_CSS = """
    ReportScreen #title { padding: 0 1; text-style: bold; }
    ReportScreen #verdict { padding: 0 1; color: $accent; height: auto; }
    ReportScreen #figures { padding: 0 1; }
    ReportScreen #what-if { height: 3; }
    """

    def compose(self) -> ComposeResult:
        yield Label("Report · all stored history", id="title", markup=False)
        yield Label("", id="verdict", markup=False)
        with VerticalScroll(id="body"):
            yield Static(Text("Counting…"), id="figures")
        yield Input(placeholder="what if: first_response=2h next_response=8h …", id="what-if")
        yield Footer()

    # One computation at a time (a thread cannot be stopped half-way); what is asked while it
    # runs waits, and only the latest ask: five quick what-ifs cost two computations, not five.
    _computing = False
    _waiting: Items | None = None

    def on_mount(self) -> None:
        self.query_one("#body").focus()
        self._request(())

    def data_changed(self) -> None:
        self.workspace.reports.forget()
        items = self._items(self.query_one("#what-if", Input).value)
        self._request(items if items is not None else ())

    def _request(self, items: Items) -> None:
        if self._computing:
            self._waiting = items
            return
        self._computing = True
        self._say("Computing…")
        self._compute(items)

    @work(thread=True, group="report", exit_on_error=False)
    def _compute(self, items: Items) -> None:
        try:
            view = self.workspace.reports.view(app_now(self), items)
        except ValueError as error:
            self.app.call_from_thread(self._done, str(error))
            return
        self.app.call_from_thread(self._done, view)

    def _done(self, outcome: ReportView | str) -> None:
        self._computing = False
        if not self.is_mounted:
            return
        if self._waiting is not None:
            items, self._waiting = self._waiting, None
            self._request(items)  # what was asked meanwhile supersedes this answer
        elif isinstance(outcome, str):
            self._say(outcome)
        else:
            self._show(outcome)

    def _show(self, view: ReportView) -> None:
        self.query_one("#figures", Static).update(Text(view.table.rstrip("\n")))
        self._say(view.verdict)

    def _say(self, text: str) -> None:
        self.query_one("#verdict", Label).update(Text(text))

    def _items(self, text: str) -> list[str] | None:
        try:
            return what_if_items(text)
        except ValueError as error:
            self._say(f"what if: {error}")
            return None

    def action_what_if(self) -> None:
        self.query_one("#what-if", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "what-if" and (items := self._items(event.value)) is not None:
            self._request(items)
            self.query_one("#body").focus()
