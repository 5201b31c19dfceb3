"""How the X API v2 says no, turned into our error classes.

X answers errors as problem objects (`title`, `detail`, `type`); rate limits come in
`x-rate-limit-*` headers (per endpoint and 15 minutes, reset in Unix seconds) and, for the
daily caps, `x-user-limit-24hour-*` and `x-app-limit-24hour-*`. A 403 is not always about the
token: X also refuses a reply it does not allow (since February 2026 a self-serve app may only
reply to a post that mentions or quotes the account) and a duplicate post, and neither will
change by renewing anything.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

import httpx

from webcare_tui.connectors.base import AuthFailed, ConnectorError, RateLimited
from webcare_tui.connectors.http_errors import (
    RequestRejected,
    error_for_response,
    parse_reset,
    redact,
)
from webcare_tui.core.sanitize import clean_line

__all__ = ["DuplicatePost", "ReplyNotAllowed", "error_for_x", "problem_detail"]

SCOPES = "tweet.read tweet.write users.read dm.read dm.write offline.access"
_RESET_HEADERS = (
    ("x-rate-limit-remaining", "x-rate-limit-reset"),
    ("x-user-limit-24hour-remaining", "x-user-limit-24hour-reset"),
    ("x-app-limit-24hour-remaining", "x-app-limit-24hour-reset"),
)


class ReplyNotAllowed(RequestRejected):
    """X does not let this app reply to that post (it neither mentions nor quotes us)."""

    title = "X does not allow this reply"


class DuplicatePost(RequestRejected):
    """X refused a post with the same text as one the account posted recently."""

    title = "X refused a duplicate post"


def problem_detail(response: httpx.Response) -> str:
    """The problem object's own words (`detail`, else `title`, else v1.1's `errors[].message`),
    cleaned and cut to one short line; empty when the body has none."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return ""
    if not isinstance(body, dict):
        return ""
    for key in ("detail", "title", "error_description", "error"):
        if isinstance(body.get(key), str) and body[key]:
            return clean_line(body[key])[:200]
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        message = errors[0].get("message") or errors[0].get("detail")
        if isinstance(message, str):
            return clean_line(message)[:200]
    return ""


def rate_limit_reset(headers: httpx.Headers) -> datetime | None:
    """When X lets us in again: the reset of whichever limit is spent (the daily caps last
    the longest), else the 15-minute window's, else `Retry-After`."""
    now = datetime.now(UTC)
    spent: list[datetime] = []
    window: datetime | None = None
    for remaining_name, reset_name in _RESET_HEADERS:
        reset = headers.get(reset_name, "").strip()
        moment = parse_reset(reset, now) if reset.isdigit() else None
        if moment is None:
            continue
        if headers.get(remaining_name, "").strip() == "0":
            spent.append(moment)
        elif window is None and reset_name == "x-rate-limit-reset":
            window = moment
    if spent:
        return max(spent)
    if window is not None:
        return window
    retry_after = headers.get("retry-after", "").strip()
    return parse_reset(retry_after, now) if retry_after.isdigit() else None


def error_for_x(
    response: httpx.Response, connector: str, token_env: str, secrets: Iterable[str]
) -> ConnectorError | None:
    """The error an X answer stands for, or None when it succeeded."""
    status = response.status_code
    if status < 400:
        return None
    secrets = tuple(secrets)
    detail = redact(problem_detail(response), secrets)
    where = f"x: {response.request.method} {response.request.url.path} answered {status}"
    said = f" ({detail})" if detail else ""
    if status == 401:
        return AuthFailed(
            f"X connector {connector!r}: the access token in {token_env} has expired or was "
            f"revoked{said}; renew it (an OAuth 2.0 user token with {SCOPES})"
        )
    if status == 403:
        lowered = detail.lower()
        if "reply" in lowered and ("not allowed" in lowered or "mention" in lowered):
            return ReplyNotAllowed(
                f"X does not allow this reply: an app may only reply to a post that mentions "
                f"or quotes the account{said}. Answer it in the X app, or by DM"
            )
        if "duplicate" in lowered:
            return DuplicatePost(f"{where}: X already has a post with this text{said}")
        return AuthFailed(
            f"X connector {connector!r}: X refused {response.request.url.path}{said}; check "
            f"that the app is in a project and the token in {token_env} has {SCOPES}"
        )
    if status == 429:
        return RateLimited(
            f"{where}: rate limited{said}", retry_at=rate_limit_reset(response.headers)
        )
    error = error_for_response(response, "x", secrets)
    if isinstance(error, RequestRejected):
        return RequestRejected(f"{where}{said}")
    return error
