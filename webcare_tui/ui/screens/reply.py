"""The draft pane: write a reply below the conversation, see what the checks say, send it.

The draft is saved as it is typed. `ctrl+s` checks it once more: blocking findings open a
dialog that needs a second, deliberate `ctrl+s` (the override is recorded). The reply then
waits out the undo window in the outbox ("Sending in 9s · u to undo") and the app's outbox
worker sends it. All store and connector work runs in workers; strangers' text is shown as
`Text`, never markup.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Label, TextArea

from webcare_tui.core.canned import CannedReply, render_canned
from webcare_tui.core.checks import Finding
from webcare_tui.core.model import Thread
from webcare_tui.core.outbox import OutboxItem, OutboxState
from webcare_tui.services.drafting import (
    draft_template,
    placeholder_values,
    says_something,
)
from webcare_tui.services.outbox import Outbox, OutboxError, Review
from webcare_tui.services.workspace import Workspace
from webcare_tui.store.store import ClaimedByOther, StoreError
from webcare_tui.ui.app_clock import app_now, steady_cursors
from webcare_tui.ui.dialogs.canned_picker import CannedPicker
from webcare_tui.ui.dialogs.confirm_send import ConfirmSendDialog
from webcare_tui.ui.external_editor import EditorUnavailable, edit_in_editor, editor_command
from webcare_tui.ui.failures import notify_failure
from webcare_tui.ui.messages import DataChanged, OutboxDue
from webcare_tui.ui.screens.thread_keys import ThreadKeysScreen
from webcare_tui.ui.widgets.draft_findings import DraftFindings
from webcare_tui.ui.widgets.send_banner import SendBanner
from webcare_tui.ui.widgets.thread_view import ThreadView

REPLY_BINDINGS: list[Binding] = [
    # Priority: the draft's TextArea would otherwise take ctrl+e (end of line) for itself.
    Binding("ctrl+s", "send", "Send", id="reply.send", priority=True),
    Binding("u", "undo", "Undo send", id="reply.undo"),
    Binding("ctrl+t", "canned", "Canned replies", id="reply.canned", priority=True),
    Binding("ctrl+e", "editor", "$EDITOR", id="reply.editor", priority=True),
    Binding("escape", "back", "Back (draft kept)", id="reply.back"),
]


class ReplyScreen(ThreadKeysScreen):
    """The conversation with a draft below it. Every keystroke is kept (per thread and agent)."""

    BINDINGS: ClassVar[list[BindingType]] = [*REPLY_BINDINGS]
    DEFAULT_CSS = """
    ReplyScreen #thread { height: 1fr; }
    ReplyScreen #draft { height: 8; border: round $primary; }
    ReplyScreen #draft-bar { height: 1; padding: 0 1; }
    ReplyScreen #draft-counter { width: auto; margin-right: 2; }
    ReplyScreen #draft-counter.-over { color: $error; text-style: bold; }
    ReplyScreen #draft-status { width: 1fr; color: $text-muted; }
    /* Notices go over the thread's history, never over the draft or its findings. */
    ReplyScreen > ToastRack { dock: top; align: right top; max-height: 40%; margin-bottom: 0; }
    """

    def __init__(self, workspace: Workspace, thread_id: int) -> None:
        super().__init__(workspace)
        self.thread_id = thread_id
        self.thread: Thread | None = None
        self.lang = ""
        self.item: OutboxItem | None = None
        self.kind = ""
        self.limit = 0
        self.review: Review | None = None
        self.opened_at: datetime | None = None
        self._loaded = False
        self._unsaved: str | None = None
        self._checking = False
        self._check_again = False
        self._send_asked_for: tuple[int, int] | None = None

    @property
    def outbox(self) -> Outbox:
        return self.workspace.outbox

    @property
    def area(self) -> TextArea:
        return self.query_one("#draft", TextArea)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield ThreadView(self.workspace.threads, self.workspace.clock, id="thread")
            area = TextArea(id="draft", soft_wrap=True, tab_behavior="focus")
            steady_cursors(self, area)
            yield area
            with Horizontal(id="draft-bar"):
                yield Label("", id="draft-counter", markup=False)
                yield Label("loading the draft…", id="draft-status", markup=False)
            yield SendBanner(window=self.workspace.config.undo_seconds, id="send-banner")
            yield DraftFindings(id="findings")
        yield Footer()

    def current_thread_id(self) -> int | None:
        return self.thread_id

    def on_mount(self) -> None:
        self.opened_at = app_now(self)
        self.query_one(ThreadView).show_thread(self.thread_id)
        self.area.disabled = True  # until the draft is there: nothing typed may be lost
        self.watch(self.app, "now", self._tick, init=False)
        self._load_draft()

    # -- loading -----------------------------------------------------------------------------

    @work(thread=True, exit_on_error=False, group="reply-load")
    def _load_draft(self) -> None:
        try:
            draft = self.workspace.drafts.open(self.thread_id)
            item = self.outbox.pending(self.thread_id)
        except StoreError as error:
            self._problem(error)
            return
        self.app.call_from_thread(self._show_draft, draft.thread, item, draft.text, draft.lang)

    def _show_draft(self, thread: Thread, item: OutboxItem | None, text: str, lang: str) -> None:
        self.thread, self.lang = thread, lang
        self.kind = self.outbox.kind_of(thread)
        self.limit = self.outbox.rule_of(thread).limit
        cursor = len(text)
        if not text:
            text, cursor = draft_template(
                self.kind, thread.author, self.workspace.config.signature_text
            )
        area = self.area
        self._unsaved = text  # an untouched template is not worth a row in the drafts table
        area.load_text(item.text if item else text)
        before = text[:cursor]
        area.cursor_location = (before.count("\n"), cursor - (before.rfind("\n") + 1))
        self._loaded = True
        self._show_item(item)
        self._fetch_limit(thread)
        self._request_check()

    @work(group="reply-limit", exit_on_error=False)
    async def _fetch_limit(self, thread: Thread) -> None:
        # Mastodon asks the instance (one HTTP call, cached by the connector): async, in a worker.
        limit = await self.outbox.length_limit(thread)
        if limit != self.limit:
            self.limit = limit
            self._request_check()

    # -- typing and checking -----------------------------------------------------------------

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if not self._loaded or self.item is not None:
            return
        text = event.text_area.text
        if text != self._unsaved:
            self._unsaved = None
            self._save(text)
        self._request_check()

    @work(thread=True, exclusive=True, group="draft-save", exit_on_error=False)
    def _save(self, text: str) -> None:
        self.workspace.drafts.save(self.thread_id, text)

    def _request_check(self) -> None:
        """Check the draft now, or right after the check under way: at most one runs, and the
        newest text is always checked last (typing fast coalesces instead of queueing)."""
        if self._checking:
            self._check_again = True
            return
        self._checking = True
        self._check(self.area.text, self.limit)

    @work(thread=True, group="draft-check", exit_on_error=False)
    def _check(self, text: str, limit: int) -> None:
        review: Review | None = None
        problem = ""
        try:
            review = self.outbox.review(
                self.thread_id, text, length_limit=limit, opened_at=self.opened_at
            )
        except Exception as error:  # a broken tone file, a closed database: say so, go on
            problem = f"{type(error).__name__}: {error}"
        self.app.call_from_thread(self._checked, text, review, problem)

    def _checked(self, text: str, review: Review | None, problem: str) -> None:
        self._checking = False
        if review is not None:
            self.review = review
            self._show_review(text, review)
        elif problem:
            self.query_one("#draft-status", Label).update(f"checks failed: {problem}")
        if self._check_again:
            self._check_again = False
            self._request_check()

    def _show_review(self, text: str, review: Review) -> None:
        counter = self.query_one("#draft-counter", Label)
        # At most one keystroke behind: the check of the newest text follows right after.
        length = review.length
        over = review.length_limit > 0 and length > review.length_limit
        counter.update(f"{length}/{review.length_limit}" if review.length_limit else f"{length}")
        counter.set_class(over, "-over")
        status = "saved as you type"
        if review.blocking:
            status += f" · {len(review.blocking)} to fix before sending"
        self.query_one("#draft-status", Label).update(status)
        empty = not says_something(text)
        self.query_one(DraftFindings).show(review.findings, empty=empty)

    # -- sending -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        item = self.item
        if action == "undo":
            return item is not None and item.can_undo
        if action == "send":
            return self._loaded and (item is None or item.state is OutboxState.FAILED)
        if action in ("canned", "editor"):
            return self._loaded and item is None
        return True

    def action_send(self) -> None:
        if self.item is not None and self.item.state is OutboxState.FAILED:
            self._retry(self.item.id)
        elif self.item is None and self._loaded:
            self._prepare_send(self.area.text, self.limit)

    @work(thread=True, group="reply-send", exit_on_error=False)
    def _prepare_send(self, text: str, limit: int) -> None:
        # A fresh check: the live one may be a keystroke behind, or someone took the thread.
        try:
            review = self.outbox.review(
                self.thread_id, text, length_limit=limit, opened_at=self.opened_at
            )
        except (StoreError, ValueError) as error:
            self._problem(error, title="cannot check the reply")
            return
        if review.blocking:
            self.app.call_from_thread(self._confirm, text, limit, review.findings)
        else:
            self._queue(text, limit, force=False)

    def _confirm(self, text: str, limit: int, findings: list[Finding]) -> None:
        self.query_one(DraftFindings).show(findings)

        def answered(reason: str | None) -> None:
            if reason is not None:
                self._queue_worker(text, limit, reason)

        dialog = ConfirmSendDialog(
            findings,
            needs_reason=self.outbox.needs_reason(findings),
            approval=self.outbox.four_eyes,
        )
        self.app.push_screen(dialog, answered)

    @work(thread=True, group="reply-send", exit_on_error=False)
    def _queue_worker(self, text: str, limit: int, reason: str) -> None:
        self._queue(text, limit, force=True, reason=reason or None)

    def _queue(self, text: str, limit: int, *, force: bool, reason: str | None = None) -> None:
        """Runs in a worker thread."""
        try:
            item = self.outbox.queue_reply(
                self.thread_id,
                text,
                length_limit=limit,
                force=force,
                opened_at=self.opened_at,
                reason=reason,
            )
        except ClaimedByOther as error:
            message = f"{error.holder} took this thread just now; ctrl+s shows what to do."
            self._problem(error, text=message)
            return
        except (OutboxError, StoreError) as error:
            self._problem(error)
            return
        self.app.call_from_thread(self._show_item, item)
        self.post_message(DataChanged())  # the feed marks the thread, and shows it claimed

    @work(thread=True, group="reply-send", exit_on_error=False)
    def _retry(self, item_id: int) -> None:
        try:
            item = self.outbox.retry(item_id)
        except StoreError as error:
            self._problem(error)
            return
        self.app.call_from_thread(self._show_item, item)

    def _show_item(self, item: OutboxItem | None) -> None:
        """Show where this agent's reply stands; the draft is locked while one is on its way."""
        if item is not None and item.state is OutboxState.CANCELLED:
            item = None
        self.item = item
        self.query_one(SendBanner).show(item, app_now(self), self.workspace.clock.timezone)
        area = self.area
        area.disabled = item is not None
        if item is None:
            area.focus()
        self.refresh_bindings()
        self._tick(app_now(self))

    def _tick(self, now: datetime) -> None:
        item = self.item
        if item is None:
            return
        if item.state is OutboxState.QUEUED:
            self.query_one(SendBanner).show(item, now, self.workspace.clock.timezone)
            due = item.seconds_left(now) == 0
        elif item.retries_by_itself and item.retry_at is not None:
            due = item.retry_at <= now
        else:
            return
        if due and self._send_asked_for != (item.id, item.attempts):
            # Its time has come: ask the app's outbox worker now, not on its next round.
            self._send_asked_for = (item.id, item.attempts)
            self.post_message(OutboxDue())

    # -- undo --------------------------------------------------------------------------------

    def action_undo(self) -> None:
        if self.item is not None and self.item.can_undo:
            self._undo(self.item.id)

    @work(thread=True, group="reply-send", exit_on_error=False)
    def _undo(self, item_id: int) -> None:
        try:
            self.outbox.cancel(item_id)
            text = self.workspace.drafts.text(self.thread_id)
        except StoreError as error:  # too late: it is being sent
            self._problem(error)
            self.app.call_from_thread(self._refresh_item)
            return
        self.app.call_from_thread(self._undone, text)

    def _undone(self, text: str) -> None:
        self._show_item(None)
        self.post_message(DataChanged())
        self.area.load_text(text)
        self.area.move_cursor(self.area.document.end)
        self.notify("Taken back into the draft.", markup=False)

    # -- canned replies and the editor -------------------------------------------------------

    def action_canned(self) -> None:
        from webcare_tui.core.canned import DataFileError, load_canned
        from webcare_tui.paths import data_dir

        try:
            replies = load_canned(data_dir() / "canned", self.workspace.config.canned)
        except DataFileError as error:
            self._problem(error)
            return
        picker = CannedPicker(replies, lang=self.lang or None)
        self.app.push_screen(picker, self._insert_canned)

    def _insert_canned(self, reply: CannedReply | None) -> None:
        if reply is None or self.thread is None:
            return
        values = placeholder_values(self.thread, self.workspace.config, reply.lang)
        self.area.insert(render_canned(reply, values))
        signature = self.workspace.config.signature_text
        if signature and signature not in self.area.text:
            self.area.insert(f"\n\n{signature}", self.area.document.end)
        self.area.focus()

    def action_editor(self) -> None:
        try:
            command = editor_command()
            edited = edit_in_editor(self.app, self.area.text, command)
        except EditorUnavailable as error:
            self._problem(error, title="editor")
            return
        if edited is not None and edited != self.area.text:
            self.area.load_text(edited)
        self.area.focus()

    # -- the rest ----------------------------------------------------------------------------

    def _problem(
        self, error: BaseException, *, title: str | None = None, text: str | None = None
    ) -> None:
        """A refusal the agent can act on (thread-safe): a warning, not the backstop's error."""
        notify_failure(self, error, severity="warning", title=title, text=text)

    def data_changed(self) -> None:
        self.query_one(ThreadView).reload()
        if self.item is not None:
            self._refresh_item()
        elif self._loaded:
            self._request_check()  # someone may have taken or answered the thread

    @work(thread=True, group="reply-load", exit_on_error=False)
    def _refresh_item(self) -> None:
        if self.item is None:
            return
        try:
            item = self.workspace.drafts.reply(self.item.id)
        except StoreError:
            return
        self.app.call_from_thread(self._show_item, item)
