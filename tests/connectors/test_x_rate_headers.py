"""X's rate-limit headers are written by a stranger's server too: a reset no calendar holds is
no reset, never a crash of the poll."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from webcare_tui.connectors.x_http import rate_limit_reset


def test_a_spent_limit_comes_back_at_its_reset() -> None:
    reset = int(datetime(2026, 12, 2, 9, 15, tzinfo=UTC).timestamp())
    headers = httpx.Headers({"x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)})
    assert rate_limit_reset(headers) == datetime(2026, 12, 2, 9, 15, tzinfo=UTC)


def test_retry_after_counts_seconds_from_now() -> None:
    before = datetime.now(UTC)
    moment = rate_limit_reset(httpx.Headers({"retry-after": "120"}))
    assert moment is not None
    assert before + timedelta(seconds=120) <= moment <= datetime.now(UTC) + timedelta(seconds=120)


@pytest.mark.parametrize(
    "headers",
    [
        {"x-rate-limit-remaining": "0", "x-rate-limit-reset": "9" * 30},
        {"x-rate-limit-reset": "9" * 30},
        {"retry-after": "9" * 30},
    ],
    ids=["spent", "window", "retry-after"],
)
def test_a_reset_no_calendar_holds_is_no_reset(headers: dict[str, str]) -> None:
    assert rate_limit_reset(httpx.Headers(headers)) is None
