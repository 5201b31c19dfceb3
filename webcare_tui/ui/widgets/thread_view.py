"""The thread: the whole conversation, who the customer is, notes and history."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.clock_text import format_countdown
from webcare_tui.core.model import Direction
from webcare_tui.services.escalation_desk import where_label
from webcare_tui.services.thread_loader import ThreadDetail, ThreadLoader
from webcare_tui.ui.app_clock import app_now
from webcare_tui.ui.failures import ForwardsWorkerFailures
from webcare_tui.ui.safe_text import literal


def _when(moment: datetime, clock: ResponseClock) -> str:
    return moment.astimezone(clock.timezone).strftime("%a %d %b %H:%M")


class ThreadView(ForwardsWorkerFailures, VerticalScroll, can_focus=True):
    """Shows one thread; empty until a thread is chosen."""

    DEFAULT_CSS = """
    ThreadView {
        height: 1fr;
        padding: 0 1;
    }
    ThreadView > .customer { text-style: bold; }
    ThreadView > .meta { color: $text-muted; margin-bottom: 1; }
    ThreadView > .message-head { color: $text-muted; }
    ThreadView > .message-head.out { color: $primary; }
    ThreadView > .message { margin-bottom: 1; }
    ThreadView > .message.out { padding-left: 2; }
    ThreadView > .section { text-style: bold; margin-top: 1; }
    ThreadView > .empty { color: $text-muted; }
    ThreadView > .presence { color: $warning; text-style: bold; }
    ThreadView > .handover-note { color: $accent; }
    ThreadView > .why { color: $warning; }
    ThreadView > .why.loud { color: $error; text-style: bold reverse; }
    ThreadView > .earlier { color: $text-muted; }
    """

    def __init__(
        self, loader: ThreadLoader, clock: ResponseClock, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.loader = loader
        self.clock = clock
        self.detail: ThreadDetail | None = None
        self.thread_id: int | None = None
        self.replying: tuple[str, ...] = ()  # colleagues with this thread's reply pane open

    def set_replying(self, agents: tuple[str, ...]) -> None:
        if agents != self.replying:
            self.replying = agents
            if self.detail is not None:
                self._render_detail(self.detail)

    def compose(self) -> ComposeResult:
        yield Static("Choose a thread: j/k to move, enter to open.", classes="empty")

    def show_thread(self, thread_id: int | None) -> None:
        self.thread_id = thread_id
        if thread_id is None:
            self.detail = None
            self._render_detail(None)
            return
        self._load(thread_id)

    def reload(self) -> None:
        if self.thread_id is not None:
            self._load(self.thread_id)

    @work(thread=True, exclusive=True, group="thread-view", exit_on_error=False)
    def _load(self, thread_id: int) -> None:
        # A thread that joined the one its first message answers is followed there.
        detail = self.loader.load(thread_id, shown=self.detail)
        self.app.call_from_thread(self._arrived, thread_id, detail)

    def on_key(self, event: events.Key) -> None:
        if self.open_earlier(event.character):
            event.stop()

    def open_earlier(self, key: str | None) -> bool:
        """Show the earlier thread that digit `key` stands for, as listed; False (and nothing
        happens) when `key` is not one of the listed digits."""
        detail = self.detail
        if detail and key and key in "123456789" and int(key) <= len(detail.earlier):
            self.show_thread(detail.earlier[int(key) - 1].id)
            return True
        return False

    def _arrived(self, asked: int, detail: ThreadDetail) -> None:
        if asked != self.thread_id or detail == self.detail:
            return
        self.thread_id = detail.thread.id
        self.detail = detail
        self._render_detail(detail)

    def _render_detail(self, detail: ThreadDetail | None) -> None:
        with self.app.batch_update():
            self.remove_children()
            if detail is None:
                self.mount(Static("Choose a thread: j/k to move, enter to open.", classes="empty"))
                return
            self.mount_all(self._widgets(detail))
            self.scroll_end(animate=False, immediate=True)

    def _widgets(self, detail: ThreadDetail) -> list[Static]:
        thread, customer = detail.thread, detail.customer
        now = app_now(self)
        head = Text(end="")
        head.append(thread.author)
        if customer.name:
            head.append(" · ")
            head.append(customer.name)
        if customer.followers is not None:
            head.append(f" · {customer.followers:,} followers")
        if detail.earlier:
            head.append(f" · {len(detail.earlier)} earlier threads")
        meta = Text(f"#{thread.id} · {thread.channel} · {thread.connector} · {thread.state.value}")
        if thread.escalated_to:
            since = (
                f" since {_when(thread.escalated_at, self.clock)}" if thread.escalated_at else ""
            )
            meta.append(f" · at {where_label(thread.escalated_to)}{since}")
        if thread.assignee:
            meta.append(f" · assigned to {thread.assignee}")
        running = thread.clock
        if running is not None:
            countdown = self.clock.countdown(thread.channel, running.kind, now, running.due_at)
            left = format_countdown(countdown, self.clock.timezone)
            meta.append(
                f" · {running.kind.value.replace('_', ' ')}: {left}"
                f" (due {_when(running.due_at, self.clock)})"
            )
        widgets = [Static(head, classes="customer"), Static(meta, classes="meta")]
        if self.replying:
            who = ", ".join(self.replying)
            verb = "are" if len(self.replying) > 1 else "is"
            widgets.insert(1, Static(Text(f"✎ {who} {verb} replying"), classes="presence"))
        handed = detail.handover_note
        if handed is not None:
            said = Text(f"Hand-over note from {handed.author}, {_when(handed.at, self.clock)}: ")
            said.append_text(literal(handed.text))
            widgets.insert(2 if self.replying else 1, Static(said, classes="handover-note"))
        if detail.priority_reason:
            loud = "IMPOSTOR" in detail.priority_reason
            widgets.insert(
                1, Static(Text(detail.priority_reason), classes="why loud" if loud else "why")
            )
        if detail.earlier:
            widgets.append(Static("Earlier threads (a number opens one)", classes="section"))
            for key, earlier in enumerate(detail.earlier, start=1):
                line = Text(f"{key}  {_when(earlier.created_at, self.clock)}  #{earlier.id}  ")
                line.append_text(literal(" ".join(earlier.topic.split())[:60]))
                line.append(f"  · {earlier.outcome}")
                if earlier.answered_by:
                    line.append(f" · answered by {', '.join(earlier.answered_by)}")
                widgets.append(Static(line, classes="earlier"))
            widgets.append(Static("", classes="gap"))
        for message in detail.messages:
            direction = "out" if message.direction is Direction.OUT else "in"
            label = Text("→ " if direction == "out" else "← ", end="")
            label.append(message.author_name or message.author)
            if message.author_name:
                label.append(f"  {message.author}")
            if message.agent:
                label.append(f"  ^{message.agent}")
            label.append(f"  {_when(message.created_at, self.clock)}")
            if message.is_private:
                label.append("  (private)")
            widgets.append(Static(label, classes=f"message-head {direction}"))
            widgets.append(Static(literal(message.text), classes=f"message {direction}"))
        if detail.awaiting_approval:
            widgets.append(Static("Waiting for approval · v approves", classes="section"))
            for item in detail.awaiting_approval:
                line = Text(f"reply #{item.id} by {item.agent}, blocked by ", end="")
                line.append(", ".join(o.code for o in item.override) or "a check")
                if item.reason:
                    line.append(": ")
                    line.append_text(literal(item.reason))
                widgets.append(Static(line, classes="message-head out"))
                widgets.append(Static(literal(item.text), classes="message out"))
        if detail.notes:
            widgets.append(Static("Notes", classes="section"))
            for note in detail.notes:
                line = Text(f"{_when(note.at, self.clock)}  {note.author}: ", end="")
                line.append_text(literal(note.text))
                widgets.append(Static(line))
        if detail.events:
            widgets.append(Static("History", classes="section"))
            for event in detail.events:
                line = Text(f"{_when(event.at, self.clock)}  {event.actor}  {event.kind}", end="")
                if event.detail:
                    line.append("  ")
                    line.append_text(literal(event.detail))
                widgets.append(Static(line))
        return widgets
