"""One mapping from HTTP trouble to the connector error classes, shared by every connector.

Why one place: the poller and the outbox decide what to do by error class alone (back off,
wait until `retry_at`, stop and ask for credentials), so every platform must name the same
failure the same way. Messages built here never contain a request's headers or body, and the
connector passes its secrets so that anything a server echoes back is blanked out. Whatever a
server wrote (its error text, a path it redirected to) is cleaned like message text before it
becomes part of a message: it ends up on an agent's terminal.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from webcare_tui.connectors.base import (
    AuthFailed,
    ConnectorError,
    MalformedResponse,
    RateLimited,
    TransientError,
)
from webcare_tui.core.sanitize import clean_line

__all__ = [
    "RequestRejected",
    "error_for_response",
    "expect",
    "parse_json",
    "redact",
    "request",
    "retry_at_from_headers",
]

# Unix times below this are certainly not timestamps but a number of seconds to wait.
_EPOCH_FLOOR = 1_000_000_000
# No page of mentions and no feed we read comes near this; a hostile server's answer might.
MAX_BODY_BYTES = 10_000_000
# httpx's timeouts are per read: a server that drips a byte every few seconds never trips them.
REQUEST_DEADLINE = 30.0
# A secret's prefix this long, echoed by a server ("invalid password 'hunter2x...'"), is blanked.
_PREFIX_CHARS = 6


class RequestRejected(ConnectorError):
    """The platform refused this request as such (4xx other than auth and rate limits).

    Retrying the same request will not help: the text is too long, the post was deleted, ...
    """

    title = "rejected by the platform"


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every non-trivial secret replaced by `***`, and so is any echo of its first
    few characters: a server that quotes a cut-off password gives most of it away."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = _redact_one(text, secret)
    return text


def _redact_one(text: str, secret: str) -> str:
    head = secret[: min(len(secret), _PREFIX_CHARS)]
    pieces: list[str] = []
    start = 0
    while (found := text.find(head, start)) >= 0:
        end = found + len(head)
        while end < len(text) and end - found < len(secret) and text[end] == secret[end - found]:
            end += 1
        echoed = text[found:end]
        # Letters only could be a word of the message ("mastodon" of "mastodon-token-3f9a"):
        # a real echo of a token's start carries a digit, a dash or a change of case.
        if len(echoed) == len(secret) or not echoed.isalpha() or not echoed.islower():
            pieces += [text[start:found], "***"]
        else:
            pieces.append(text[start:end])
        start = end
    return "".join(pieces) + text[start:]


def parse_reset(value: str, now: datetime) -> datetime | None:
    """When a rate-limit header says to come back (Unix seconds, seconds to wait, or ISO
    8601), or None where it says nothing a calendar holds (a hostile or broken header)."""
    try:
        return _reset_moment(value, now)
    except (OverflowError, OSError, ValueError):  # "1e300", "inf", year 9999 west of UTC
        return None


def _reset_moment(value: str, now: datetime) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        if not math.isfinite(number):
            return None
        if number >= _EPOCH_FLOOR:  # Bluesky's and X's resets: Unix seconds
            return datetime.fromtimestamp(number, UTC)
        return now + timedelta(seconds=max(0.0, number))  # Retry-After: seconds to wait
    try:  # Mastodon's X-RateLimit-Reset: ISO 8601
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:  # Retry-After may also be an HTTP date
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def retry_at_from_headers(headers: httpx.Headers, now: datetime | None = None) -> datetime | None:
    """When a rate-limited client may try again.

    `Retry-After` wins (it answers exactly that question); otherwise the platform's own reset
    header: Mastodon's `X-RateLimit-Reset` (ISO 8601) or the AT Protocol's `RateLimit-Reset`
    (Unix seconds).
    """
    now = now or datetime.now(UTC)
    for name in ("retry-after", "x-ratelimit-reset", "ratelimit-reset"):
        value = headers.get(name)
        if value is not None:
            moment = parse_reset(value, now)
            if moment is not None:
                return moment
    return None


def _error_text(response: httpx.Response) -> str:
    """The platform's own short explanation, if the body has one."""
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(body, dict):
        return ""
    parts = [
        clean_line(str(body[key]))
        for key in ("error", "message", "error_description")
        if body.get(key)
    ]
    return ": ".join(dict.fromkeys(p for p in parts if p))[:200]


def error_for_response(
    response: httpx.Response, platform: str, secrets: Iterable[str] = ()
) -> ConnectorError | None:
    """The error an unsuccessful answer stands for, or None for a 2xx/3xx answer."""
    status = response.status_code
    if status < 400:
        return None
    detail = _error_text(response)
    message = redact(
        f"{_where(response, platform)} answered {status}" + (f" ({detail})" if detail else ""),
        secrets,
    )
    if status in (401, 403):
        return AuthFailed(message)
    if status == 429:
        return RateLimited(message, retry_at=retry_at_from_headers(response.headers))
    if status >= 500 or status == 408:
        # Only an explicit Retry-After: a rate-limit reset header on a 500 says when the
        # quota refills, not when the server will be back, and could stall us for an hour.
        retry_after = response.headers.get("retry-after")
        retry_at = parse_reset(retry_after, datetime.now(UTC)) if retry_after else None
        return TransientError(message, retry_at=retry_at)
    return RequestRejected(message)


async def request(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    platform: str,
    secrets: Iterable[str] = (),
    check: bool = True,
    max_bytes: int = MAX_BODY_BYTES,
    deadline: float | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """Send one request; network trouble becomes `TransientError`, and a body (unpacked) over
    `max_bytes` a `MalformedResponse`, read no further.

    `deadline` bounds the whole exchange, answer and body, in seconds, on top of the client's
    connect and read timeouts (`REQUEST_DEADLINE` when None): past it the request is dropped as
    a `TransientError`.

    With `check` (the default) an error status raises its `ConnectorError` too; without it the
    caller inspects the answer itself (Bluesky reads the body of a 400 to spot an expired
    session). The original httpx exception is not chained: it holds the request, headers and
    all, and a logged traceback must not show a bearer token.
    """
    secrets = tuple(secrets)
    deadline = REQUEST_DEADLINE if deadline is None else deadline
    try:
        response = await asyncio.wait_for(
            _read_capped(http, method, url, platform, max_bytes, **kwargs), deadline
        )
    except TimeoutError:
        raise TransientError(
            f"{platform}: {_host(url)} did not finish answering within {deadline:g} s"
        ) from None
    except httpx.TimeoutException:
        raise TransientError(f"{platform}: {_host(url)} did not answer in time") from None
    except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError) as exc:
        raise TransientError(
            f"{platform}: could not talk to {_host(url)} ({type(exc).__name__})"
        ) from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL):
        raise ConnectorError(f"{platform}: {clean_line(url)!r} is not an http(s) address") from None
    except httpx.HTTPError as exc:
        raise TransientError(f"{platform}: request failed ({type(exc).__name__})") from None
    if check:
        error = error_for_response(response, platform, secrets)
        if error is not None:
            raise error
    return response


async def _read_capped(
    http: httpx.AsyncClient,
    method: str,
    url: str,
    platform: str,
    max_bytes: int,
    *,
    follow_redirects: bool = False,
    **kwargs: Any,
) -> httpx.Response:
    # Streamed and counted after decompression: a server that sends gigabytes, or a small
    # gzip that unpacks to gigabytes, costs us at most `max_bytes` of memory.
    sent = await http.send(
        http.build_request(method, url, **kwargs), stream=True, follow_redirects=follow_redirects
    )
    try:
        body = bytearray()
        async for chunk in sent.aiter_bytes():
            body += chunk
            if len(body) > max_bytes:
                raise MalformedResponse(
                    f"{platform}: the answer from {clean_line(sent.url.host)} is larger than "
                    f"{max_bytes // 1_000_000} MB; not read"
                )
    finally:
        await sent.aclose()
    # The body is unpacked already: say so, or httpx would unpack it again.
    headers = [
        (key, value)
        for key, value in sent.headers.multi_items()
        if key.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return httpx.Response(
        sent.status_code, headers=headers, content=bytes(body), request=sent.request
    )


def parse_json(response: httpx.Response, platform: str) -> Any:
    """The body as JSON; broken or truncated JSON is a `MalformedResponse`."""
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise MalformedResponse(
            f"{_where(response, platform)} answered something that is not JSON"
        ) from None


def _where(response: httpx.Response, platform: str) -> str:
    # The path is the server's too when it redirected us, and httpx hands it back decoded.
    return clean_line(f"{platform}: {response.request.method} {response.request.url.path}")


def _host(url: str) -> str:
    try:
        return clean_line(httpx.URL(url).host)
    except httpx.InvalidURL:
        return "the server"


def expect(condition: bool, platform: str, what: str) -> None:
    """Raise `MalformedResponse` unless the answer has the shape we rely on."""
    if not condition:
        raise MalformedResponse(f"{platform}: unexpected answer ({clean_line(what)})")


def platform_time(value: Any, platform: str) -> datetime:
    """A platform's ISO 8601 / RFC 3339 time (`Z` or an offset) as an aware UTC datetime.

    Anything else is a `MalformedResponse` naming the platform; a naive time is taken as UTC.
    """
    expect(isinstance(value, str), platform, "a time is not a string")
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)  # year 9999 with a negative offset overflows
    except (ValueError, OverflowError):
        raise MalformedResponse(
            f"{platform}: unreadable time {clean_line(str(value)[:40])!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
