"""One thread on a screen of its own, for terminals too narrow to show it beside the feed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from webcare_tui.services.workspace import Workspace
from webcare_tui.ui.screens.thread_keys import THREAD_BINDINGS, ThreadKeysScreen
from webcare_tui.ui.widgets.thread_view import ThreadView


class ThreadScreen(ThreadKeysScreen):
    BINDINGS = [
        *THREAD_BINDINGS,
        Binding("escape", "back", "Back", id="thread.back"),
    ]

    def __init__(self, workspace: Workspace, thread_id: int) -> None:
        super().__init__(workspace)
        self.thread_id = thread_id

    def compose(self) -> ComposeResult:
        yield ThreadView(self.workspace.threads, self.workspace.clock, id="thread")
        yield Footer()

    def on_mount(self) -> None:
        view = self.query_one(ThreadView)
        view.show_thread(self.thread_id)
        view.focus()

    def current_thread_id(self) -> int | None:
        # The view follows a thread that joined another; the actions follow the view.
        shown = self.query_one(ThreadView).thread_id
        return shown if shown is not None else self.thread_id

    def data_changed(self) -> None:
        self.query_one(ThreadView).reload()
