"""The X connector's config keys and its OAuth 2.0 user token, renewed when X says it expired.

X's user access tokens last two hours. With `offline.access` the authorisation also gives a
refresh token; `POST /2/oauth2/token` trades it for a new access token and a new refresh token
(the old one stops working: X rotates them). We keep both in memory only: the environment
cannot be written, so after a restart the refresh token from the environment must be one that
was not used yet.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from webcare_tui.connectors.base import AuthFailed, ConnectorOptions, NonBlank, env_secret
from webcare_tui.connectors.http_errors import parse_json, redact, request
from webcare_tui.connectors.x_http import SCOPES, problem_detail

__all__ = ["XOptions", "XTokens"]


class XOptions(ConnectorOptions, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """`token_env`: the variable holding an OAuth 2.0 user-context access token (scopes
    tweet.read tweet.write users.read dm.read dm.write offline.access); `base_url`: the API
    (default `https://api.x.com`); `user_id`: the account's numeric id (else `GET /2/users/me`
    once per run); `refresh_token_env` and `client_id` (both or neither): renew the access
    token when it expires, with the refresh token in that variable and the app's client id."""

    url_keys = ("base_url",)

    token_env: NonBlank
    base_url: str = "https://api.x.com"
    user_id: str | None = None
    refresh_token_env: str | None = None
    client_id: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.user_id is not None and not (self.user_id.isascii() and self.user_id.isdigit()):
            raise ValueError(f"user_id: expected X's numeric user id, got {self.user_id!r}")
        if bool(self.refresh_token_env) != bool(self.client_id):
            raise ValueError("refresh_token_env: give it together with client_id, or neither")


class XTokens:
    """The access token in use: the environment's, until a refresh replaces it."""

    def __init__(self, options: XOptions, environ: Mapping[str, str], connector: str) -> None:
        self.options = options
        self.environ = environ
        self.connector = connector
        self._access: str | None = None
        self._refresh: str | None = None

    @property
    def can_refresh(self) -> bool:
        return bool(self.options.refresh_token_env and self.options.client_id)

    def access(self) -> str:
        """The access token; `AuthFailed` naming the variable when there is none."""
        return self._access or env_secret(
            self.environ,
            self.options.token_env,
            owner=f"X connector {self.connector!r}",
            holds="an OAuth 2.0 user access token",
        )

    def secrets(self) -> tuple[str, ...]:
        """Every token we hold, to be blanked out of anything a server echoes back."""
        names = (self.options.token_env, self.options.refresh_token_env or "")
        found = [self.environ.get(n, "") for n in names if n] + [self._access, self._refresh]
        return tuple(t for t in found if t)

    async def refresh(self, http: httpx.AsyncClient, base_url: str) -> None:
        """Trade the refresh token for a new access token (and refresh token)."""
        variable = self.options.refresh_token_env or ""
        refresh = self._refresh or self.environ.get(variable)
        if not refresh:
            raise AuthFailed(
                f"X connector {self.connector!r}: the access token expired and environment "
                f"variable {variable} (the refresh token) is not set"
            )
        response = await request(
            http,
            "POST",
            f"{base_url}/2/oauth2/token",
            platform="x",
            secrets=self.secrets(),
            check=False,
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh,
                "client_id": self.options.client_id or "",
            },
        )
        if response.status_code >= 400:
            detail = redact(problem_detail(response), self.secrets())
            raise AuthFailed(
                f"X connector {self.connector!r}: the access token expired and X refused the "
                f"refresh token in {variable}" + (f" ({detail})" if detail else "") + ". X "
                "rotates refresh tokens (one already used no longer works): authorise the app "
                f"again ({SCOPES}) and put the new tokens in {self.options.token_env} and "
                f"{variable}"
            )
        body = parse_json(response, "x")
        access = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(access, str) or not access:
            raise AuthFailed(f"X connector {self.connector!r}: X's token answer has no token")
        rotated = body.get("refresh_token")
        self._access = access
        self._refresh = rotated if isinstance(rotated, str) and rotated else refresh
