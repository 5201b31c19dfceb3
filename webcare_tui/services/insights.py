"""Priority and tags for a page of threads, read from the store in a few queries; the
report and its what-if for the report screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.digest import CustomerMessage, complaint_test, render_digest
from webcare_tui.core.lexicon import Lexicon, load_lexicon
from webcare_tui.core.model import Direction, Thread
from webcare_tui.core.priority import Priority, Signals, score
from webcare_tui.core.report import DueTimes, Report, ReportRows, report_of_rows
from webcare_tui.core.report_format import format_table
from webcare_tui.core.timeutil import from_db
from webcare_tui.core.whatif import WhatIf, clock_under, parse_what_if
from webcare_tui.store import Store
from webcare_tui.store.base import FeedFilter


@cache
def lexicon() -> Lexicon:
    """The packaged lexicon (data/lexicon), read once per process."""
    from webcare_tui.paths import data_dir

    return load_lexicon(data_dir() / "lexicon")


# Scores from BASE (50) up: a complaint alone is 70, a complaint from a customer writing for
# the third time today 95.
RAISED = 70
HIGH = 90


@dataclass(frozen=True, slots=True)
class ThreadInsight:
    """What the feed shows beside the clock: the thread's tags, its priority, and whether
    the customer wrote to us before, outside this thread (`repeat`)."""

    tags: tuple[str, ...]
    priority: Priority
    repeat: bool = False

    @property
    def mark(self) -> str:
        """Two cells for the feed row: `‼`/`!` for high priority (`⚠` for an impostor, which
        always leads), then `↻` for a repeat customer."""
        score = self.priority.score
        if self.priority.impostor:
            first = "⚠"
        else:
            first = "‼" if score >= HIGH else "!" if score >= RAISED else " "
        return first + ("↻" if self.repeat else " ")


def thread_insights(store: Store, threads: Sequence[Thread]) -> dict[int, ThreadInsight]:
    """Tags and priority of each of `threads`, by thread id."""
    tags = store.tags_of([t.id for t in threads])
    return {
        thread_id: ThreadInsight(tags.get(thread_id, ()), priority, repeat)
        for thread_id, (priority, repeat) in _priorities(store, threads).items()
    }


def _priorities(store: Store, threads: Sequence[Thread]) -> dict[int, tuple[Priority, bool]]:
    """Each thread's priority, and whether its customer wrote to us before it began.

    Repeat contact is counted as of the thread's last customer message, not as of now: a
    stored priority then stays true until the customer writes again (which unscores it), and
    a thread's rank does not drift while it waits."""
    ids = [t.id for t in threads]
    texts = store.thread_texts(ids)
    contacts = store.contact_times({t.author for t in threads})
    words = lexicon()
    found: dict[int, tuple[Priority, bool]] = {}
    for thread in threads:
        own = texts.get(thread.id, [])
        customer = [(text, at) for author, text, at in own if author == thread.author]
        others = [text for author, text, _ in own if author != thread.author]
        everything = contacts.get(thread.author, [])
        signals = Signals(
            thread.followers,
            [text for text, _ in customer],
            others,
            everything,
            customer[-1][1] if customer else None,
        )
        # Their first thread is no repeat: only one begun after they had written before is.
        repeat = bool(everything) and everything[0] < thread.created_at
        found[thread.id] = (score(signals, words), repeat)
    return found


def score_unscored(store: Store, feed: FeedFilter | None = None) -> int:
    """Store the priority of the threads (of `feed`, else all) that have none yet, for the
    feed's priority order; returns how many were scored. Cheap when none are waiting.

    The stored number counts repeat contact ("3rd contact today") as of the thread's last
    customer message, not as of now, so it holds until the customer writes again."""
    return store.rescore(
        lambda threads: {i: p.score for i, (p, _) in _priorities(store, threads).items()}, feed
    )


@dataclass(frozen=True, slots=True)
class ReportView:
    """The report as the report screen shows it: the table, and the what-if beside it."""

    report: Report
    table: str
    what_if: Report | None = None
    what_if_text: str = ""

    @property
    def verdict(self) -> str:
        """ "first_response=2h would have cut breaches from 41 to 12"."""
        if self.what_if is None:
            return ""
        before, after = self.report.whole.breaches, self.what_if.whole.breaches
        verb = "cut" if after < before else "raised" if after > before else "left"
        tail = f"from {before} to {after}" if after != before else f"at {before}"
        return f"{self.what_if_text} would have {verb} breaches {tail}"


class Reports:
    """The `webcare report` figures for the report screen, recomputed under a what-if.

    The history is read once and kept until `forget`, so each what-if the agent tries
    recomputes from memory, under its own clock; each clock's due times are kept too (they
    depend on the clock alone), for the last few what-ifs."""

    KEEP_CLOCKS = 8

    def __init__(self, store: Store, clock: ResponseClock) -> None:
        self._store = store
        self._clock = clock
        self._rows: ReportRows | None = None
        self._clocks: dict[WhatIf | None, tuple[ResponseClock, DueTimes]] = {}

    def _judge(self, settings: WhatIf | None) -> tuple[ResponseClock, DueTimes]:
        found = self._clocks.pop(settings, None)  # popped and put back: the newest goes last
        if found is None:
            clock = self._clock if settings is None else clock_under(self._clock, settings)
            found = (clock, DueTimes(clock))
        self._clocks[settings] = found
        while len(self._clocks) > self.KEEP_CLOCKS:
            del self._clocks[next(iter(self._clocks))]
        return found

    def forget(self) -> None:
        """The store changed: the next `view` reads the history again."""
        self._rows = None

    def view(self, now: datetime, what_if: Sequence[str] = ()) -> ReportView:
        """The report at `now`; with `what_if` (`first_response=2h`, ...) also the report under
        those settings. Raises ValueError for a what-if that does not parse."""
        settings = parse_what_if(what_if) if what_if else None
        if self._rows is None:
            self._rows = self._store.report_rows()
        rows = self._rows
        clock, due = self._judge(None)
        report = report_of_rows(rows, clock, now, due=due)
        if settings is None:
            return ReportView(report, format_table(report))
        clock, due = self._judge(settings)
        other = report_of_rows(rows, clock, now, due=due)
        text = settings.describe()
        return ReportView(report, format_table(report, other, text), other, text)


def digest(
    store: Store, *, since: datetime, until: datetime, title: str = "Voice of the customer"
) -> str:
    """The `webcare digest` of `since` to `until`: counts from SQL, and only the period's own
    texts read, newest first, for its complaints."""
    counts = store.digest_counts(since, until)
    is_complaint = complaint_test(lexicon())
    rows = [r for r in store.digest_messages(since, until) if is_complaint(r[4])]
    tags = store.tags_of(sorted({r[0] for r in rows}))
    complaints = [
        CustomerMessage(thread, channel, author, from_db(at), text, tags.get(thread, ()))
        for thread, channel, author, at, text in rows
    ]
    return render_digest(counts, complaints, since=since, until=until, title=title)


@dataclass(frozen=True, slots=True)
class EarlierThread:
    """One of the customer's earlier threads, as the thread view lists it."""

    id: int
    created_at: datetime
    topic: str  # the customer's first message
    outcome: str  # `resolved: refund sent`, `ignored: thanks`, or the state
    answered_by: tuple[str, ...]  # the agents who replied


MAX_EARLIER = 9


def earlier_threads(store: Store, thread: Thread, thread_ids: Sequence[int]) -> list[EarlierThread]:
    """The customer's threads (of `thread_ids`) begun before `thread`, newest first."""
    found: list[EarlierThread] = []
    for other_id in thread_ids:
        if other_id == thread.id:
            continue
        other = store.thread(other_id)
        if other.created_at >= thread.created_at:
            continue
        messages = store.messages(other_id)
        topic = next((m.text for m in messages if m.direction is Direction.IN), "")
        agents = tuple(dict.fromkeys(m.agent for m in messages if m.agent))
        state = other.state.value
        closing = [e for e in store.events(other_id) if e.kind == state and e.detail]
        outcome = f"{state}: {closing[-1].detail}" if closing else state
        found.append(EarlierThread(other_id, other.created_at, topic, outcome, agents))
    found.sort(key=lambda t: t.created_at, reverse=True)
    return found[:MAX_EARLIER]
