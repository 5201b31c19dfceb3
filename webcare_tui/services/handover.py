"""Hand-over between agents and between shifts.

`Handover` is one agent's handle: claim a thread, hand it to a colleague, unassign it, take it
over with a reason, leave a note for the next shift. `check_colleague_thread` is the one rule
every action that changes a colleague's thread goes through (ignore, resolve, snooze, tag): it
is refused naming the holder unless a reason is given, which is recorded and told to them.
`shift_handover` is what `webcare handover` and the hand-over screen show, callbacks due
before the next opening included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import Thread
from webcare_tui.store import Store
from webcare_tui.store.callbacks import Callback
from webcare_tui.store.team import DraftInProgress, HandoverNote, Notice

# Round the clock there is no next opening: a shift is taken to last this long.
ROUND_THE_CLOCK_SHIFT = timedelta(hours=8)


def check_colleague_thread(
    store: Store, thread_id: int, agent: str, *, reason: str, what: str, now: datetime
) -> str | None:
    """Before `agent` changes thread `thread_id` (`what`: "ignored", "resolved", ...).

    Raises `ClaimedByOther` (naming the holder) when a colleague holds it and `reason` is
    empty; with a reason, records it and tells the holder. Returns that colleague, or None.
    """
    return store.colleague_change(thread_id, agent, reason=reason, what=what, now=now)


class Handover:
    """One agent's hand-over actions. Each raises a `StoreError` when refused or failed."""

    def __init__(self, store: Store, agent: str, now: Callable[[], datetime]) -> None:
        self._store = store
        self._now = now
        self.agent = agent

    def assign(self, thread_id: int, to: str | None = None, *, reason: str = "") -> str | None:
        """Give the thread to `to` (default: me). Returns the previous holder."""
        target = (to or self.agent).strip() or self.agent
        return self._store.hand_over(thread_id, self.agent, target, reason=reason, now=self._now())

    def unassign(self, thread_id: int, *, reason: str = "") -> str | None:
        return self._store.hand_over(thread_id, self.agent, None, reason=reason, now=self._now())

    def check_change(self, thread_id: int, *, reason: str, what: str) -> str | None:
        return check_colleague_thread(
            self._store, thread_id, self.agent, reason=reason, what=what, now=self._now()
        )

    def leave_note(self, thread_id: int, text: str) -> None:
        self._store.set_handover_note(thread_id, text, author=self.agent, now=self._now())

    def note(self, thread_id: int) -> HandoverNote | None:
        return self._store.handover_notes([thread_id]).get(thread_id)

    def notices(self, after: int) -> list[Notice]:
        """What colleagues did to my threads since notice `after`."""
        return self._store.notices(self.agent, after=after)

    def shown_mark(self) -> int:
        """The last of my notices a TUI of mine showed: later ones came while it was closed."""
        return self._store.notice_mark(self.agent)

    def mark_shown(self, notice_id: int) -> None:
        self._store.mark_notices_shown(self.agent, notice_id)

    def shift(self, clock: ResponseClock) -> ShiftHandover:
        """What this shift hands to the next (see `shift_handover`)."""
        return shift_handover(self._store, clock, self._now())


@dataclass(frozen=True, slots=True)
class ThreadHandover:
    """One thread that runs out before the next opening, with what the next shift must know."""

    thread: Thread
    next_opening: datetime | None
    promised: str | None
    note: HandoverNote | None
    drafts: tuple[DraftInProgress, ...]

    def as_json(self, now: datetime) -> dict[str, object]:
        due = self.thread.due_at
        return {
            "thread": self.thread.id,
            "channel": self.thread.channel,
            "author": self.thread.author,
            "state": self.thread.state.value,
            "assignee": self.thread.assignee,
            "due_at": due.isoformat() if due else None,
            "seconds_left": int((due - now).total_seconds()) if due else None,
            "next_opening": self.next_opening.isoformat() if self.next_opening else None,
            "promised": self.promised,
            "note": None
            if self.note is None
            else {
                "author": self.note.author,
                "at": self.note.at.isoformat(),
                "text": self.note.text,
            },
            "drafts": [
                {"agent": d.agent, "text": d.text, "updated_at": d.updated_at.isoformat()}
                for d in self.drafts
            ],
        }


def callback_json(call: Callback, now: datetime) -> dict[str, object]:
    """One call still to make, for `handover --json` (`seconds_left` in wall time, as threads)."""
    return {
        "id": call.id,
        "thread": call.thread_id,
        "phone": call.phone,
        "due_at": call.due_at.isoformat(),
        "seconds_left": int((call.due_at - now).total_seconds()),
        "note": call.note,
    }


@dataclass(frozen=True, slots=True)
class ShiftHandover:
    threads: tuple[ThreadHandover, ...]
    drafts: tuple[DraftInProgress, ...]
    callbacks: tuple[Callback, ...] = ()

    def as_json(self, now: datetime) -> dict[str, object]:
        return {
            "threads": [t.as_json(now) for t in self.threads],
            "callbacks": [callback_json(c, now) for c in self.callbacks],
            "drafts": [
                {
                    "thread": d.thread_id,
                    "agent": d.agent,
                    "text": d.text,
                    "updated_at": d.updated_at.isoformat(),
                }
                for d in self.drafts
            ],
        }


def next_opening(clock: ResponseClock, channel: str, now: datetime) -> datetime | None:
    """The start of the next open period after `now` (None round the clock)."""
    change = clock.next_change(channel, now)
    if change is None:
        return None
    if clock.is_open(channel, now):
        return clock.next_change(channel, change)
    return change


def shift_handover(store: Store, clock: ResponseClock, now: datetime) -> ShiftHandover:
    """Threads whose clock runs out before their channel's next opening, soonest first, with
    what we last told the customer, the hand-over note and drafts; every draft; and the calls
    still to make that are due before their thread's channel opens again."""
    openings: dict[str, datetime | None] = {}

    def opening(channel: str) -> datetime | None:
        if channel not in openings:
            openings[channel] = next_opening(clock, channel, now)
        return openings[channel]

    horizon = max(
        (o for o in (opening(c) for c in clock.windows) if o is not None),
        default=now + ROUND_THE_CLOCK_SHIFT,
    )
    candidates = store.due_before(max(horizon, now + ROUND_THE_CLOCK_SHIFT))

    def limit(channel: str) -> datetime:
        return opening(channel) or now + ROUND_THE_CLOCK_SHIFT

    due = [t for t in candidates if t.due_at is not None and t.due_at < limit(t.channel)]
    calls = tuple(c for c in store.callbacks() if c.due_at < limit(c.channel))
    ids = [t.id for t in due]
    promised = store.last_replies(ids)
    notes = store.handover_notes(ids)
    drafts = tuple(store.drafts_in_progress())
    return ShiftHandover(
        threads=tuple(
            ThreadHandover(
                thread=t,
                next_opening=opening(t.channel),
                promised=promised.get(t.id),
                note=notes.get(t.id),
                drafts=tuple(d for d in drafts if d.thread_id == t.id),
            )
            for t in due
        ),
        drafts=drafts,
        callbacks=calls,
    )
