"""The feed: one line per thread, most urgent first, with a live countdown.

A ScrollView that renders only the visible lines (`render_line`) from a sparse page cache, so
100k threads cost what 30 do. The app-wide clock ticks once a second; only the countdown column
is repainted then.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.clock_text import countdown_cell
from webcare_tui.core.model import Thread
from webcare_tui.core.outbox import PENDING_MARKS, OutboxState
from webcare_tui.services.escalation_desk import where_label
from webcare_tui.services.feed_pager import PAGE, FeedFilter, FeedPage, FeedPager, FeedRows
from webcare_tui.ui.app_clock import app_now
from webcare_tui.ui.failures import ForwardsWorkerFailures

if TYPE_CHECKING:
    from webcare_tui.services.insights import ThreadInsight

COUNTDOWN_WIDTH = 15
MARK_WIDTH = 3  # priority (`!`, `‼`, `⚠` impostor) and `↻` for a repeat customer
_STRIP_CACHE = 1000
_LEVELS = ("calm", "warning", "overdue", "paused")
_STATE_LABELS = {
    "open": "open",
    "replied": "replied",
    "escalated": "escalated",
    "snoozed": "snoozed",
    "resolved": "resolved",
    "ignored": "ignored",
}


def _state_label(thread: Thread) -> str:
    """Where an escalated thread sits (`phone`, `DM`, `backoffice`); else its state."""
    if thread.escalated_to:
        return where_label(thread.escalated_to)
    return _STATE_LABELS.get(thread.state.value, thread.state.value)


class ThreadFeed(ForwardsWorkerFailures, Widget, can_focus=True):
    """Every thread of the current filter, one line each.

    It scrolls itself rather than through Textual's scrolling: moving the view by one line
    then repaints this widget alone, where a scroll offset made Textual repaint the whole
    screen (11 ms against 3 ms for a `j` at 100k threads). Its scrollbar is drawn in the last
    column.
    """

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="feed.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="feed.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="feed.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="feed.page_up"),
        Binding("home,g", "first", "First", show=False, id="feed.first"),
        Binding("end,G", "last", "Last", show=False, id="feed.last"),
        Binding("enter", "open", "Open", id="feed.open"),
    ]
    COMPONENT_CLASSES = {
        "thread-feed--cursor",
        "thread-feed--cursor-focus",
        "thread-feed--calm",
        "thread-feed--warning",
        "thread-feed--overdue",
        "thread-feed--paused",
        "thread-feed--dim",
        "thread-feed--author",
        "thread-feed--mine",
        "thread-feed--track",
        "thread-feed--thumb",
    }
    DEFAULT_CSS = """
    ThreadFeed {
        width: 1fr;
        height: 1fr;
    }
    ThreadFeed > .thread-feed--track { background: $scrollbar-background; }
    ThreadFeed > .thread-feed--thumb { background: $scrollbar; }
    """

    cursor: reactive[int] = reactive(0, repaint=False)

    class Highlighted(Message):
        """The cursor moved to another thread."""

        def __init__(self, thread: Thread | None) -> None:
            super().__init__()
            self.thread = thread

    class Opened(Message):
        """Enter on a thread."""

        def __init__(self, thread: Thread) -> None:
            super().__init__()
            self.thread = thread

    class Loaded(Message):
        """A reload finished; `total` threads match the filter."""

        def __init__(self, total: int) -> None:
            super().__init__()
            self.total = total

    def __init__(
        self, pager: FeedPager, clock: ResponseClock, agent: str, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.pager = pager
        self.clock = clock
        self.agent = agent
        self.rows = FeedRows()
        self.feed = FeedFilter()
        self._loading: set[int] = set()
        self._highlighted_id: int | None = None
        self._styles: dict[str, Style] = {}
        self._base: Style | None = None
        self._top = 0  # the index of the first row in view
        # Painted rows by thread id, with what they were painted from. Scrolling by one line
        # repaints every visible row; all but one come from here.
        self._strips: dict[int, tuple[Thread, tuple[object, ...], Strip]] = {}
        self.replying: dict[int, tuple[str, ...]] = {}  # thread id: colleagues replying to it

    # -- data --------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.watch(self.app, "now", self._on_tick, init=False)
        # The first page is read right here, on the UI thread (a few ms at 100k threads). In a
        # worker it waited on the GIL while the app was still mounting, about 60 ms, and there
        # is nothing to show until it is back. Later reloads go to a worker.
        try:
            rows, cursor = self.pager.window(self.feed, selected=None, cursor=0, marks=False)
        except Exception:
            self.reload()  # the worker fails the same way, and the backstop shows it
        else:
            self.call_later(self._apply, rows, cursor)
            # Priority needs the lexicon (~200 ms to load): the rows show first, marks after.
            self._fetch_marks(rows, cursor // PAGE)

    def set_filter(self, feed: FeedFilter) -> None:
        self.feed = feed
        self.reload(keep_selection=False)

    def reload(self, *, keep_selection: bool = True) -> None:
        selected = self._highlighted_id if keep_selection else None
        self._reload(self.feed, selected, self.cursor if keep_selection else 0)

    @work(thread=True, exclusive=True, group="feed-reload", exit_on_error=False)
    def _reload(self, feed: FeedFilter, selected: int | None, cursor: int) -> None:
        rows, cursor = self.pager.window(feed, selected=selected, cursor=cursor)
        self.app.call_from_thread(self._apply, rows, cursor)

    def _apply(self, rows: FeedRows, cursor: int) -> None:
        if rows.feed != self.feed:
            return
        unchanged = self._same_view(rows, cursor)
        self.rows = rows
        if unchanged:  # another process wrote something this view does not show
            self._loading.clear()
            self.post_message(self.Loaded(rows.total))
            return
        self._loading.clear()
        self.set_reactive(ThreadFeed.cursor, cursor)
        self._scroll_to_cursor()
        self.refresh()
        self._announce()
        self.post_message(self.Loaded(rows.total))

    def _same_view(self, rows: FeedRows, cursor: int) -> bool:
        if rows.total != self.rows.total or cursor != self.cursor or not self.rows.total:
            return False
        top = self._top
        return all(
            rows.get(i) == self.rows.get(i) is not None
            for i in range(top, min(top + self.view_height, rows.total))
        )

    def _want_page(self, number: int) -> None:
        if number < 0 or number in self._loading or self.rows.has_page(number):
            return
        self._loading.add(number)
        self._fetch_page(self.rows, number)

    @work(thread=True, group="feed-page", exit_on_error=False)
    def _fetch_page(self, rows: FeedRows, number: int) -> None:
        page = self.pager.page(rows, number)
        marks = self.pager.insights(page)
        self.app.call_from_thread(self._page_arrived, rows, number, page, marks)

    @work(thread=True, group="feed-page", exit_on_error=False)
    def _fetch_marks(self, rows: FeedRows, number: int) -> None:
        page = rows.pages.get(number)
        if page is not None:
            marks = self.pager.insights(page)
            self.app.call_from_thread(self._marks_arrived, rows, number, marks)

    def _marks_arrived(
        self, rows: FeedRows, number: int, marks: Mapping[int, ThreadInsight]
    ) -> None:
        # Maybe before the rows themselves are applied: they are the same object.
        rows.insights[number] = marks
        if rows is self.rows:
            self.refresh()

    def _page_arrived(
        self, rows: FeedRows, number: int, page: FeedPage, marks: Mapping[int, ThreadInsight]
    ) -> None:
        self._loading.discard(number)
        if rows is not self.rows:
            return
        rows.add_page(number, page, marks)
        self.refresh()
        self._announce()

    @property
    def highlighted(self) -> Thread | None:
        return self.rows.get(self.cursor) if self.rows.total else None

    def _announce(self) -> None:
        thread = self.highlighted
        thread_id = thread.id if thread else None
        if thread_id != self._highlighted_id:
            self._highlighted_id = thread_id
            self.post_message(self.Highlighted(thread))

    # -- movement ----------------------------------------------------------------------------

    def _move_to(self, index: int) -> None:
        if not self.rows.total:
            return
        self.cursor = max(0, min(index, self.rows.total - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        top = self._top
        self._scroll_to_cursor()
        if self._top == top:
            # Only the old and the new cursor line change.
            width = self.size.width
            self.refresh(Region(0, old - top, width, 1), Region(0, new - top, width, 1))
        else:
            self.refresh()
        self._announce()

    @property
    def view_height(self) -> int:
        return max(1, self.content_size.height)

    @property
    def top(self) -> int:
        """The index of the first row in view."""
        return self._top

    def _scroll_to_cursor(self) -> None:
        top = self._top
        if self.cursor < top:
            top = self.cursor
        elif self.cursor >= top + self.view_height:
            top = self.cursor - self.view_height + 1
        self._set_top(top)

    def _set_top(self, top: int) -> None:
        self._top = max(0, min(top, self.rows.total - self.view_height))

    def _scroll_by(self, lines: int) -> None:
        top = self._top
        self._set_top(top + lines)
        if self._top != top:
            self.refresh()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._scroll_by(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._scroll_by(-3)

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor - 1)

    def action_page_down(self) -> None:
        self._move_to(self.cursor + max(1, self.view_height - 1))

    def action_page_up(self) -> None:
        self._move_to(self.cursor - max(1, self.view_height - 1))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(self.rows.total - 1)

    def action_open(self) -> None:
        thread = self.highlighted
        if thread is not None:
            self.post_message(self.Opened(thread))

    def on_click(self, event: object) -> None:
        offset = getattr(event, "y", None)
        if isinstance(offset, int):
            self._move_to(self._top + offset)

    # -- painting ----------------------------------------------------------------------------

    def set_replying(self, replying: dict[int, tuple[str, ...]]) -> None:
        """Mark the rows of threads a colleague is replying to ("✎CD")."""
        if replying != self.replying:
            self.replying = replying
            self.refresh()

    def _on_tick(self, now: datetime) -> None:
        # Only countdowns change with time, and their text about once a minute: repaint the
        # rows whose text or level changed since painted, not every row every second (over a
        # slow SSH link that is most of what the TUI writes).
        width = self.size.width
        changed = []
        for y in range(min(self.view_height, self.rows.total - self._top)):
            thread = self.rows.get(self._top + y)
            if thread is None:
                continue
            cached = self._strips.get(thread.id)
            if cached is None or cached[1][4:6] != countdown_cell(thread, self.clock, now):
                changed.append(Region(0, y, width, 1))
        if changed:
            self.refresh(*changed)

    def render_line(self, y: int) -> Strip:
        index = self._top + y
        width = self.content_size.width
        base = self._base
        if base is None:
            base = self._base = self.rich_style
        bar = self._bar_at(y)
        if index >= self.rows.total:
            return self._with_bar([Segment(" " * width, base)], width, bar)
        thread = self.rows.get(index)
        if thread is None:
            self._want_page(index // PAGE)
            return self._with_bar([Segment(set_cell_size(" …", width), base)], width, bar)
        selected = index == self.cursor
        insight = self.rows.insight(index, thread.id)
        return self._row(thread, width, base, selected, bar, insight.mark if insight else "  ")

    def _bar_at(self, y: int) -> str:
        """What the scrollbar column shows on line `y`: "" when every row fits."""
        total, height = self.rows.total, self.view_height
        if total <= height:
            return ""
        thumb = max(1, round(height * height / total))
        start = round(self._top / (total - height) * (height - thumb))
        return "thumb" if start <= y < start + thumb else "track"

    def _with_bar(self, segments: list[Segment], width: int, bar: str) -> Strip:
        if not bar:
            return Strip(segments, width)
        line = Strip(segments, width).crop(0, width - 1)
        return Strip([*line, Segment(" ", self._style(bar))], width)

    def notify_style_update(self) -> None:
        self._styles.clear()
        self._strips.clear()
        self._base = None
        super().notify_style_update()

    def _style(self, name: str) -> Style:
        # Looking a component style up costs more than drawing the row: keep them until the
        # CSS or the theme changes.
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(
                f"thread-feed--{name}", partial=True
            )
        return style

    def _row(
        self, thread: Thread, width: int, base: Style, selected: bool, bar: str, mark: str
    ) -> Strip:
        text, level = countdown_cell(thread, self.clock, app_now(self))
        focused = self.has_focus
        sending = self.rows.sending.get(thread.id)
        replying = self.replying.get(thread.id, ())
        painted_from = (width, base, selected, focused, text, level, bar, sending, replying, mark)
        cached = self._strips.get(thread.id)
        if cached is not None and cached[0] is thread and cached[1] == painted_from:
            return cached[2]
        strip = self._paint_row(
            thread, width, base, selected, focused, text, level, bar, sending, replying, mark
        )
        if len(self._strips) > _STRIP_CACHE:
            self._strips.clear()
        self._strips[thread.id] = (thread, painted_from, strip)
        return strip

    def _paint_row(
        self,
        thread: Thread,
        width: int,
        base: Style,
        selected: bool,
        focused: bool,
        text: str,
        level: str,
        bar: str,
        sending: OutboxState | None = None,
        replying: tuple[str, ...] = (),
        mark: str = "  ",
    ) -> Strip:
        dim = self._style("dim")
        level_style = self._style(level) if level in _LEVELS else dim
        author_style = self._style("author")
        assignee = thread.assignee or ""
        assignee_style = self._style("mine") if assignee == self.agent else dim
        if replying:  # a colleague has the reply pane open: say so where the holder shows
            assignee, assignee_style = "✎" + replying[0], self._style("warning")
        author = thread.author_name or thread.author
        channel_width = 9 if width >= 100 else 5
        author_width = 22 if width >= 100 else 14
        cells: list[tuple[str, int, Style]] = [
            (text.rjust(COUNTDOWN_WIDTH - 1), COUNTDOWN_WIDTH, level_style),
            # An impostor in the thread is shown as loudly as an overdue clock.
            (mark, MARK_WIDTH, self._style("overdue") if mark[0] == "⚠" else author_style),
            (thread.channel, channel_width, dim),
            (author, author_width, author_style),
            # A reply on its way shows where the thread's state is: it is about to change.
            (PENDING_MARKS[sending], 10, self._style("warning"))
            if sending is not None
            else (_state_label(thread), 10, dim),
            (assignee, 5, assignee_style),
        ]
        if selected:
            base = base + self._style("cursor-focus" if focused else "cursor")
        segments: list[Segment] = []
        used = 0
        for value, cell_width, style in cells:
            if used + cell_width > width:
                break
            segments.append(Segment(set_cell_size(value, cell_width - 1) + " ", base + style))
            used += cell_width
        rest = width - used
        if rest > 0:
            last = thread.last_text
            if thread.escalated_to and thread.escalated_at:
                since = thread.escalated_at.astimezone(self.clock.timezone)
                last = f"since {since:%a %H:%M} · {last}"
            segments.append(Segment(set_cell_size(last, rest), base))
        return self._with_bar(segments, width, bar)

    def on_resize(self) -> None:
        self._scroll_to_cursor()
        self._strips.clear()
        self.refresh()
