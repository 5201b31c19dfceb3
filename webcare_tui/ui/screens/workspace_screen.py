"""The base of every screen of the app: it gets the workspace, and its failures surface."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual import work
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from webcare_tui.services.workspace import Workspace
from webcare_tui.store import StoreError
from webcare_tui.ui.failures import ForwardsWorkerFailures, notify_failure
from webcare_tui.ui.messages import DataChanged

Answer = TypeVar("Answer")


class WorkspaceScreen(ForwardsWorkerFailures, Screen[None]):
    """A screen of the webcare app: it is given the workspace, and its workers' failures
    reach the App's backstop. New screens start from here."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def data_changed(self) -> None:
        """The store changed: refresh what is shown. Called by the App on every screen."""

    def action_back(self) -> None:
        """Back to the screen below (the screens bind it to escape)."""
        self.dismiss()

    @work(thread=True, exit_on_error=False, group="thread-action")
    def run_change(
        self, change: Callable[[], object], done: str, severity: SeverityLevel = "error"
    ) -> None:
        """Run one change off the UI thread; say how it went and refresh the screens."""
        try:
            change()
        except (StoreError, ValueError) as error:  # ValueError: a refused escalation or tag
            notify_failure(self, error, severity=severity)
            return
        self.tell_changed(done)

    def tell_changed(self, done: str) -> None:
        """Say what changed (plain text) and have every screen refresh. Thread-safe."""
        self.notify(done, markup=False)
        self.post_message(DataChanged())

    def ask_then_change(
        self,
        dialog: ModalScreen[Answer | None],
        change: Callable[[Answer], object],
        done: Callable[[Answer], str],
    ) -> None:
        """Ask with `dialog`; an answer runs `change(answer)` as `run_change` does and says
        `done(answer)`, a cancelled dialog changes nothing. On the UI thread."""

        def answered(answer: Answer | None) -> None:
            if answer is not None:
                self.run_change(lambda: change(answer), done(answer))

        self.app.push_screen(dialog, answered)
