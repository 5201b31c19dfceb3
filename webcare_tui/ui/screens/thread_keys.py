"""The keys that act on a thread, shared by every screen that has a current thread.

Each action runs in a worker through the workspace's thread actions, says how it went, and
tells the App the data changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.binding import Binding

from webcare_tui.store import StoreError
from webcare_tui.store.base import ClaimedByOther
from webcare_tui.ui.app_clock import app_now
from webcare_tui.ui.failures import notify_failure
from webcare_tui.ui.screens.colleague_rule import ColleagueRuleScreen

if TYPE_CHECKING:
    from webcare_tui.ui.dialogs.escalate import Escalation
    from webcare_tui.ui.dialogs.tag import Retag

THREAD_BINDINGS = [
    Binding("r", "reply", "Reply", id="thread.reply"),
    Binding("e", "escalate", "Escalate", id="thread.escalate"),
    Binding("a", "assign", "Assign to me", id="thread.assign"),
    Binding("ctrl+a", "assign_to", "Assign to a colleague", show=False, id="thread.assign_to"),
    Binding("i", "ignore", "Ignore", id="thread.ignore"),
    Binding("w", "why", "Why this due time", id="thread.why"),
    Binding("n", "note", "Private note", show=False, id="thread.note"),
    Binding("x", "resolve", "Resolve", show=False, id="thread.resolve"),
    Binding("s", "snooze", "Snooze", show=False, id="thread.snooze"),
    Binding("t", "tag", "Tag", show=False, id="thread.tag"),
    Binding("o", "reopen", "Reopen", show=False, id="thread.reopen"),
    Binding("v", "approve", "Approve a colleague's reply", show=False, id="thread.approve"),
]


class NothingToApprove(ValueError):
    title = "nothing to approve"


Keyed = TypeVar("Keyed", bound="ThreadKeysScreen")


def on_current_thread(action: Callable[[Keyed, int], None]) -> Callable[[Keyed], None]:
    """A thread key's action, given the current thread; without one the agent is told so."""

    def on_current(screen: Keyed) -> None:
        thread_id = screen.current_thread_id()
        if thread_id is None:
            screen.notify("No thread chosen.", severity="warning", markup=False)
        else:
            action(screen, thread_id)

    on_current.__name__, on_current.__doc__ = action.__name__, action.__doc__
    return on_current


class ThreadKeysScreen(ColleagueRuleScreen):
    """A screen that has a current thread the thread keys act on."""

    def current_thread_id(self) -> int | None:
        raise NotImplementedError

    @on_current_thread
    def action_assign(self, thread_id: int) -> None:
        self._assign(thread_id)

    @work(thread=True, exit_on_error=False, group="thread-action")
    def _assign(self, thread_id: int, to: str | None = None) -> None:
        """To me, or to colleague `to`; a thread someone else holds is taken only with a
        reason, asked for here (recorded, and they are told)."""
        try:
            if to is None:
                self.workspace.actions.assign_to_me(thread_id)
            else:
                self.workspace.handover.assign(thread_id, to)
        except ClaimedByOther as taken:
            self.app.call_from_thread(self._ask_take_over, thread_id, taken.holder, to)
            return
        except StoreError as error:
            notify_failure(self, error, severity="warning")
            return
        given = "yours." if to is None else f"now {to}'s; they see it."
        self.tell_changed(f"Thread #{thread_id} is {given}")

    def _ask_take_over(self, thread_id: int, holder: str, to: str | None = None) -> None:
        from webcare_tui.ui.dialogs.take_over import TakeOverDialog

        handover = self.workspace.handover
        given = f" and given to {to}" if to else ""

        self.ask_then_change(
            TakeOverDialog(thread_id, holder),
            lambda reason: handover.assign(thread_id, to, reason=reason),
            lambda _: f"Thread #{thread_id} taken over from {holder}{given}; they are told.",
        )

    @on_current_thread
    def action_assign_to(self, thread_id: int) -> None:
        self._pick_colleague(thread_id)

    @work(thread=True, exit_on_error=False, group="thread-action")
    def _pick_colleague(self, thread_id: int) -> None:
        """The colleagues on shift first; any other name can be typed."""
        me = self.workspace.agent.casefold()
        try:
            team = self.workspace.presence.team()
        except StoreError as error:
            notify_failure(self, error)
            return
        agents = [a.agent for a in team if a.active and a.agent.casefold() != me]
        from webcare_tui.ui.dialogs.assign_to import AssignToDialog

        def done(to: str | None) -> None:
            if to:
                self._assign(thread_id, to)

        self.app.call_from_thread(self.app.push_screen, AssignToDialog(thread_id, agents), done)

    @on_current_thread
    def action_ignore(self, thread_id: int) -> None:
        actions = self.workspace.actions
        from webcare_tui.ui.dialogs.ignore import IgnoreDialog  # dialogs load when first used

        self.change_theirs(
            thread_id,
            "ignored",
            IgnoreDialog(str(thread_id)),
            lambda reason, why: actions.ignore(thread_id, reason, over_colleague=why),
            lambda _: f"Thread #{thread_id} ignored.",
        )

    @on_current_thread
    def action_snooze(self, thread_id: int) -> None:
        actions = self.workspace.actions
        from webcare_tui.ui.dialogs.snooze import SnoozeDialog

        self.change_theirs(
            thread_id,
            "snoozed",
            SnoozeDialog(app_now(self), self.workspace.clock.timezone),
            lambda snooze, why: actions.snooze(thread_id, snooze.until, over_colleague=why),
            lambda snooze: f"Thread #{thread_id} snoozed {snooze.text}.",
        )

    @on_current_thread
    def action_reopen(self, thread_id: int) -> None:
        actions = self.workspace.actions
        self.run_change(
            lambda: actions.reopen(thread_id),
            f"Thread #{thread_id} is back in the feed.",
            severity="warning",
        )

    @on_current_thread
    def action_tag(self, thread_id: int) -> None:
        self.warn_first(thread_id, "tagged", lambda why: self._open_tags(thread_id, why))

    @work(thread=True, exit_on_error=False, group="thread-action")
    def _open_tags(self, thread_id: int, why: str) -> None:
        actions, names = self.workspace.actions, self.workspace.config.tags
        try:
            current = actions.tags_of(thread_id)
            suggested = actions.suggested_tags(thread_id, names)
        except StoreError as error:
            notify_failure(self, error)
            return
        from webcare_tui.ui.dialogs.tag import TagDialog

        def retagged(retag: Retag) -> str:
            changed = [f"+{t}" for t in retag.add] + [f"-{t}" for t in retag.remove]
            return f"Thread #{thread_id} tags: {' '.join(changed)}."

        self.app.call_from_thread(
            self.change_theirs,
            thread_id,
            "tagged",
            TagDialog(names, suggested, current),
            lambda retag, over: actions.retag(
                thread_id, retag.add, retag.remove, over_colleague=over
            ),
            retagged,
            why,
        )

    @on_current_thread
    def action_escalate(self, thread_id: int) -> None:
        self._open_escalate(thread_id)

    @work(thread=True, exit_on_error=False, group="thread-action")
    def _open_escalate(self, thread_id: int) -> None:
        desk = self.workspace.escalations
        try:
            texts = desk.dm_texts(thread_id)
        except StoreError as error:
            notify_failure(self, error)
            return
        from webcare_tui.ui.dialogs.escalate import EscalateDialog

        def done(escalation: Escalation | None) -> None:
            if escalation is not None:
                self._escalate(thread_id, escalation)

        dialog = EscalateDialog(desk.teams, texts.dm, texts.public)
        self.app.call_from_thread(self.app.push_screen, dialog, done)

    @work(exit_on_error=False, group="thread-action")
    async def _escalate(self, thread_id: int, escalation: Escalation) -> None:
        """On the app's loop: a DM asks its connector for the length limit first."""
        from webcare_tui.services.escalation import DmTexts, EscalationRefused
        from webcare_tui.services.outbox import DraftRefused, OutboxError

        desk = self.workspace.escalations
        to = escalation.to
        promise = escalation.promise if to != "phone" else ""  # a call's time is its promise
        try:
            if promise:  # checked first: a typo must not leave half an escalation behind
                await asyncio.to_thread(desk.parse_time, promise, thread_id)
            if to == "phone":
                await asyncio.to_thread(
                    desk.to_phone, thread_id, escalation.phone, escalation.call_at, escalation.note
                )
            elif to == "dm":
                limit = await desk.dm_length_limit(thread_id)
                texts = DmTexts(escalation.dm, escalation.public)
                await asyncio.to_thread(desk.to_dm, thread_id, texts, limit)
            else:
                await asyncio.to_thread(desk.to_team, thread_id, to, escalation.note)
            if promise:
                await asyncio.to_thread(desk.promise, thread_id, promise)
        except DraftRefused as error:
            first = error.blocking[0] if error.blocking else None
            detail = f": {first.message}" if first else ""
            self.notify(f"Not escalated, {error}{detail}", severity="error", markup=False)
            return
        except (StoreError, OutboxError, EscalationRefused) as error:
            notify_failure(self, error)
            return
        where = {"phone": "phone", "dm": "DM"}.get(to, to.removeprefix("team:"))
        self.tell_changed(f"Thread #{thread_id} escalated to {where}.")

    @on_current_thread
    def action_note(self, thread_id: int) -> None:
        desk = self.workspace.escalations
        from webcare_tui.ui.dialogs.text_prompt import TextPrompt

        prompt = TextPrompt(
            "A private note for the team (never sent):", "what colleagues should know",
            "A note needs some text.",
        )  # fmt: skip
        self.ask_then_change(
            prompt,
            lambda text: desk.note(thread_id, text),
            lambda _: f"Note added to thread #{thread_id}.",
        )

    @on_current_thread
    def action_resolve(self, thread_id: int) -> None:
        desk = self.workspace.escalations
        from webcare_tui.ui.dialogs.resolve import ResolveDialog

        self.change_theirs(
            thread_id,
            "resolved",
            ResolveDialog(self.workspace.config.tags),
            lambda resolution, why: desk.resolve(
                thread_id, resolution.outcome, resolution.tags, over_colleague=why
            ),
            lambda _: f"Thread #{thread_id} resolved.",
        )

    @on_current_thread
    def action_approve(self, thread_id: int) -> None:
        """Let a colleague's blocked reply go (`override = "second-agent"`): it is sent now."""
        workspace = self.workspace

        def approve() -> None:
            waiting = workspace.threads.awaiting_approval(thread_id)
            if not waiting:
                raise NothingToApprove(f"no reply in thread #{thread_id} waits for approval")
            me = workspace.outbox.agent.casefold()
            # A colleague's first; only one's own left, the store refuses it and says why.
            theirs = [item for item in waiting if item.agent.casefold() != me] or waiting
            workspace.outbox.approve(theirs[0].id)

        self.run_change(
            approve, f"Reply in thread #{thread_id} approved: it goes out now.", "warning"
        )

    @on_current_thread
    def action_why(self, thread_id: int) -> None:
        self._explain(thread_id)

    @work(thread=True, exit_on_error=False, group="thread-action")
    def _explain(self, thread_id: int) -> None:
        why = self.workspace.threads.why_due(thread_id, app_now(self))
        from webcare_tui.ui.dialogs.explain import ExplainDialog

        self.app.call_from_thread(self.app.push_screen, ExplainDialog(why.title, why.lines))

    @on_current_thread
    def action_reply(self, thread_id: int) -> None:
        from webcare_tui.ui.screens.reply import ReplyScreen  # it costs start-up time

        self.app.push_screen(ReplyScreen(self.workspace, thread_id))
