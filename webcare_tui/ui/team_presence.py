"""The App's part in a team: a heartbeat each second saying what this agent looks at and
replies to, colleagues' reply panes marked on the feed and in the thread, and a notice when a
colleague takes one of this agent's threads."""

from __future__ import annotations

import contextlib

from textual.app import App
from textual.css.query import NoMatches

from webcare_tui.services.presence import BEAT_SECONDS
from webcare_tui.services.workspace import Workspace
from webcare_tui.store import StoreError
from webcare_tui.store.team import Notice
from webcare_tui.ui.widgets.thread_feed import ThreadFeed
from webcare_tui.ui.widgets.thread_view import ThreadView


class TeamPresence(App[None]):
    workspace: Workspace
    _notice_after: int | None = None

    def start_presence(self, *, ticking: bool) -> None:
        if ticking:
            self.set_interval(BEAT_SECONDS, self.beat)
        self.beat()

    def beat(self) -> None:
        """Say what this TUI shows now, and learn what the colleagues do."""
        presence = self.workspace.presence
        presence.replying_to = presence.viewing = None
        for screen in self.screen_stack:
            shown = getattr(screen, "current_thread_id", None)
            if callable(shown):
                with contextlib.suppress(NoMatches):  # a screen still composing shows nothing
                    presence.viewing = shown()
            if type(screen).__name__ == "ReplyScreen":  # not imported: it costs start-up time
                presence.replying_to = getattr(screen, "thread_id", None)
        # A worker of the App itself: its failures reach the App's backstop directly.
        self.run_worker(
            self._beat, thread=True, exclusive=True, group="presence", exit_on_error=False
        )

    def _beat(self) -> None:
        workspace = self.workspace
        try:
            workspace.presence.beat()
            replying = workspace.presence.replying()
            handover = workspace.handover
            if self._notice_after is None:  # what came while no TUI of mine was running too
                self._notice_after = handover.shown_mark()
            notices = handover.notices(self._notice_after)
        except StoreError:
            return  # a busy or failing database shows elsewhere; the next beat tries again
        if notices:
            self._notice_after = notices[-1].id
        self.call_from_thread(self._colleagues, replying, notices)
        if notices:  # marked once shown: a TUI that dies first tells them at the next start
            with contextlib.suppress(StoreError):
                handover.mark_shown(notices[-1].id)

    def _colleagues(self, replying: dict[int, tuple[str, ...]], notices: list[Notice]) -> None:
        for screen in self.screen_stack:
            for feed in screen.query(ThreadFeed):
                feed.set_replying(replying)
            for view in screen.query(ThreadView):
                shown = view.thread_id
                view.set_replying(replying.get(shown, ()) if shown is not None else ())
        for notice in notices:
            title = "taken over" if " took over thread " in notice.text else "your thread"
            self.notify(notice.text, title=title, severity="warning", markup=False)

    def leave_presence(self) -> None:
        """This TUI quits: stop counting as on shift at once, not after a minute."""
        with contextlib.suppress(StoreError):
            self.workspace.presence.leave()
