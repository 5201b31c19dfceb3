"""The team's rule in the TUI: a change to a thread a colleague holds (ignore, snooze, tag,
resolve) first warns naming them and asks why; the reason is recorded and they are told."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.screen import ModalScreen

from webcare_tui.store import StoreError
from webcare_tui.store.base import ClaimedByOther
from webcare_tui.ui.failures import notify_failure
from webcare_tui.ui.screens.workspace_screen import Answer, WorkspaceScreen
from webcare_tui.ui.widgets.thread_feed import ThreadFeed
from webcare_tui.ui.widgets.thread_view import ThreadView

if TYPE_CHECKING:
    from webcare_tui.core.model import Thread


class ColleagueRuleScreen(WorkspaceScreen):
    """A screen whose keys change threads, under the team's rule."""

    def shown_threads(self) -> list[Thread]:
        """The threads as this screen shows them: the feed's cursor row, the thread view."""
        shown = [feed.highlighted for feed in self.query(ThreadFeed)]
        shown += [view.detail.thread for view in self.query(ThreadView) if view.detail]
        return [thread for thread in shown if thread is not None]

    def shown_holder(self, thread_id: int) -> str | None:
        """The colleague who holds `thread_id` as shown (None: mine, nobody's, not shown).
        Read from the screen, not the database, so a key typed right after is not lost."""
        me = self.workspace.agent
        for thread in self.shown_threads():
            if thread.id == thread_id and thread.assignee and thread.assignee != me:
                return thread.assignee
        return None

    def warn_first(self, thread_id: int, what: str, then: Callable[[str], object]) -> None:
        """The team's rule before `what` ("ignored", ...) is done to a thread: on a
        colleague's it first warns naming them and asks why; `then(reason)` goes on with the
        reason ("" on a thread that is mine or nobody's). Escape changes nothing."""
        holder = self.shown_holder(thread_id)
        if holder is None:
            then("")
        else:
            self._warn(thread_id, holder, what, then)

    def _warn(self, thread_id: int, holder: str, what: str, then: Callable[[str], object]) -> None:
        from webcare_tui.ui.dialogs.take_over import ColleagueChangeDialog

        def answered(reason: str | None) -> None:
            if reason:
                then(reason)

        self.app.push_screen(ColleagueChangeDialog(thread_id, holder, what), answered)

    def change_theirs(
        self,
        thread_id: int,
        what: str,
        dialog: ModalScreen[Answer | None],
        change: Callable[[Answer, str], object],
        done: Callable[[Answer], str],
        why: str | None = None,
    ) -> None:
        """`ask_then_change` under the team's rule: `change(answer, why)` gets the reason for
        changing a colleague's thread, asked first (`warn_first`) unless `why` is given."""
        if why is None:
            self.warn_first(
                thread_id,
                what,
                lambda reason: self.change_theirs(thread_id, what, dialog, change, done, reason),
            )
            return
        given = why

        def answered(answer: Answer | None) -> None:
            if answer is not None:
                self._change_over(
                    thread_id, what, lambda over: change(answer, over), done(answer), given
                )

        self.app.push_screen(dialog, answered)

    @work(thread=True, exit_on_error=False, group="thread-action")
    def _change_over(
        self, thread_id: int, what: str, change: Callable[[str], object], done: str, why: str
    ) -> None:
        """Run the change; a colleague who took the thread since the screen showed it makes
        it warn now, and run again with the reason."""
        try:
            change(why)
        except ClaimedByOther as taken:
            if why:  # asked already: a second refusal is said, not asked again
                notify_failure(self, taken)
                return
            again = lambda reason: self._change_over(thread_id, what, change, done, reason)  # noqa: E731
            self.app.call_from_thread(self._warn, thread_id, taken.holder, what, again)
            return
        except (StoreError, ValueError) as error:  # ValueError: a refused escalation or tag
            notify_failure(self, error)
            return
        self.tell_changed(done)
