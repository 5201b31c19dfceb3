"""`T` (or `webcare --triage`): what came in while the team was closed, one thread at a time.

Most urgent first. Each message shows when it arrived and how long the customer has waited in
real time, beside the open-time countdown. One key per decision: reply, next shift, ignore,
snooze, escalate; j/k move without deciding. Idle, it repaints only when a shown text changes.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from webcare_tui.core.clock_text import countdown_cell, short_duration
from webcare_tui.core.model import Thread
from webcare_tui.services.triage import TriageItem, TriageQueue
from webcare_tui.services.workspace import Workspace
from webcare_tui.ui.app_clock import app_now
from webcare_tui.ui.safe_text import literal
from webcare_tui.ui.screens.thread_keys import ThreadKeysScreen, on_current_thread

TRIAGE_BINDINGS = [
    Binding("escape", "back", "Back", id="triage.back"),
    Binding("r", "reply", "Reply now", id="triage.reply"),
    Binding("n", "next_shift", "Next shift", id="triage.next_shift"),
    Binding("i", "ignore", "Ignore", id="triage.ignore"),
    Binding("s", "snooze", "Snooze", id="triage.snooze"),
    Binding("e", "escalate", "Escalate", id="triage.escalate"),
    Binding("j,down", "move(1)", "Skip", id="triage.next"),
    Binding("k,up", "move(-1)", "Previous", show=False, id="triage.previous"),
]


class TriageScreen(ThreadKeysScreen):
    BINDINGS = list(TRIAGE_BINDINGS)
    DEFAULT_CSS = """
    TriageScreen #triage-title { height: 1; background: $panel; padding: 0 1; }
    TriageScreen #triage-clock { height: 1; padding: 0 1; text-style: bold; }
    TriageScreen #triage-body { height: 1fr; padding: 0 1; }
    TriageScreen .arrived { color: $text-muted; }
    TriageScreen .message { margin-bottom: 1; }
    TriageScreen .empty { color: $text-muted; }
    """

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.queue: TriageQueue = workspace.triage
        self.ids: list[int] = []
        self.index = 0
        self.item: TriageItem | None = None
        self._shown: tuple[str, str] = ("", "")

    def compose(self) -> ComposeResult:
        yield Static(id="triage-title")
        yield Static(id="triage-clock")
        yield VerticalScroll(id="triage-body")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "now", self._tick, init=False)
        self.data_changed()

    def current_thread_id(self) -> int | None:
        return self.item.thread.id if self.item else None

    def shown_threads(self) -> list[Thread]:
        return [self.item.thread] if self.item else []

    def data_changed(self) -> None:
        self._load(self.current_thread_id())

    @work(thread=True, exclusive=True, group="triage", exit_on_error=False)
    def _load(self, keep: int | None) -> None:
        ids = self.queue.thread_ids()
        index = ids.index(keep) if keep in ids else min(self.index, max(0, len(ids) - 1))
        item = self.queue.item(ids[index]) if ids else None
        self.app.call_from_thread(self._show, ids, index, item)

    def _show(self, ids: list[int], index: int, item: TriageItem | None) -> None:
        same = item == self.item and ids == self.ids
        self.ids, self.index, self.item = ids, index, item
        self._tick(app_now(self))
        if same:
            return
        body = self.query_one("#triage-body", VerticalScroll)
        with self.app.batch_update():
            body.remove_children()
            if item is None:
                body.mount(
                    Static(
                        "Nothing came in while the team was closed. escape goes back.",
                        classes="empty",
                    )
                )
                return
            body.mount_all(self._message_widgets(item))

    def _message_widgets(self, item: TriageItem) -> list[Static]:
        tz = self.workspace.clock.timezone
        thread = item.thread
        widgets = [Static(Text(f"#{thread.id} {thread.channel} · {thread.author}", style="bold"))]
        for message in item.messages:
            head = Text(f"← {message.created_at.astimezone(tz):%a %d %b %H:%M}", end="")
            widgets.append(Static(head, classes="arrived"))
            widgets.append(Static(literal(message.text), classes="message"))
        return widgets

    def _lines(self, now: datetime) -> tuple[str, str]:
        total = len(self.ids)
        where = f"{self.index + 1}/{total}" if total else "0/0"
        title = f"Triage {where} · came in while closed · escape back"
        item = self.item
        if item is None:
            return title, ""
        left, _level = countdown_cell(item.thread, self.workspace.clock, now)
        waited = item.waited_seconds(now)
        tz = self.workspace.clock.timezone
        arrived = f"arrived {item.arrived.astimezone(tz):%a %H:%M}" if item.arrived else ""
        waited_text = f"waited {short_duration(waited)}" if waited is not None else ""
        return title, " · ".join(p for p in (arrived, waited_text, f"open time left {left}") if p)

    def _tick(self, now: datetime) -> None:
        # The lines change once a minute at most: repaint them only then.
        lines = self._lines(now)
        if lines != self._shown:
            self._shown = lines
            self.query_one("#triage-title", Static).update(Text(lines[0]))
            self.query_one("#triage-clock", Static).update(Text(lines[1]))

    def action_move(self, step: int) -> None:
        if self.ids:
            self.index = (self.index + step) % len(self.ids)
            self._load(self.ids[self.index])

    @on_current_thread
    def action_next_shift(self, thread_id: int) -> None:
        queue, agent = self.queue, self.workspace.agent
        self.run_change(
            lambda: queue.to_next_shift(thread_id, agent),
            f"Thread #{thread_id} left for the next shift.",
        )
