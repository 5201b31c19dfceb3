"""The outbox's last check: no outgoing text carries a phone number stored on its thread."""

from __future__ import annotations

from typing import TYPE_CHECKING

from webcare_tui.core.phone_guard import reveals_number

if TYPE_CHECKING:
    from webcare_tui.store.store import Store


def stored_phone_in(store: Store, thread_id: int, text: str) -> str | None:
    """The number of a phone escalation of the thread that `text` contains, else None."""
    phones = store.thread_phones(thread_id)
    return reveals_number(text, phones) if phones else None
