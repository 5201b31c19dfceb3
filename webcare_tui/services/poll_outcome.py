"""How one poll of one connector went: its outcome, the line its error is stored as, and how
long a failing connector waits before it is tried again."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from webcare_tui.connectors.base import Connector
from webcare_tui.core.sanitize import clean_line
from webcare_tui.services.health import HealthStatus

__all__ = [
    "AUTH_BACKOFF",
    "MAX_BACKOFF",
    "MAX_ERROR_CHARS",
    "MAX_RETRY_WAIT",
    "PollOutcome",
    "backoff_delay",
    "error_line",
    "redact_secrets",
    "secrets_of",
]

# Doubling back-off never waits longer than this between tries of a failing connector.
MAX_BACKOFF = timedelta(minutes=15)
# Refused credentials stay refused until someone fixes them (and restarts: the secret is read
# from the environment), so hammering the platform only risks a lock-out.
AUTH_BACKOFF = timedelta(hours=1)
# A server's "come back at" is trusted this far and no further: a garbage reset header must not
# silence a connector for a day.
MAX_RETRY_WAIT = timedelta(hours=1)
MAX_ERROR_CHARS = 300

# Health statuses as stored by `Store.record_health`; declared once, in services/health.py.
OK = HealthStatus.OK
WARNING = HealthStatus.WARNING
BACKING_OFF = HealthStatus.BACKING_OFF
RATE_LIMITED = HealthStatus.RATE_LIMITED
AUTH_FAILED = HealthStatus.AUTH_FAILED


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """How one poll of one connector went.

    `new_threads` are conversations that did not exist before; `reopened_threads` existing ones
    that a customer wrote to again after we replied (or resolved or snoozed them). Both need an
    agent: `needs_attention` is their sum, for a notification. `retry_at` is when a failed
    connector is tried again; `status` is the health recorded for it.
    """

    connector: str
    ok: bool
    new_messages: int = 0
    new_threads: int = 0
    error: str | None = None
    retry_at: datetime | None = None
    reopened_threads: int = 0
    status: str = OK
    skipped: int = 0

    @property
    def needs_attention(self) -> int:
        return self.new_threads + self.reopened_threads


def backoff_delay(failures: int, interval: timedelta, rng: random.Random) -> timedelta:
    """How long to wait after the `failures`-th failure in a row.

    Doubling from the connector's own interval up to `MAX_BACKOFF`, with "equal jitter": a
    random point in the upper half, so connectors that failed together (one network outage)
    do not come back in lockstep. Never sooner than the connector's normal interval.
    """
    ceiling = min(interval * 2 ** min(max(failures, 1), 20), MAX_BACKOFF)
    jittered = ceiling / 2 + (ceiling / 2) * rng.random()
    return max(interval, jittered)


def secrets_of(connector: Connector) -> list[str]:
    """The values of the environment variables the connector's config names (`token_env`,
    `password_env`, ...): connectors redact their own errors, but a bug's message might not."""
    found = []
    for variable in connector.options.secret_variables().values():
        secret = connector.environ.get(variable)
        if secret:
            found.append(secret)
    return found


def redact_secrets(text: str, secrets: list[str]) -> str:
    """`text` with each of `secrets` (and any echo of its start) replaced by `***`."""
    if not secrets:
        return text
    from webcare_tui.connectors.http_errors import redact  # httpx: only load it when needed

    return redact(text, secrets)


def error_line(text: str, secrets: list[str]) -> str:
    """A connector's error or warning as it is stored and shown: one line, secrets redacted,
    at most `MAX_ERROR_CHARS`."""
    return clean_line(redact_secrets(text, secrets))[:MAX_ERROR_CHARS]
