"""The inbox: the feed, and on wide terminals the open thread beside it."""

from __future__ import annotations

from dataclasses import replace

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Footer, Input

from webcare_tui.services.feed_pager import FeedFilter, FeedOrder
from webcare_tui.ui.app_clock import app_now, steady_cursors
from webcare_tui.ui.screens.thread import ThreadScreen
from webcare_tui.ui.screens.thread_keys import THREAD_BINDINGS, ThreadKeysScreen
from webcare_tui.ui.widgets.inbox_header import InboxHeader
from webcare_tui.ui.widgets.thread_feed import ThreadFeed
from webcare_tui.ui.widgets.thread_view import ThreadView

WIDE = 120


SIDE_PANE_DELAY = 0.12


class InboxScreen(ThreadKeysScreen):
    BINDINGS = [
        *THREAD_BINDINGS,
        Binding("slash", "filter", "Filter", id="feed.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="feed.clear_filter"),
        Binding("O", "cycle_order", "Sort order", show=False, id="feed.order"),
    ]
    DEFAULT_CSS = """
    InboxScreen #filter { display: none; height: 3; }
    InboxScreen.filtering #filter { display: block; }
    InboxScreen #side { display: none; }
    InboxScreen.wide #side { display: block; width: 45%; border-left: vkey $panel; }
    """

    _side_timer: Timer | None = None
    _counted = False

    def compose(self) -> ComposeResult:
        workspace = self.workspace
        # The filter box and the side pane are mounted when first needed: each costs start-up
        # time (styles, layout) and an agent at 80 columns may never use either.
        channels = dict.fromkeys(c.channel for c in workspace.config.connectors)
        yield InboxHeader(
            workspace.config.team_name, workspace.agent, workspace.clock, tuple(channels)
        )
        with Horizontal(id="panes"):
            yield ThreadFeed(workspace.feed, workspace.clock, workspace.agent, id="feed")

    @property
    def feed(self) -> ThreadFeed:
        return self.query_one(ThreadFeed)

    @property
    def side(self) -> ThreadView:
        found = self.query("#side")
        if found:
            return found.only_one(ThreadView)
        side = ThreadView(self.workspace.threads, self.workspace.clock, id="side")
        self.query_one("#panes", Horizontal).mount(side)
        return side

    @property
    def filter_box(self) -> Input:
        found = self.query("#filter")
        if found:
            return found.only_one(Input)
        box = Input(placeholder="filter: author, text or channel · escape clears", id="filter")
        steady_cursors(self, box)
        self.mount(box, before="#panes")
        return box

    def on_mount(self) -> None:
        self.feed.focus()

    def on_thread_feed_loaded(self, message: ThreadFeed.Loaded) -> None:
        # Counting every thread is slower than showing the first page: it comes second.
        if not self._counted:
            self._counted = True
            # The footer recomposes on every focus and binding change while the app starts
            # (~180 ms here); mounted once the first rows are painted, it costs the agent
            # nothing.
            self.call_after_refresh(self._mount_footer)
            self.refresh_counts()
            self.score_priorities(replace(self.feed.feed, order=FeedOrder.PRIORITY))

    def _mount_footer(self) -> None:
        if self.is_attached:
            self.mount(Footer())
            self.call_after_refresh(self.refresh_bindings)  # a late footer starts empty

    def on_resize(self) -> None:
        self.set_class(self.is_wide, "wide")
        if self.is_wide:
            _ = self.side  # mounted the first time the screen is wide

    @property
    def is_wide(self) -> bool:
        return self.size.width >= WIDE

    def current_thread_id(self) -> int | None:
        thread = self.feed.highlighted
        return thread.id if thread else None

    def on_thread_feed_highlighted(self, message: ThreadFeed.Highlighted) -> None:
        if not self.is_wide:
            return
        # Holding j down should not rebuild the conversation for every thread it passes:
        # the side pane follows once the cursor rests.
        if self._side_timer is not None:
            self._side_timer.stop()
        thread_id = message.thread.id if message.thread else None

        def follow() -> None:
            self._side_timer = None
            self.side.show_thread(thread_id)

        self._side_timer = self.set_timer(SIDE_PANE_DELAY, follow, name="side-pane")

    @property
    def side_pane_pending(self) -> bool:
        """Whether the pane beside the feed has yet to follow the resting cursor."""
        return self._side_timer is not None

    def on_key(self, event: events.Key) -> None:
        # The thread beside the feed lists the customer's earlier threads by digit: the feed
        # binds no digits, so they reach that list from the feed too, not from the filter box.
        beside = self.is_wide and self.focused is self.feed and bool(self.query("#side"))
        if beside and self.side.open_earlier(event.character):
            event.stop()

    def on_thread_feed_opened(self, message: ThreadFeed.Opened) -> None:
        if self.is_wide:
            self.side.show_thread(message.thread.id)
        else:
            self.app.push_screen(ThreadScreen(self.workspace, message.thread.id))

    def data_changed(self) -> None:
        self.feed.reload()
        self.refresh_counts()
        if self.is_wide:
            self.side.reload()

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def refresh_counts(self) -> None:
        status, now = self.workspace.status, app_now(self)
        counts = status.counts(now)
        health = status.connectors(now)
        header = self.query_one(InboxHeader)
        self.app.call_from_thread(setattr, header, "counts", counts)
        self.app.call_from_thread(setattr, header, "health", health)

    @work(thread=True, exclusive=True, group="priority", exit_on_error=False)
    def score_priorities(self, feed: FeedFilter) -> None:
        # An older database, or a large import, holds threads with no stored priority yet:
        # scored behind the first page (6 s at 100k threads), the first `O` finds them ready.
        self.workspace.feed.score(feed)

    def action_filter(self) -> None:
        self.add_class("filtering")
        self.filter_box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            order = self.feed.feed.order
            self.feed.set_filter(
                FeedFilter(query=event.value, agent=self.workspace.agent, order=order)
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.feed.focus()

    def action_clear_filter(self) -> None:
        box = self.filter_box
        if box.value:
            box.value = ""
        self.remove_class("filtering")
        self.feed.set_filter(FeedFilter(order=self.feed.feed.order))
        self.feed.focus()

    def action_cycle_order(self) -> None:
        """Due time, then real waiting time, then due again; the selected thread stays."""
        feed = self.feed
        feed.feed = replace(feed.feed, order=feed.feed.order.next())
        self.query_one(InboxHeader).order = feed.feed.order
        feed.reload()
