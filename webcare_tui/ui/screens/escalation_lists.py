"""The callbacks view (`c`) and the escalations view (`E`): lists of what is owed offline.

Calls to make soonest first, each with its own countdown and note (enter: the call was made,
asks how it went); escalated threads by follow-up due, with where each sits, who holds it and
our last update (enter: open the thread). Rows are `Text`, never markup: notes and names are
typed by people. Countdowns follow the app's clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from webcare_tui.core.clock import Countdown, format_countdown
from webcare_tui.services.callbacks import callback_countdown
from webcare_tui.services.escalation_desk import CallRow, EscalationRow, where_label
from webcare_tui.ui.app_clock import app_now
from webcare_tui.ui.failures import one_line
from webcare_tui.ui.screens.workspace_screen import WorkspaceScreen

_LEVEL_STYLE = {"calm": "", "warning": "bold yellow", "overdue": "bold red"}


BADGE_WIDTH = 12


def _badge(countdown: Countdown | None, timezone: object) -> Text:
    """The countdown, right-aligned so the rows line up."""
    if countdown is None:
        return Text("-".rjust(BADGE_WIDTH))
    label = format_countdown(countdown, str(timezone))
    return Text(label.rjust(BADGE_WIDTH), style=_LEVEL_STYLE[countdown.level])


Row = TypeVar("Row")


class _ListScreen(WorkspaceScreen, Generic[Row]):
    """A list that reloads its rows in a worker when the store changes, and redraws them
    (countdowns) on every tick of the app's clock."""

    TITLE_TEXT = ""
    EMPTY_TEXT = ""
    rows: list[Row]
    DEFAULT_CSS = """
    _ListScreen > Label { padding: 0 1; text-style: bold; }
    _ListScreen OptionList { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Label(self.TITLE_TEXT, markup=False)
        yield OptionList(markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.watch(self.app, "now", self._tick, init=False)
        self.data_changed()

    def _tick(self, now: datetime) -> None:
        self.render_rows(now)

    def data_changed(self) -> None:
        self._load()

    @work(thread=True, exit_on_error=False, exclusive=True, group="list-load")
    def _load(self) -> None:
        rows = self.load_rows(app_now(self))
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[Row]) -> None:
        self.rows = rows
        self.render_rows(app_now(self))

    def load_rows(self, now: datetime) -> list[Row]:
        """The rows, read in a worker thread."""
        raise NotImplementedError

    def render_rows(self, now: datetime) -> None:
        raise NotImplementedError

    _prompts: list[tuple[Text, str]] | None = None

    def show_prompts(self, prompts: list[tuple[Text, str]]) -> None:
        # Called every second for the countdowns, which change about once a minute: a list
        # rebuilt each tick would be a repaint on the wire for nothing.
        if prompts == self._prompts:
            return
        self._prompts = prompts
        options = self.query_one(OptionList)
        keep = options.highlighted
        options.clear_options()
        if not prompts:
            options.add_option(Option(Text(self.EMPTY_TEXT, style="dim"), id="none"))
            return
        options.add_options([Option(text, id=key) for text, key in prompts])
        options.highlighted = min(keep or 0, len(prompts) - 1)


class CallbacksScreen(_ListScreen[CallRow]):
    """`c`: the phone calls to make, soonest first."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="callbacks.back"),
        Binding("d", "done", "Call made", id="callbacks.done"),
    ]
    TITLE_TEXT = "Calls to make (soonest first) · enter or d: call made"
    EMPTY_TEXT = "No calls to make."

    def load_rows(self, now: datetime) -> list[CallRow]:
        return self.workspace.escalations.calls(now)

    def render_rows(self, now: datetime) -> None:
        clock = self.workspace.clock
        prompts = []
        for row in getattr(self, "rows", []):
            call = row.callback
            text = Text.assemble(
                _badge(callback_countdown(call, clock, now), clock.timezone),
                "  ",
                (f"#{call.thread_id} ", "dim"),
                one_line(call.author),
                "  ",
                (one_line(call.phone), "bold"),
                "  ",
                (one_line(call.note), "italic"),
            )
            prompts.append((text, str(call.id)))
        self.show_prompts(prompts)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_done()

    def action_done(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return
        key = options.get_option_at_index(index).id
        if not key or key == "none":
            return
        callback_id = int(key)
        escalations = self.workspace.escalations
        from webcare_tui.ui.dialogs.text_prompt import TextPrompt

        prompt = TextPrompt(
            f"Call {callback_id} made: how did it go?", "outcome: reached, voicemail, solved, …",
            "Say how the call went.",
        )  # fmt: skip
        self.ask_then_change(
            prompt,
            lambda outcome: escalations.call_done(callback_id, outcome),
            lambda _: f"Call {callback_id} done.",
        )


class EscalationsScreen(_ListScreen[EscalationRow]):
    """`E`: every escalated thread by follow-up due."""

    BINDINGS = [Binding("escape", "back", "Back", id="escalations.back")]
    TITLE_TEXT = "Escalations (by follow-up due) · enter opens the thread"
    EMPTY_TEXT = "Nothing is escalated."

    def load_rows(self, now: datetime) -> list[EscalationRow]:
        return self.workspace.escalations.escalations(now)

    def render_rows(self, now: datetime) -> None:
        clock = self.workspace.clock
        zone = clock.timezone
        prompts = []
        for row in getattr(self, "rows", []):
            thread = row.thread
            running = thread.clock
            countdown = (
                clock.countdown(thread.channel, running.kind, now, running.due_at)
                if running
                else None
            )
            since = thread.escalated_at.astimezone(zone) if thread.escalated_at else None
            update = row.last_update.astimezone(zone) if row.last_update else None
            text = Text.assemble(
                _badge(countdown, zone),
                "  ",
                (f"#{thread.id} ", "dim"),
                one_line(thread.author),
                "  ",
                (where_label(thread.escalated_to), "bold"),
                (f" since {since:%a %H:%M}" if since else "", "dim"),
                "  ",
                f"held by {thread.assignee}" if thread.assignee else "unassigned",
                "  ",
                (f"last update {update:%a %H:%M}" if update else "no update yet", "italic"),
            )
            prompts.append((text, str(thread.id)))
        self.show_prompts(prompts)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        if key and key != "none":
            from webcare_tui.ui.screens.thread import ThreadScreen

            self.app.push_screen(ThreadScreen(self.workspace, int(key)))
