"""What the Facebook and Instagram connectors share: one Graph API client.

The token goes in an `Authorization: Bearer` header and nowhere else. The `next` URLs Graph
returns repeat every query parameter, the access token included, so they are never followed,
stored or printed: only their `after` cursor is taken, and the request is rebuilt against our
own `graph_url`. Errors are told apart by the envelope's `code` and `error_subcode`, never by
the message text, which Meta rewords at will.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import httpx
import msgspec

from webcare_tui.connectors.base import (
    AuthFailed,
    CannotSend,
    ConnectorError,
    ConnectorOptions,
    NonBlank,
    RateLimited,
    TransientError,
    env_secret,
)
from webcare_tui.connectors.http_errors import (
    RequestRejected,
    error_for_response,
    expect,
    parse_json,
    platform_time,
    redact,
    request,
    retry_at_from_headers,
)

__all__ = [
    "DEFAULT_API_VERSION",
    "DEFAULT_GRAPH_URL",
    "DEFAULT_POST_WINDOW",
    "DuplicatePost",
    "GraphClient",
    "GraphOptions",
    "MissingPermission",
    "PolicyBlocked",
    "PrivateReplyRefused",
    "graph_error",
    "graph_time",
    "retry_at_from_usage",
    "usage_percent",
]

DEFAULT_GRAPH_URL = "https://graph.facebook.com"
DEFAULT_API_VERSION = "v25.0"
THROTTLE_CODES = frozenset({4, 17, 32, 613}) | frozenset(range(80001, 80015))
TRANSIENT_CODES = frozenset({1, 2})
TOKEN_CODES = frozenset({102, 190})
PERMISSION_CODES = frozenset({10}) | frozenset(range(200, 300))
TOKEN_EXPIRED = 463
# Messenger: the message falls outside the allowed window / the comment had its private reply.
OUTSIDE_WINDOW = 2018278
ALREADY_REPLIED = 10900
# Graph often throttles without saying for how long, and X-App-Usage only says how much of the
# budget is used: wait this long rather than hammer a limit that refills over an hour.
DEFAULT_BACKOFF = timedelta(minutes=15)
MAX_WAIT_MINUTES = 24 * 60  # more than a day is a broken header, not a plan
USAGE_FIGURES = frozenset({"call_count", "total_cputime", "total_time"})
USAGE_WARNING = 90  # percent: tell the team before Meta starts refusing calls


GraphId = Annotated[str, msgspec.Meta(pattern=r"^\d+$")]
"""A Page or Instagram account id: decimal digits, written as a string."""
ApiVersion = Annotated[str, msgspec.Meta(pattern=r"^v\d+\.\d+$")]
DEFAULT_POST_WINDOW = "30d"
_POST_WINDOW = re.compile(r"^([1-9]\d{0,2})d$")  # calendar days, 1d to 999d


class GraphOptions(ConnectorOptions, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """What every Graph connector takes: `token_env`, the variable holding the (Page) access
    token; `graph_url` (default `https://graph.facebook.com`); `api_version` (default `v25.0`);
    `post_window` (default `30d`): posts or media up to this many days old are watched for new
    comments, paging back through the listing (up to a page cap per poll).
    """

    url_keys = ("graph_url",)

    token_env: NonBlank
    graph_url: str = DEFAULT_GRAPH_URL
    api_version: ApiVersion = DEFAULT_API_VERSION
    post_window: str = DEFAULT_POST_WINDOW

    def __post_init__(self) -> None:
        super().__post_init__()
        if not _POST_WINDOW.match(self.post_window):
            raise ValueError(
                f"post_window: expected calendar days like 30d, got {self.post_window!r}"
            )

    @property
    def post_age(self) -> timedelta:
        """How far back posts or media are watched for new comments (`post_window`)."""
        return timedelta(days=int(self.post_window[:-1]))


class MissingPermission(AuthFailed):
    """The token lacks a permission this call needs (codes 10 and 200-299)."""

    title = "permission missing"


class PolicyBlocked(RequestRejected):
    """Meta blocked the action under its policies (code 368); retrying soon will not help."""

    title = "blocked by platform policy"


class DuplicatePost(RequestRejected):
    """Graph refused a post as a duplicate of one just made (code 506)."""

    title = "duplicate post"


class PrivateReplyRefused(CannotSend):
    """A private reply or DM the platform will not take: the window is closed or used up."""

    title = "direct message window closed"


def graph_time(value: Any, platform: str) -> datetime:
    """A Graph time (`2021-07-23T08:35:18+0000`) as an aware UTC datetime."""
    return platform_time(value, platform)


def _usage_entries(headers: httpx.Headers) -> list[dict[str, Any]]:
    """The usage objects of `X-App-Usage` and of each `X-Business-Use-Case-Usage` entry."""
    found: list[Any] = []
    for name in ("x-app-usage", "x-business-use-case-usage"):
        raw = headers.get(name)
        try:
            usage = json.loads(raw) if raw else None
        except ValueError:
            continue
        if name == "x-app-usage":
            found.append(usage)
        elif isinstance(usage, dict):
            for entries in usage.values():
                found.extend(entries if isinstance(entries, list) else [])
    return [entry for entry in found if isinstance(entry, dict)]


def usage_percent(headers: httpx.Headers) -> int:
    """How much of its rate limit Graph says is used, in percent (the highest figure given)."""
    figures = [
        value
        for entry in _usage_entries(headers)
        for key, value in entry.items()
        if key in USAGE_FIGURES and type(value) is int
    ]
    return max(figures, default=0)


def retry_at_from_usage(headers: httpx.Headers, now: datetime | None = None) -> datetime | None:
    """When Graph will take calls again, from `Retry-After` or the usage headers.

    `X-Business-Use-Case-Usage` says it per business object in minutes
    (`estimated_time_to_regain_access`); `X-App-Usage` says only how much of the budget is used,
    so at 100 % we wait `DEFAULT_BACKOFF`. None when the headers say nothing.
    """
    now = now or datetime.now(UTC)
    explicit = retry_at_from_headers(headers, now)
    if explicit is not None:
        return explicit
    waits = [
        wait
        for entry in _usage_entries(headers)
        if type(wait := entry.get("estimated_time_to_regain_access")) is int and wait > 0
    ]
    if waits:
        return now + timedelta(minutes=min(max(waits), MAX_WAIT_MINUTES))
    if usage_percent(headers) >= 100:
        return now + DEFAULT_BACKOFF
    return None


def _envelope(response: httpx.Response) -> tuple[int | None, int | None, str]:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None, None, ""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None, None, ""
    code, subcode = error.get("code"), error.get("error_subcode")
    message = error.get("message")
    return (
        code if type(code) is int else None,
        subcode if type(subcode) is int else None,
        message[:200] if isinstance(message, str) else "",
    )


def graph_error(
    response: httpx.Response, platform: str, needs: str, secrets: Iterable[str] = ()
) -> ConnectorError | None:
    """The error a Graph answer stands for, or None for a success.

    `needs` names the permission the call requires, so that a missing one is named.
    """
    if response.status_code < 400:
        return None
    code, subcode, text = _envelope(response)
    if code is None:
        return error_for_response(response, platform, secrets)
    where = f"{platform}: {response.request.method} {response.request.url.path}"
    detail = f"{where}: Graph error {code}" + (f"/{subcode}" if subcode else "")
    detail = redact(detail + (f" ({text})" if text else ""), secrets)
    if code in THROTTLE_CODES:
        retry_at = retry_at_from_usage(response.headers) or datetime.now(UTC) + DEFAULT_BACKOFF
        return RateLimited(f"{detail}; backing off", retry_at=retry_at)
    if code in TOKEN_CODES:
        state = "has expired" if subcode == TOKEN_EXPIRED else "was refused (expired or revoked)"
        return AuthFailed(f"{detail}: the access token {state}; renew the Page token")
    if subcode == OUTSIDE_WINDOW or code == ALREADY_REPLIED:
        return PrivateReplyRefused(
            f"{detail}: the private reply was used or its window has closed; Messenger's "
            "24-hour window applies, so the customer must write to us first"
        )
    if code in PERMISSION_CODES:
        return MissingPermission(f"{detail}: the token lacks the {needs} permission")
    if code == 368:
        return PolicyBlocked(f"{detail}: blocked by Meta's policies; try again much later")
    if code == 506:
        return DuplicatePost(f"{detail}: the same text was just posted")
    if code in TRANSIENT_CODES or response.status_code >= 500:
        return TransientError(detail)
    return RequestRejected(detail)


@dataclass(frozen=True, slots=True)
class GraphClient:
    """Calls to one Graph host and version, with the token from the environment."""

    platform: str
    connector: str
    graph_url: str
    api_version: str
    token_env: str
    environ: Mapping[str, str]
    http: Callable[[], httpx.AsyncClient]
    usage: dict[str, int] = field(default_factory=dict)  # "peak": the highest seen lately

    def token(self) -> str:
        return env_secret(
            self.environ,
            self.token_env,
            owner=f"{self.platform} connector {self.connector!r}",
            holds="a Page access token",
        )

    def url(self, path: str) -> str:
        version = self.api_version.strip("/")
        return f"{self.graph_url.rstrip('/')}/{version}/{path.lstrip('/')}"

    async def call(self, method: str, path: str, *, needs: str, **kwargs: Any) -> Any:
        """One request; the answer's JSON, or the `ConnectorError` Graph's envelope names."""
        token = self.token()
        response = await request(
            self.http(),
            method,
            self.url(path),
            platform=self.platform,
            secrets=(token,),
            check=False,
            headers={"Authorization": f"Bearer {token}"},
            **kwargs,
        )
        self.usage["peak"] = max(self.usage.get("peak", 0), usage_percent(response.headers))
        error = graph_error(response, self.platform, needs, (token,))
        if error is not None:
            raise error
        return parse_json(response, self.platform)

    def usage_warning(self) -> str | None:
        """A warning when the calls since the last one said the rate limit is nearly used up."""
        peak = self.usage.pop("peak", 0)
        if peak < USAGE_WARNING:
            return None
        return (
            f"Graph says {peak}% of Meta's rate limit is used; calls will soon be refused "
            "(poll less often: raise poll_every)"
        )

    async def get(self, path: str, *, needs: str, **params: str) -> Any:
        return await self.call("GET", path, needs=needs, params=params)

    async def post(self, path: str, body: Mapping[str, Any], *, needs: str) -> dict[str, Any]:
        answer = await self.call("POST", path, needs=needs, json=dict(body))
        expect(isinstance(answer, dict), self.platform, "answer is not an object")
        return dict(answer)

    async def pages(
        self, path: str, *, needs: str, max_pages: int, **params: str
    ) -> AsyncIterator[list[dict[str, Any]]]:
        """The `data` lists of up to `max_pages` pages, following `paging.cursors.after`."""
        after: str | None = None
        for _ in range(max_pages):
            query = dict(params, after=after) if after else params
            page = await self.get(path, needs=needs, **query)
            items = data_list(page, self.platform, path)
            yield items
            after = next_cursor(page)
            if not after or not items:
                return


def data_list(page: Any, platform: str, what: str) -> list[dict[str, Any]]:
    """The `data` list of a Graph page (or a nested edge), each item an object with an id."""
    expect(isinstance(page, dict), platform, f"{what}: not an object")
    items = page.get("data", [])
    expect(isinstance(items, list), platform, f"{what}: data is not a list")
    for item in items:
        expect(
            isinstance(item, dict) and isinstance(item.get("id"), str) and bool(item["id"]),
            platform,
            f"{what}: an item without an id",
        )
    return items


def next_cursor(page: Mapping[str, Any]) -> str | None:
    """The `after` cursor, only when Graph says there is a next page (a `next` link)."""
    paging = page.get("paging")
    if not isinstance(paging, dict) or not paging.get("next"):
        return None
    cursors = paging.get("cursors")
    after = cursors.get("after") if isinstance(cursors, dict) else None
    if isinstance(after, str) and after:
        return after
    try:  # some edges page by `after` in the link only
        found = httpx.URL(str(paging["next"])).params.get("after")
    except httpx.InvalidURL:
        return None
    return found or None
