"""The keys that act on a thread, shared by every screen that has a current thread.

Each action runs in a worker through the workspace's thread actions, says how it went, and
tells the App the data changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.notifications import SeverityLevel

from webcare_tui.store import StoreError
from webcare_tui.store.base import ClaimedByOther
from webcare_tui.ui.app_clock import app_now
from webcare_tui.ui.failures import notify_failure
from webcare_tui.ui.messages import DataChanged
from webcare_tui.ui.screens.workspace_screen import WorkspaceScreen

if TYPE_CHECKING:
    from webcare_tui.ui.dialogs.escalate import Escalation

THREAD_BINDINGS = [
    Binding("r", "reply", "Reply", id="thread.reply"),
    Binding("e", "escalate", "Escalate", id="thread.escalate"),
    Binding("a", "assign", "Assign to me", id="thread.assign"),
    Binding("i", "ignore", "Ignore", id="thread.ignore"),
    Binding("w", "why", "Why this due time", id="thread.why"),
]


class ThreadKeysScreen(WorkspaceScreen):
    """A screen that has a current thread the thread keys act on."""

    def current_thread_id(self) -> int | None:
        raise NotImplementedError

    def _thread_or_hint(self) -> int | None:
        thread_id = self.current_thread_id()
        if thread_id is None:
            self.notify("No thread chosen.", severity="warning", markup=False)
        return thread_id

    @work(thread=True, exit_on_error=False, group="thread-action")
    def _store_action(
        self, change: Callable[[], object], done: str, severity: SeverityLevel = "error"
    ) -> None:
        """Run one change off the UI thread; say how it went and refresh the screens."""
        try:
            change()
        except StoreError as error:
            notify_failure(self, error, severity=severity)
            return
        self.notify(done, markup=False)
        self.post_message(DataChanged())

    def action_assign(self) -> None:
        thread_id = self._thread_or_hint()
        if thread_id is None:
            return
        self._claim(thread_id)

    @work(thread=True, exit_on_error=False, group="thread-action")
    def _claim(self, thread_id: int) -> None:
        """Mine; a colleague's thread only with a reason, asked for here (recorded, told)."""
        try:
            self.workspace.actions.assign_to_me(thread_id)
        except ClaimedByOther as taken:
            self.app.call_from_thread(self._ask_take_over, thread_id, taken.holder)
            return
        except StoreError as error:
            notify_failure(self, error, severity="warning")
            return
        self.notify(f"Thread #{thread_id} is yours.", markup=False)
        self.post_message(DataChanged())

    def _ask_take_over(self, thread_id: int, holder: str) -> None:
        from webcare_tui.ui.dialogs.take_over import TakeOverDialog

        handover = self.workspace.handover

        def done(reason: str | None) -> None:
            if reason:
                self._store_action(
                    lambda: handover.assign(thread_id, reason=reason),
                    f"Thread #{thread_id} taken over from {holder}; they are told.",
                )

        self.app.push_screen(TakeOverDialog(thread_id, holder), done)

    def action_ignore(self) -> None:
        thread_id = self._thread_or_hint()
        if thread_id is None:
            return
        actions = self.workspace.actions

        def done(reason: str | None) -> None:
            if reason:
                self._store_action(
                    lambda: actions.ignore(thread_id, reason), f"Thread #{thread_id} ignored."
                )

        from webcare_tui.ui.dialogs.ignore import IgnoreDialog  # dialogs load when first used

        self.app.push_screen(IgnoreDialog(str(thread_id)), done)

    def action_escalate(self) -> None:
        thread_id = self._thread_or_hint()
        if thread_id is None:
            return
        actions = self.workspace.actions

        def done(escalation: Escalation | None) -> None:
            if escalation:
                self._store_action(
                    lambda: actions.escalate(thread_id, escalation.to, escalation.note),
                    f"Thread #{thread_id} escalated to {escalation.to}.",
                )

        from webcare_tui.ui.dialogs.escalate import EscalateDialog

        self.app.push_screen(EscalateDialog(), done)

    def action_why(self) -> None:
        thread_id = self._thread_or_hint()
        if thread_id is not None:
            self._explain(thread_id)

    @work(thread=True, exit_on_error=False, group="thread-action")
    def _explain(self, thread_id: int) -> None:
        why = self.workspace.threads.why_due(thread_id, app_now(self))
        from webcare_tui.ui.dialogs.explain import ExplainDialog

        self.app.call_from_thread(self.app.push_screen, ExplainDialog(why.title, why.lines))

    def action_reply(self) -> None:
        thread_id = self._thread_or_hint()
        if thread_id is not None:
            from webcare_tui.ui.screens.reply import ReplyScreen  # it costs start-up time

            self.app.push_screen(ReplyScreen(self.workspace, thread_id))
