"""The draft pane: write a reply, saved as it is typed, beside the conversation."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Label, TextArea

from webcare_tui.ui.screens.thread_actions import ThreadActions
from webcare_tui.ui.widgets.thread_view import ThreadView


class ReplyScreen(ThreadActions):
    """The conversation with a draft below it. Every keystroke is kept (per thread and agent)."""

    BINDINGS = [Binding("escape", "back", "Back (draft kept)", id="reply.back")]
    DEFAULT_CSS = """
    ReplyScreen #draft { height: 10; border: round $primary; }
    ReplyScreen #draft-status { color: $text-muted; height: 1; padding: 0 1; }
    """

    def __init__(self, thread_id: int) -> None:
        super().__init__()
        self.thread_id = thread_id
        self._loaded = False

    def compose(self) -> ComposeResult:
        app = self.webcare
        with Vertical():
            yield ThreadView(app.store, app.clock, id="thread")
            yield TextArea(id="draft", soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="draft-bar"):
                yield Label("", id="draft-status", markup=False)
        yield Footer()

    def current_thread_id(self) -> int | None:
        return self.thread_id

    def on_mount(self) -> None:
        self.query_one(ThreadView).show_thread(self.thread_id)
        self._load_draft()

    @work(thread=True, exit_on_error=False)
    def _load_draft(self) -> None:
        app = self.webcare
        text = app.store.draft(self.thread_id, app.config.agent)
        if not text:
            thread = app.store.thread(self.thread_id)
            handle = f"@{thread.author} " if thread.channel == "mastodon" else ""
            text = f"{handle}\n\n{app.config.signature_text}"
        app.call_from_thread(self._show_draft, text)

    def _show_draft(self, text: str) -> None:
        area = self.query_one("#draft", TextArea)
        area.load_text(text)
        area.focus()
        self._loaded = True
        self._update_status(text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if not self._loaded:
            return
        text = event.text_area.text
        self._update_status(text)
        self._save(text)

    def _update_status(self, text: str) -> None:
        self.query_one("#draft-status", Label).update(
            f"{len(text)} characters · saved as you type · escape goes back"
        )

    @work(thread=True, exclusive=True, group="draft-save", exit_on_error=False)
    def _save(self, text: str) -> None:
        app = self.webcare
        app.store.save_draft(self.thread_id, app.config.agent, text, now=app.now)

    def data_changed(self) -> None:
        self.query_one(ThreadView).reload()

    def action_back(self) -> None:
        self.dismiss()
