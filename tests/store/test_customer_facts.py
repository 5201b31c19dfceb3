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


def test_an_older_message_arriving_later_does_not_overwrite_what_a_newer_one_told(
    store: Store,
) -> None:
    _ingest(store, _message("2", 10, followers=900, author_name="Anna Bakker"))
    _ingest(store, _message("1", 0, followers=50, author_name="anna b"))  # a late page
    customer = store.customer("c1", "anna")
    assert (customer.name, customer.followers) == ("Anna Bakker", 900)
    _ingest(store, _message("3", 20, followers=1000))  # newer again, without a name
    customer = store.customer("c1", "anna")
    assert (customer.name, customer.followers) == ("Anna Bakker", 1000)


def test_an_older_message_still_fills_what_no_newer_one_told(store: Store) -> None:
    _ingest(store, _message("2", 10))  # a DM: neither name nor count
    _ingest(store, _message("1", 0, followers=50, author_name="Anna B."))
    customer = store.customer("c1", "anna")
    assert (customer.name, customer.followers) == ("Anna B.", 50)
