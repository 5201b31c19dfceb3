"""Times: always timezone aware inside the program, stored as UTC ISO 8601 text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def utc(moment: datetime) -> datetime:
    """`moment` in UTC. A naive datetime is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def to_db(moment: datetime) -> str:
    """A sortable, fixed-width UTC text form, to the second: `2026-11-23T09:05:00+00:00`."""
    # Called for every stored time: skip the conversions that most values do not need.
    if moment.tzinfo is not UTC:
        moment = utc(moment)
    if moment.microsecond:
        moment = moment.replace(microsecond=0)
    return moment.isoformat()


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text)


def parse_time(text: str) -> datetime:
    """Parse a stranger's ISO 8601 (or close enough) time; naive means UTC.

    Raises ValueError for anything that is not a time.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("expected an ISO 8601 time")
    from dateutil import parser as dateparser  # only strangers' times need it; keeps start-up light

    try:
        moment = dateparser.isoparse(text.strip())
    except (ValueError, OverflowError) as error:
        raise ValueError(f"not an ISO 8601 time: {text[:40]!r}") from error
    return utc(moment)


def now_utc() -> datetime:
    return datetime.now(UTC)


def whole_second_after(moment: datetime) -> datetime:
    """`moment` rounded up to a whole second. The store keeps whole seconds, and rounding down
    would shorten an undo window, or show a retry's time as a moment before it happens."""
    if moment.microsecond:
        return moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment
