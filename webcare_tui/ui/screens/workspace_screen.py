"""The base of every screen of the app: it gets the workspace, and its failures surface."""

from __future__ import annotations

from textual.screen import Screen

from webcare_tui.services.workspace import Workspace
from webcare_tui.ui.failures import ForwardsWorkerFailures


class WorkspaceScreen(ForwardsWorkerFailures, Screen[None]):
    """A screen of the webcare app: it is given the workspace, and its workers' failures
    reach the App's backstop. New screens start from here."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace

    def data_changed(self) -> None:
        """The store changed: refresh what is shown. Called by the App on every screen."""
