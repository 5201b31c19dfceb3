"""Messages that go up to the App from any screen: attributes down, messages up."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message):
    """The store changed; every screen showing data refreshes. Safe to post from a worker."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DataChanged)


class OutboxDue(Message):
    """A reply's undo window has passed: send due replies now, not on the next round."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, OutboxDue)
