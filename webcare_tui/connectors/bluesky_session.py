"""An XRPC session for the Bluesky connector: log in, keep the JWTs in memory, renew them.

Why a class of its own: the session rules (refresh an expired access token with the refresh
JWT, log in again when that is refused too, retry the call once) are the same for every call
and are easier to check apart from what the calls are for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from webcare_tui.connectors.base import (
    AuthFailed,
    MalformedResponse,
    RateLimited,
    TransientError,
    env_secret,
)
from webcare_tui.connectors.http_errors import error_for_response, expect, parse_json, request

__all__ = ["XrpcSession"]

PLATFORM = "bluesky"
# Answers that mean "this session is over", as opposed to "you may not do this".
_SESSION_ERRORS = frozenset({"ExpiredToken", "InvalidToken"})


@dataclass(slots=True)
class _Session:
    access: str
    refresh: str
    did: str
    handle: str


def _error_name(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    return body.get("error") if isinstance(body, dict) else None


class XrpcSession:
    """Calls XRPC methods on one PDS as one account (handle + app password from the env)."""

    def __init__(
        self,
        *,
        connector: str,
        service: str,
        handle: str,
        password_env: str,
        environ: Mapping[str, str],
        http: Callable[[], httpx.AsyncClient],
    ) -> None:
        self.connector = connector
        self.service = service
        self.handle = handle
        self.password_env = password_env
        self.environ = environ
        self._http = http
        self._session: _Session | None = None

    async def ensure(self) -> _Session:
        """The current session, logging in first if there is none."""
        return self._session or await self.login()

    def _password(self) -> str:
        if not self.handle:
            raise AuthFailed(f"bluesky connector {self.connector!r} needs handle and password_env")
        return env_secret(
            self.environ,
            self.password_env,
            owner=f"bluesky connector {self.connector!r}",
            holds="an app password",
            key="password_env",
        )

    def _secrets(self) -> tuple[str, ...]:
        found = [self.environ.get(self.password_env, "")] if self.password_env else []
        if self._session is not None:
            found += [self._session.access, self._session.refresh]
        return tuple(s for s in found if s)

    def _url(self, nsid: str) -> str:
        return f"{self.service}/xrpc/{nsid}"

    def _take_session(self, body: Any) -> _Session:
        expect(isinstance(body, dict), PLATFORM, "session is not an object")
        fields = [body.get(k) for k in ("accessJwt", "refreshJwt", "did")]
        expect(all(isinstance(f, str) and f for f in fields), PLATFORM, "session without tokens")
        self._session = _Session(
            access=body["accessJwt"],
            refresh=body["refreshJwt"],
            did=body["did"],
            handle=str(body.get("handle") or self.handle),
        )
        return self._session

    async def login(self) -> _Session:
        password = self._password()
        self._session = None
        response = await request(
            self._http(),
            "POST",
            self._url("com.atproto.server.createSession"),
            platform=PLATFORM,
            secrets=(password,),
            check=False,
            json={"identifier": self.handle, "password": password},
        )
        error = error_for_response(response, PLATFORM, (password,))
        if isinstance(error, RateLimited | TransientError):
            raise error
        if error is not None:
            # Any other refusal of a login is about the credentials (wrong password, takedown,
            # a second factor app passwords cannot give): retrying will not help.
            raise AuthFailed(f"bluesky: login as {self.handle} refused ({error})")
        return self._take_session(parse_json(response, PLATFORM))

    async def _refresh(self) -> bool:
        """Renew the session with the refresh JWT; False when that is refused."""
        if self._session is None:
            return False
        refresh = self._session.refresh
        response = await request(
            self._http(),
            "POST",
            self._url("com.atproto.server.refreshSession"),
            platform=PLATFORM,
            secrets=self._secrets(),
            check=False,
            headers={"Authorization": f"Bearer {refresh}"},
        )
        error = error_for_response(response, PLATFORM, self._secrets())
        if isinstance(error, RateLimited | TransientError):
            raise error
        if error is not None:
            return False
        try:
            self._take_session(parse_json(response, PLATFORM))
        except MalformedResponse:
            return False
        return True

    async def _renew(self, *, expired: bool) -> _Session:
        """A working session after the server refused ours: refreshed if it can be, else new."""
        if expired and await self._refresh() and self._session is not None:
            return self._session
        return await self.login()

    async def call(
        self,
        method: str,
        nsid: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        proxy: str | None = None,
    ) -> Any:
        """Call one XRPC method with the session, renewing it once if it has expired."""
        session = self._session or await self.login()
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {session.access}"}
            if proxy:
                headers["atproto-proxy"] = proxy
            response = await request(
                self._http(),
                method,
                self._url(nsid),
                platform=PLATFORM,
                secrets=self._secrets(),
                check=False,
                params=params,
                json=body,
                headers=headers,
            )
            if (
                attempt == 1
                and response.status_code in (400, 401)
                and _error_name(response) in _SESSION_ERRORS
            ):
                session = await self._renew(expired=_error_name(response) == "ExpiredToken")
                continue
            error = error_for_response(response, PLATFORM, self._secrets())
            if error is not None:
                raise error
            return parse_json(response, PLATFORM)
        raise AuthFailed(f"bluesky: {nsid} refused a fresh session")  # pragma: no cover
