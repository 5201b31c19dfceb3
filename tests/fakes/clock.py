"""Clocks for tests: time passes only when a test says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# A Monday morning in Amsterdam (10:00 local), so open-hours windows are running.
FROZEN_NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class FakeClock:
    """A `now` callable: time passes only through `advance` (or by setting `at`)."""

    def __init__(self, start: datetime = FROZEN_NOW) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at
