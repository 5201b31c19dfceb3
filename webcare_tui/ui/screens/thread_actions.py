"""What an agent does to a thread, shared by the inbox and the thread screen.

Each action asks the store from a worker, then tells the app the data changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from webcare_tui.core.clock import ClockKind
from webcare_tui.core.model import ThreadState
from webcare_tui.store.store import StoreError
from webcare_tui.ui.failures import ForwardsWorkerFailures

if TYPE_CHECKING:
    from webcare_tui.ui.app import WebcareApp
    from webcare_tui.ui.dialogs.escalate import Escalation

THREAD_BINDINGS = [
    Binding("r", "reply", "Reply", id="thread.reply"),
    Binding("e", "escalate", "Escalate", id="thread.escalate"),
    Binding("a", "assign", "Assign to me", id="thread.assign"),
    Binding("i", "ignore", "Ignore", id="thread.ignore"),
    Binding("w", "why", "Why this due time", id="thread.why"),
]


class ThreadActions(ForwardsWorkerFailures, Screen[None]):
    """A screen that has a current thread the thread keys act on."""

    @property
    def webcare(self) -> WebcareApp:
        return self.app  # type: ignore[return-value]

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
        """Run one store change off the UI thread; say how it went and refresh the screens."""
        app = self.webcare
        try:
            change()
        except StoreError as error:
            app.notify_failure(error, severity=severity)
            return
        app.call_from_thread(app.notify, done, markup=False)
        app.call_from_thread(app.data_changed)

    def action_assign(self) -> None:
        thread_id = self._thread_or_hint()
        if thread_id is None:
            return
        app = self.webcare
        self._store_action(
            lambda: app.store.assign(thread_id, app.config.agent, now=app.now),
            f"Thread #{thread_id} is yours.",
            severity="warning",
        )

    def action_ignore(self) -> None:
        thread_id = self._thread_or_hint()
        if thread_id is None:
            return
        app = self.webcare

        def done(reason: str | None) -> None:
            if reason:
                self._store_action(
                    lambda: app.store.set_state(
                        thread_id,
                        ThreadState.IGNORED,
                        actor=app.config.agent,
                        now=app.now,
                        reason=reason,
                    ),
                    f"Thread #{thread_id} {ThreadState.IGNORED.value}.",
                )

        from webcare_tui.ui.dialogs.ignore import IgnoreDialog  # dialogs load when first used

        self.app.push_screen(IgnoreDialog(str(thread_id)), done)

    def action_escalate(self) -> None:
        thread_id = self._thread_or_hint()
        if thread_id is None:
            return
        app = self.webcare

        def done(escalation: Escalation | None) -> None:
            if escalation:
                self._store_action(
                    lambda: app.store.escalate(
                        thread_id,
                        escalation.to,
                        actor=app.config.agent,
                        now=app.now,
                        clock=app.clock,
                        note=escalation.note,
                    ),
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
        app = self.webcare
        thread = app.store.thread(thread_id)
        title = f"Thread #{thread.id} · {thread.author} · {thread.channel}"
        if thread.due_at is None or thread.clock_kind is None or thread.clock_start is None:
            state = thread.state.value
            lines = [f"No clock runs: the thread is {state}, nothing is owed to the customer now."]
        else:
            kind = ClockKind(thread.clock_kind)
            explanation = app.clock.explain(
                thread.channel, kind, thread.clock_start, app.now, thread.due_at
            )
            lines = list(explanation.lines)
        from webcare_tui.ui.screens.explain import ExplainScreen

        app.call_from_thread(app.push_screen, ExplainScreen(title, lines))

    def action_reply(self) -> None:
        thread_id = self._thread_or_hint()
        if thread_id is not None:
            self.webcare.open_reply(thread_id)
