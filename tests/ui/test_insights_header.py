"""The header's open hours per channel when the channels keep different hours."""

from __future__ import annotations

from datetime import timedelta

from tests.fakes.clock import FROZEN_NOW
from webcare_tui.config import demo_config
from webcare_tui.core.clock import ResponseClock, ResponseWindow
from webcare_tui.core.hours import parse_hours
from webcare_tui.ui.widgets.inbox_header import channels_status

CHANNELS = ("mastodon", "bluesky", "forum")


def test_channels_with_other_hours_are_told_apart_in_the_evening() -> None:
    clock = demo_config().clock()  # forum keeps office hours, the rest is round the clock
    local = FROZEN_NOW.astimezone(clock.timezone)
    evening = FROZEN_NOW + timedelta(hours=21 - local.hour)
    text = channels_status(clock, CHANNELS, evening)
    assert text.startswith("mastodon open · bluesky open · forum closed, opens ")
    assert text.endswith("09:00")


def test_one_status_when_every_channel_keeps_the_same_hours() -> None:
    clock = ResponseClock("UTC", [ResponseWindow(hours=parse_hours("mon-fri 09:00-17:00"))])
    text = channels_status(clock, CHANNELS, FROZEN_NOW)
    assert text.startswith(("Open · closes", "Closed · opens"))
