"""`H`: the shift hand-over. Threads that run out before the next opening, what we promised,
drafts in progress, callbacks due, and a hand-over note per thread (`n`), shown to whoever
opens it next."""

from __future__ import annotations

from datetime import datetime, tzinfo

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from webcare_tui.core.clock_text import short_duration
from webcare_tui.services.handover import ShiftHandover, ThreadHandover
from webcare_tui.store.callbacks import Callback
from webcare_tui.ui.app_clock import app_now
from webcare_tui.ui.dialogs.dialog import CANCEL, Dialog
from webcare_tui.ui.safe_text import literal
from webcare_tui.ui.screens.workspace_screen import WorkspaceScreen

HANDOVER_BINDINGS = [
    Binding("escape", "back", "Back", id="handover.back"),
    Binding("n", "note", "Hand-over note", id="handover.note"),
]


def when(due: datetime, now: datetime, tz: tzinfo, word: str) -> str:
    """ "overdue 2h" once past, else `word` and the local day and time."""
    left = (due - now).total_seconds()
    return (
        f"overdue {short_duration(-left)}" if left < 0 else f"{word} {due.astimezone(tz):%a %H:%M}"
    )


def handover_text(item: ThreadHandover, now: datetime, tz: tzinfo) -> Text:
    """One thread of the hand-over, as lines: who, when it runs out, promise, note, drafts."""
    t = item.thread
    text = Text(end="")
    due = t.due_at
    if due is not None:
        text.append(f"{when(due, now, tz, 'due'):<16}", style="bold")
    text.append(f"#{t.id} {t.channel} · ")
    text.append_text(literal(t.author_name or t.author))
    text.append(f" · {t.assignee or 'unassigned'}", style="dim")
    if item.promised:
        text.append("\n  promised: ", style="dim")
        text.append_text(literal(item.promised[:160]))
    if item.note:
        text.append(f"\n  note ({item.note.author}): ", style="bold")
        text.append_text(literal(item.note.text[:160]))
    for draft in item.drafts:
        text.append(f"\n  draft by {draft.agent}: ", style="dim")
        text.append_text(literal(draft.text[:160]))
    return text


def callbacks_text(calls: tuple[Callback, ...], now: datetime, tz: tzinfo) -> Text:
    """The calls due before the next opening, one line each: when, thread, number, why."""
    text = Text(f"Callbacks due before the next opening: {len(calls)}", style="bold", end="")
    for call in calls:
        text.append(f"\n  {when(call.due_at, now, tz, 'by'):<16}#{call.thread_id} call ")
        text.append_text(literal(call.phone))
        if call.note:
            text.append(" · ", style="dim")
            text.append_text(literal(call.note[:120]))
    return text


class HandoverNoteDialog(Dialog[str | None]):
    """The note for the next shift; empty clears it. Returns None when cancelled."""

    BINDINGS = [CANCEL]
    DEFAULT_CSS = "HandoverNoteDialog > Vertical { width: 64; }"

    def __init__(self, thread_id: int, current: str) -> None:
        super().__init__()
        self.thread_id = thread_id
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Hand-over note for thread #{self.thread_id}", markup=False)
            yield Input(value=self.current, placeholder="what the next shift must know")
            yield Label("enter saves (empty clears) · escape cancels", classes="hint", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)


class HandoverScreen(WorkspaceScreen):
    BINDINGS = list(HANDOVER_BINDINGS)
    DEFAULT_CSS = """
    HandoverScreen #handover-title { height: 1; background: $panel; padding: 0 1; }
    HandoverScreen OptionList { height: 1fr; border: none; }
    HandoverScreen #handover-callbacks { height: auto; max-height: 8; padding: 0 1; }
    """

    report: ShiftHandover | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="handover-title")
        yield OptionList(id="handover")
        yield Static(id="handover-callbacks")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.data_changed()

    def data_changed(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="handover", exit_on_error=False)
    def _load(self) -> None:
        report = self.workspace.handover.shift(self.workspace.clock)
        self.app.call_from_thread(self._show, report)

    def _show(self, report: ShiftHandover) -> None:
        if report == self.report:
            return
        self.report = report
        now, tz = app_now(self), self.workspace.clock.timezone
        title = (
            f"Hand-over · escape back · {len(report.threads)} run out before the next "
            f"opening · {len(report.drafts)} drafts"
        )
        self.query_one("#handover-title", Static).update(Text(title))
        calls = self.query_one("#handover-callbacks", Static)
        calls.display = bool(report.callbacks)
        calls.update(callbacks_text(report.callbacks, now, tz))
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            [
                Option(handover_text(item, now, tz), id=str(item.thread.id))
                for item in report.threads
            ]
        )
        if report.threads:
            options.highlighted = min(highlighted or 0, len(report.threads) - 1)

    def _current(self) -> ThreadHandover | None:
        index = self.query_one(OptionList).highlighted
        if self.report is None or index is None or index >= len(self.report.threads):
            return None
        return self.report.threads[index]

    def action_note(self) -> None:
        item = self._current()
        if item is None:
            self.notify("No thread chosen.", severity="warning", markup=False)
            return
        thread_id, handover = item.thread.id, self.workspace.handover

        self.ask_then_change(
            HandoverNoteDialog(thread_id, item.note.text if item.note else ""),
            lambda text: handover.leave_note(thread_id, text),
            lambda _: f"Hand-over note on #{thread_id} saved.",
        )
