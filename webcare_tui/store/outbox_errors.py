"""Why the store refuses a reply: it would answer the customer twice, or approve one's own."""

from __future__ import annotations

from datetime import datetime

from webcare_tui.core.outbox import OutboxItem
from webcare_tui.core.timeutil import to_db
from webcare_tui.store.base import StoreError

__all__ = ["AlreadyAnswered", "BeingAnswered", "SelfApproval"]


class BeingAnswered(StoreError):
    """Another reply to the thread is on its way at this moment (queued, being sent, awaiting
    approval): a second one would answer the customer twice."""

    title = "being answered"

    def __init__(self, thread_id: int, item: OutboxItem) -> None:
        what = item.state.value.replace("_", " ")
        super().__init__(
            f"thread {thread_id} is being answered: reply {item.id} by {item.agent} is {what}"
        )
        self.item = item


class SelfApproval(StoreError):
    title = "not yours to approve"


class AlreadyAnswered(StoreError):
    """The customer's latest message already has our answer."""

    title = "already answered"

    def __init__(self, thread_id: int, who: str, at: datetime) -> None:
        super().__init__(f"thread {thread_id} is already answered (by {who}, {to_db(at)})")
        self.who = who
        self.at = at
