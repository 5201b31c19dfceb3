"""The webcare application: one clock, one store, the poller as a worker, screens on top."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from webcare_tui.config import Config
from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.timeutil import now_utc
from webcare_tui.core.window_text import window_text
from webcare_tui.paths import themes_dir
from webcare_tui.services.deadline_watch import Crossing
from webcare_tui.services.workspace import Workspace
from webcare_tui.store import Store
from webcare_tui.ui.arrivals import Arrivals
from webcare_tui.ui.dialogs.help import HelpDialog, key_rows
from webcare_tui.ui.failures import failure_notice, notify_failure, one_line
from webcare_tui.ui.messages import DataChanged, OutboxDue
from webcare_tui.ui.screens.inbox import InboxScreen
from webcare_tui.ui.screens.thread import ThreadScreen
from webcare_tui.ui.screens.thread_keys import THREAD_BINDINGS
from webcare_tui.ui.screens.workspace_screen import WorkspaceScreen
from webcare_tui.ui.team_presence import TeamPresence
from webcare_tui.ui.themes import SLA_DEFAULTS, load_themes
from webcare_tui.ui.widgets.thread_feed import ThreadFeed

if TYPE_CHECKING:
    from textual.notifications import Notification

    from webcare_tui.core.outbox import OutboxItem
    from webcare_tui.services.outbox import Outbox
    from webcare_tui.services.poller import PollOutcome
    from webcare_tui.ui.dialogs.quit_pending import QuitChoice

log = logging.getLogger(__name__)

DEFAULT_THEME = "webcare-dark"
ALERT_EVERY = 5.0


class WebcareApp(TeamPresence, App[None]):
    TITLE = "webcare"
    CSS_PATH = "styles/app.tcss"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+p", "command_palette", "Commands", id="app.command_palette"),
        Binding("c", "callbacks", "Calls to make", show=False, id="app.callbacks"),
        Binding("E", "escalations", "Escalations", show=False, id="app.escalations"),
        Binding("A", "agents", "Agents", show=False, id="app.agents"),
        Binding("T", "triage", "Triage", show=False, id="app.triage"),
        Binding("H", "handover", "Hand-over", show=False, id="app.handover"),
        Binding("R", "report", "Report", show=False, id="app.report"),
    ]

    # Widgets that show time watch it and repaint what changed; the App itself repaints
    # nothing on a tick (a whole screen a second was most of what went over the wire).
    now: reactive[datetime] = reactive(now_utc, init=False, repaint=False)
    start_in_triage = False  # `webcare --triage`

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        now: Callable[[], datetime] = now_utc,
        tick: bool = True,
        poll: bool = True,
        watch_db: bool = True,
    ) -> None:
        super().__init__()
        self.config = config
        self.store = store  # the App's to close; screens get the workspace's handles
        self.workspace = Workspace(config, store, now)
        self.clock: ResponseClock = self.workspace.clock
        self.now_source = now
        self.set_reactive(WebcareApp.now, now())
        self._tick = tick
        # A frozen app (tests, snapshots) has no blinking cursor either: a blink is time passing.
        self.blink = tick
        self._poll = poll
        self._watch_db = watch_db
        self._stop_polling = asyncio.Event()
        self._theme_problems: list[str] = []
        self._connector_ok: dict[str, bool] = {}
        self._arrivals = Arrivals()
        self._arrivals_notice: Notification | None = None
        # Before the first stylesheet is read, so the inbox is styled once, in its own theme.
        self._choose_theme()

    # -- set-up ------------------------------------------------------------------------------

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(SLA_DEFAULTS)

    def _choose_theme(self) -> None:
        themes, self._theme_problems = load_themes(themes_dir())
        for theme in themes:
            self.register_theme(theme)
        wanted = self.config.theme
        if wanted in self.available_themes:
            self.theme = wanted
        else:
            self._theme_problems.append(f"theme {wanted!r} not found; using {DEFAULT_THEME}")
            self.theme = DEFAULT_THEME if DEFAULT_THEME in self.available_themes else "textual-dark"

    def on_mount(self) -> None:
        if self._theme_problems:
            self.notify(
                "; ".join(self._theme_problems), title="themes", severity="warning", markup=False
            )
        if self.config.keys:
            self.set_keymap(dict(self.config.keys))
        self.push_screen(InboxScreen(self.workspace))
        if self.start_in_triage:
            self.action_triage()
        if self._tick:
            self.set_interval(1.0, self._advance_clock)
            self.set_interval(1.0, self.send_outbox)
            self.set_interval(ALERT_EVERY, self.check_alerts)
        if self._poll and self.config.connectors:
            self._run_poller()
        if self._watch_db:
            self._watch_database()
        self.start_presence(ticking=self._tick)

    def _advance_clock(self) -> None:
        self.now = self.now_source()

    # -- background work ---------------------------------------------------------------------

    @work(exclusive=True, group="poller", exit_on_error=False)
    async def _run_poller(self) -> None:
        poller = self.workspace.poller(self._poll_outcome)
        try:
            await poller.run(self._stop_polling)
        finally:
            await poller.aclose()

    def _poll_outcome(self, outcome: PollOutcome) -> None:
        if outcome.ok and outcome.needs_attention:
            self._announce_arrivals(outcome)
        elif not outcome.ok and self._connector_ok.get(outcome.connector, True):
            # Once when a connector starts failing; its back-off shows in the header after.
            self.notify(
                one_line(f"{outcome.connector}: {outcome.error}"),
                title="connector failed",
                severity="warning",
                markup=False,
            )
        self._connector_ok[outcome.connector] = outcome.ok
        if outcome.new_messages:
            self.data_changed()

    def _announce_arrivals(self, outcome: PollOutcome) -> None:
        """One arrivals notice: while it is on screen, a poll's arrivals add to it."""
        from textual.notifications import Notification

        from webcare_tui.ui.arrivals import ARRIVALS_TITLE

        previous = self._arrivals_notice
        if previous is not None and previous in self._notifications:
            self._unnotify(previous, refresh=False)
        else:
            self._arrivals.clear()  # the last one is gone: count afresh
        self._arrivals.add(outcome.connector, outcome.new_threads, outcome.reopened_threads)
        notice = Notification(
            self._arrivals.text(), ARRIVALS_TITLE, timeout=self.NOTIFICATION_TIMEOUT, markup=False
        )
        self._arrivals_notice = notice
        # Added at once rather than by message, as `notify` does: the next poll's outcome,
        # maybe a moment later, must find it to replace it.
        self._notifications.add(notice)
        self._refresh_notifications()

    @work(thread=True, exclusive=True, group="db-watch", exit_on_error=False)
    def _watch_database(self) -> None:
        # Other processes (agents' TUIs, the headless poller) write to the same file:
        # PRAGMA data_version tells this connection when anyone else committed.
        worker = get_current_worker()
        version = self.workspace.data_version()
        while not worker.is_cancelled:
            time.sleep(0.5)
            current = self.workspace.data_version()
            if current != version:
                version = current
                self.call_from_thread(self.data_changed)

    @work(thread=True, exclusive=True, group="alerts", exit_on_error=False)
    def check_alerts(self) -> None:
        """Notify once when a thread's countdown crosses into warning or overdue."""
        risen = self.workspace.deadlines.check(self.now)
        if risen:
            self.call_from_thread(self._announce_crossings, risen)

    def _announce_crossings(self, risen: list[Crossing]) -> None:
        for crossing in risen:
            overdue = crossing.level == "overdue"
            text = "is overdue" if overdue else "is running out of time"
            self.notify(
                f"Thread #{crossing.thread_id} ({crossing.who}) {text}",
                title=crossing.level,
                severity="error" if overdue else "warning",
                markup=False,
            )
        if self.config.bell:
            self.bell()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """The backstop: a worker that failed, the App's own or forwarded by a screen or a
        widget, becomes one visible notice and a log entry. Nothing fails without a word."""
        error = event.worker.error
        if event.state is not WorkerState.ERROR or error is None:
            return
        log.error("%s failed", event.worker.name or "a worker", exc_info=error)
        self.log.error(f"{event.worker.name} failed", error)
        title, text = failure_notice(error)
        # A broken disk fails every keystroke's save: one notice while it is on screen, not a
        # stack of the same one.
        if not any((n.title, n.message) == (title, text) for n in self._notifications):
            notify_failure(self, error)

    def data_changed(self) -> None:
        """Something in the store changed: every screen that shows data refreshes.

        Bursts (three connectors finishing a poll at once, the watcher seeing our own write)
        coalesce into one refresh: a pending DataChanged is replaced, not queued behind.
        """
        self.post_message(DataChanged())

    def on_data_changed(self, _message: DataChanged) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, WorkspaceScreen):
                screen.data_changed()

    async def action_quit(self) -> None:
        """Quit; a reply of this agent's still in its undo window is not left to chance."""
        from webcare_tui.ui.dialogs.quit_pending import QuitWithPendingDialog

        if isinstance(self.screen, QuitWithPendingDialog):
            return
        waiting = await asyncio.to_thread(self.outbox.in_undo_window)
        if not waiting:
            self._quit()
            return
        poller_runs = await asyncio.to_thread(self.outbox.poller_elsewhere)
        dialog = QuitWithPendingDialog(len(waiting), poller_runs=poller_runs)
        self.push_screen(dialog, lambda choice: self._quit_with(choice, waiting))

    def _quit(self) -> None:
        self._stop_polling.set()
        self.exit()

    def _quit_with(self, choice: QuitChoice | None, waiting: list[OutboxItem]) -> None:
        if choice is not None:
            self._settle_then_quit(choice, [item.id for item in waiting])

    @work(group="quit", exit_on_error=False)
    async def _settle_then_quit(self, choice: QuitChoice, item_ids: list[int]) -> None:
        from webcare_tui.store.store import StoreError
        from webcare_tui.ui.dialogs.quit_pending import QuitChoice

        for item_id in item_ids:
            try:
                if choice is QuitChoice.SEND_NOW:
                    claimed = await asyncio.to_thread(self.outbox.claim, item_id)
                    if claimed is not None:  # else it is on its way already
                        await self.outbox.send_claimed(claimed, pauses=())
                elif choice is QuitChoice.TAKE_BACK:
                    await asyncio.to_thread(self.outbox.cancel, item_id)
            except StoreError:
                pass  # sent or being sent meanwhile: it goes out, which is what is left
        self._quit()

    # -- navigation --------------------------------------------------------------------------

    def _show_once(self, kind: type[WorkspaceScreen]) -> None:
        """Open a `kind` screen, unless it is the one on top already (a second key press)."""
        if not isinstance(self.screen, kind):
            self.push_screen(kind(self.workspace))

    def open_thread(self, thread_id: int) -> None:
        self.push_screen(ThreadScreen(self.workspace, thread_id))

    def action_callbacks(self) -> None:
        from webcare_tui.ui.screens.escalation_lists import CallbacksScreen

        self._show_once(CallbacksScreen)

    def action_escalations(self) -> None:
        from webcare_tui.ui.screens.escalation_lists import EscalationsScreen

        self._show_once(EscalationsScreen)

    def action_report(self) -> None:
        from webcare_tui.ui.screens.report import ReportScreen

        self._show_once(ReportScreen)

    def key_groups(self) -> list[tuple[str, Sequence[BindingType]]]:
        own = len(THREAD_BINDINGS)  # the thread keys lead each screen's own bindings
        return [
            ("Everywhere", self.BINDINGS),
            ("Feed", ThreadFeed.BINDINGS),
            ("Thread", [*THREAD_BINDINGS, *ThreadScreen.BINDINGS[own:]]),
            ("Inbox", InboxScreen.BINDINGS[own:]),
            *self._reply_key_groups(),
            *_triage_key_groups(),
            ("Help", HelpDialog.BINDINGS),
        ]

    def action_triage(self) -> None:
        from webcare_tui.ui.screens.triage import TriageScreen

        self._show_once(TriageScreen)

    def action_handover(self) -> None:
        from webcare_tui.ui.screens.handover import HandoverScreen

        self._show_once(HandoverScreen)

    def action_agents(self) -> None:
        from webcare_tui.ui.screens.agents import AgentsScreen

        self._show_once(AgentsScreen)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpDialog):
            return
        promise = "\n".join(window_text(self.clock, lang) for lang in ("en", "nl"))
        self.push_screen(HelpDialog(key_rows(self.key_groups(), self.config.keys), promise))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help", "Every key of webcare", self.action_help)
        if isinstance(screen, InboxScreen | ThreadScreen):
            for binding in THREAD_BINDINGS:
                action = getattr(screen, f"action_{binding.action}")
                yield SystemCommand(
                    binding.description, f"{binding.description} this thread", action
                )
        if isinstance(screen, InboxScreen):
            yield SystemCommand("Filter", "Filter the feed", screen.action_filter)

    # -- the outbox: replies on their way out ------------------------------------------------

    @property
    def outbox(self) -> Outbox:
        """This agent's outbox. With a ticking clock, due replies are sent every second."""
        return self.workspace.outbox

    def on_outbox_due(self, _message: OutboxDue) -> None:
        self.send_outbox()

    def send_outbox(self) -> None:
        """Send every reply whose undo window has passed, in a worker; one round at a time."""
        if not self.outbox.busy:
            self._send_outbox()

    @work(group="outbox", exit_on_error=False)
    async def _send_outbox(self) -> None:
        outcomes = await self.outbox.send_due()
        for outcome in outcomes:
            who = outcome.customer or "the customer"
            if outcome.ok:
                self.notify(f"Reply to {who} sent.", markup=False)
                continue
            later = outcome.item.retries_by_itself
            self.notify(
                one_line(f"Reply to {who} not sent: {outcome.error}")
                + ("; trying again by itself" if later else "; open the reply to retry or undo"),
                title="reply failed",
                severity="warning" if later else "error",
                markup=False,
            )
        if outcomes:
            self.data_changed()

    def _reply_key_groups(self) -> list[tuple[str, Sequence[BindingType]]]:
        from webcare_tui.ui.dialogs.canned_picker import CANNED_BINDINGS
        from webcare_tui.ui.dialogs.confirm_send import CONFIRM_BINDINGS
        from webcare_tui.ui.dialogs.quit_pending import QUIT_BINDINGS
        from webcare_tui.ui.screens.reply import REPLY_BINDINGS

        return [
            ("Reply", REPLY_BINDINGS),
            ("Send anyway?", CONFIRM_BINDINGS),
            ("Canned replies", CANNED_BINDINGS),
            ("Quit with a reply in its undo window", QUIT_BINDINGS),
        ]


def _triage_key_groups() -> list[tuple[str, Sequence[BindingType]]]:
    from webcare_tui.ui.dialogs.ignore import IGNORE_BINDINGS
    from webcare_tui.ui.dialogs.snooze import SNOOZE_BINDINGS
    from webcare_tui.ui.dialogs.tag import TagDialog
    from webcare_tui.ui.screens.report import REPORT_BINDINGS

    return [
        ("Report", REPORT_BINDINGS),
        ("Snooze", SNOOZE_BINDINGS),
        ("Ignore: why", IGNORE_BINDINGS),
        ("Tag (a tag's key toggles it)", TagDialog.BINDINGS),
    ]


def make_app(
    config: Config,
    db: Path | Store,
    *,
    now: Callable[[], datetime] = now_utc,
    tick: bool = True,
    poll: bool = True,
    watch_db: bool = True,
) -> WebcareApp:
    """The one way to build the app, for the CLI and for tests alike."""
    store = db if isinstance(db, Store) else Store(db)
    store.recompute_clocks(config.clock(), config.clock_fingerprint())
    return WebcareApp(config, store, now=now, tick=tick, poll=poll, watch_db=watch_db)


def run(config: Config, db: Path, *, triage: bool = False) -> int:
    app = make_app(config, db)
    app.start_in_triage = triage
    app.run()
    app.leave_presence()
    app.store.close()
    return 0
