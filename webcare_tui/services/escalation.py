"""Taking a thread offline, without any UI: to a team, to the phone, or by DM.

The CLI and the TUI both come here, so both refuse the same team names, store a phone number
the same way (on the thread only) and send a DM escalation's two texts the same way: checked,
signed and through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from webcare_tui.core.canned import CannedReply, render_canned
from webcare_tui.core.clock import ClockKind
from webcare_tui.core.phone_guard import reveals_number
from webcare_tui.core.window_text import duration_words
from webcare_tui.services.drafting import placeholder_values

if TYPE_CHECKING:
    from webcare_tui.config import Config
    from webcare_tui.core.model import Thread
    from webcare_tui.core.outbox import OutboxItem
    from webcare_tui.services.outbox import Outbox
    from webcare_tui.store.store import Store

__all__ = [
    "DmTexts",
    "EscalationRefused",
    "UnknownTeam",
    "check_target",
    "dm_texts",
    "escalate_phone",
    "escalate_team",
    "queue_dm",
    "queue_dm_now",
    "signed",
]


class EscalationRefused(ValueError):
    """An escalation that cannot be made as asked; the message says why in one line."""


class UnknownTeam(EscalationRefused):
    """`team:NAME` names no team of `[escalation] teams`."""


def check_target(to: str, config: Config) -> str:
    """`to` as stored (`phone`, `dm`, `team:NAME`); raises UnknownTeam or EscalationRefused."""
    to = to.strip()
    if to in ("phone", "dm"):
        return to
    if to.startswith("team:"):
        name = to[5:].strip()
        if name in config.escalation_teams:
            return f"team:{name}"
        known = ", ".join(config.escalation_teams) or "none"
        raise UnknownTeam(f"no team {name!r} in [escalation] teams (known: {known})")
    raise EscalationRefused(f"--to must be phone, dm or team:NAME, got {to[:40]!r}")


def escalate_team(
    store: Store, config: Config, thread_id: int, team: str, *, note: str, now: datetime
) -> str:
    """Hand the thread to a team of the config; the note says what is needed."""
    to = check_target(team if team.startswith("team:") else f"team:{team}", config)
    if not note.strip():
        raise EscalationRefused("say what the team needs to do (a note)")
    store.escalate(thread_id, to, actor=config.agent, now=now, clock=config.clock(), note=note)
    return to


def escalate_phone(
    store: Store,
    config: Config,
    thread_id: int,
    phone: str,
    *,
    call_at: datetime | None,
    note: str,
    now: datetime,
) -> int:
    """Keep the number on the thread and add a callback, due at `call_at` or else within
    `follow_up`; the call time is also the promise the follow-up clock keeps. Returns the
    callback's id."""
    thread = store.thread(thread_id)
    clock = config.clock()
    if call_at is not None and call_at <= now:
        raise EscalationRefused("the call time has passed already")
    due = call_at or clock.due_at(thread.channel, ClockKind.FOLLOW_UP, now)
    if reveals_number(note, [phone]):
        # The event log shows the note; the number belongs in the callbacks table only.
        note = ""
    store.escalate(
        thread_id, "phone", actor=config.agent, now=now, clock=clock, note=note, promise_at=call_at
    )
    return store.add_callback(thread_id, phone, due_at=due, note=note, actor=config.agent, now=now)


def signed(text: str, signature: str, separator: str = "\n") -> str:
    """`text` ending in the agent's signature, added after `separator` (its own line) when
    missing."""
    body = text.rstrip()
    if not signature or body.endswith(signature):
        return body
    return f"{body}{separator}{signature}"


@dataclass(frozen=True, slots=True)
class DmTexts:
    """A DM escalation's two texts: the direct message and the short public reply."""

    dm: str
    public: str


def dm_texts(thread: Thread, config: Config, *, lang: str = "nl") -> DmTexts:
    """The two texts from `[escalation]` templates, filled and signed. `{window}` is the
    follow-up window: how soon the customer hears from us again."""
    values = placeholder_values(thread, config, lang)
    window = config.clock().window_for(thread.channel)
    values["window"] = duration_words(
        window.follow_up, lang if lang in ("en", "nl") else "en", office_hours=bool(window.hours)
    )

    def fill(template: str) -> str:
        filled = render_canned(CannedReply("escalation", "", lang, template), values)
        return signed(filled, config.signature_text)

    return DmTexts(fill(config.dm_template), fill(config.public_template))


async def queue_dm(
    outbox: Outbox,
    thread_id: int,
    texts: DmTexts,
    *,
    undo_seconds: float | None = None,
) -> tuple[OutboxItem, OutboxItem]:
    """`queue_dm_now` with the channel's length limit asked of its connector first."""
    limit = await outbox.length_limit(outbox.store.thread(thread_id))
    return queue_dm_now(outbox, thread_id, texts, length_limit=limit, undo_seconds=undo_seconds)


def queue_dm_now(
    outbox: Outbox,
    thread_id: int,
    texts: DmTexts,
    *,
    length_limit: int,
    undo_seconds: float | None = None,
) -> tuple[OutboxItem, OutboxItem]:
    """Check both texts (the DM without the privacy rules), then queue both and escalate the
    thread to `dm`. Nothing is queued when either text is refused (DraftRefused and the other
    OutboxErrors, ClaimedByOther)."""
    store, config = outbox.store, outbox.config
    dm_text = signed(texts.dm, config.signature_text)
    public_text = signed(texts.public, config.signature_text)
    for text, private in ((dm_text, True), (public_text, False)):
        # The checks queue_reply makes, both texts first: without force a blocking finding
        # is a DraftRefused, so the DM never goes out without its public note.
        outbox.vet(
            thread_id, text, length_limit=length_limit, force=False, reason=None, private=private
        )
    dm = outbox.queue_reply(
        thread_id, dm_text, length_limit=length_limit, undo_seconds=undo_seconds, private=True
    )
    public = outbox.queue_reply(
        thread_id, public_text, length_limit=length_limit, undo_seconds=undo_seconds, private=False
    )
    store.escalate(thread_id, "dm", actor=config.agent, now=outbox.now(), clock=config.clock())
    return dm, public
