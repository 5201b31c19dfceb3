"""The outbox path: no outgoing text carries a phone number a phone escalation stored, in any
form the customer or an agent might write it, however the agent insists."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.core.test_phone_guard import written_forms
from tests.fakes.clock import FROZEN_NOW
from webcare_tui.config import Config
from webcare_tui.services.escalation import escalate_phone
from webcare_tui.services.outbox import Outbox, StoredPhoneInText
from webcare_tui.store import Store
from webcare_tui.store.base import ALL_ACTIVE


@pytest.fixture
def phoned(demo_store: Store, demo: Config) -> tuple[Outbox, int]:
    thread = demo_store.feed_slice(ALL_ACTIVE, 0, 1)[0].id
    escalate_phone(demo_store, demo, thread, "06 12345678", call_at=None, note="", now=FROZEN_NOW)
    return Outbox(demo_store, demo, now=lambda: FROZEN_NOW), thread


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=written_forms())
def test_no_form_of_the_number_gets_queued(phoned: tuple[Outbox, int], form: str) -> None:
    outbox, thread = phoned
    text = f"Ik bel je zo op {form}, goed? ^AB"
    with pytest.raises(StoredPhoneInText):
        outbox.queue_reply(thread, text, length_limit=500, force=True)
    with pytest.raises(StoredPhoneInText):
        outbox.queue_reply(thread, text, length_limit=500, force=True, private=True)
    assert outbox.store.outbox_items(thread) == []


def test_a_reply_without_the_number_goes_through(phoned: tuple[Outbox, int]) -> None:
    outbox, thread = phoned
    item = outbox.queue_reply(thread, "We bellen je vandaag nog. ^AB", length_limit=500)
    assert item.thread_id == thread


async def test_a_reply_queued_before_the_number_was_stored_is_stopped_at_send(
    demo_store: Store, demo: Config
) -> None:
    thread = demo_store.feed_slice(ALL_ACTIVE, 0, 1)[0].id
    outbox = Outbox(demo_store, demo, now=lambda: FROZEN_NOW)
    text = "Bel ons gerust, of wij bellen jou op 06-1234 5678. ^AB"
    item = outbox.queue_reply(
        thread, text, length_limit=500, force=True, undo_seconds=0, reason="asked for it"
    )
    escalate_phone(demo_store, demo, thread, "0612345678", call_at=None, note="", now=FROZEN_NOW)
    [outcome] = await outbox.send_due(item_id=item.id, auto_retry=False)
    await outbox.aclose()
    assert not outcome.ok and outcome.error is not None and "phone number" in outcome.error
    assert not [m for m in demo_store.messages(thread) if m.text == text]
