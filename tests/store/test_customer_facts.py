"""What the store remembers of a customer across the messages of one batch."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from webcare_tui.core.clock import ResponseClock
from webcare_tui.core.model import Direction, IncomingMessage
from webcare_tui.store import Store

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _message(
    remote_id: str, minutes: int, *, followers: int | None = None, author_name: str | None = None
) -> IncomingMessage:
    return IncomingMessage(
        remote_id=remote_id,
        author="anna",
        author_name=author_name,
        text="hallo",
        created_at=T0 + timedelta(minutes=minutes),
        direction=Direction.IN,
        followers=followers,
    )


def _ingest(store: Store, *messages: IncomingMessage) -> None:
    store.ingest("c1", "x", messages, clock=ResponseClock("UTC"), seen_at=T0)


def test_a_later_message_without_followers_keeps_the_count_from_earlier_in_the_batch(
    store: Store,
) -> None:
    _ingest(
        store,
        _message("1", 0, followers=48_000, author_name="Anna B."),
        _message("2", 1),  # a DM, say: no follower count, no display name
    )
    customer = store.customer("c1", "anna")
    assert customer.followers == 48_000 and customer.name == "Anna B."


def test_the_newest_known_count_wins_within_a_batch(store: Store) -> None:
    _ingest(
        store,
        _message("1", 0, followers=10),
        _message("2", 1, followers=0),
        _message("3", 2),
    )
    assert store.customer("c1", "anna").followers == 0
