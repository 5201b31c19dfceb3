"""The X connector's config keys and its OAuth 2.0 user token, renewed when X says it expired.

X's user access tokens last two hours. With `offline.access` the authorisation also gives a
refresh token; `POST /2/oauth2/token` trades it for a new access token and a new refresh token
(the old one stops working: X rotates them). The environment cannot be written, so the new
pair goes to a `TokenFile` beside the database when the connector was given one, and is read
from there first on the next start; the environment's tokens are the fallback.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from webcare_tui.connectors.base import AuthFailed, ConnectorOptions, NonBlank, env_secret
from webcare_tui.connectors.http_errors import parse_json, redact, request
from webcare_tui.connectors.x_http import SCOPES, problem_detail
from webcare_tui.connectors.x_token_file import TokenFile, TokenPair, env_fingerprint

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
    """The access token in use: the stored pair from the last refresh if there is one, else
    the environment's, until a refresh replaces it (and stores the new pair)."""

    def __init__(
        self,
        options: XOptions,
        environ: Mapping[str, str],
        connector: str,
        token_file: TokenFile | None = None,
    ) -> None:
        self.options = options
        self.environ = environ
        self.connector = connector
        self.token_file = token_file
        self.unsaved: str | None = None  # why the last rotated pair could not be stored
        self._access: str | None = None
        self._refresh: str | None = None
        stored = token_file.load(self._fingerprint()) if token_file else None
        if stored is not None:
            self._access, self._refresh = stored.access, stored.refresh

    def _fingerprint(self) -> str:
        refresh = self.environ.get(self.options.refresh_token_env or "", "")
        return env_fingerprint(self.environ.get(self.options.token_env, ""), refresh)

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
            file = self.token_file if self._refresh else None  # the refresh token came from it
            where = f"stored in {file.path}" if file else variable
            raise AuthFailed(
                f"X connector {self.connector!r}: X token expired and the refresh was refused: "
                f"set a new token in {self.options.token_env} and {variable}"
                + (f" ({detail})" if detail else "")
                + f". The refresh token {where} no longer works (X rotates refresh tokens): "
                f"authorise the app again ({SCOPES})"
            )
        body = parse_json(response, "x")
        access = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(access, str) or not access:
            raise AuthFailed(f"X connector {self.connector!r}: X's token answer has no token")
        rotated = body.get("refresh_token")
        self._access = access
        self._refresh = rotated if isinstance(rotated, str) and rotated else refresh
        self._store()

    def _store(self) -> None:
        """Keep the new pair for the next start; a failure is remembered, not raised: the pair
        works for this run, and the poll says that a restart will need new tokens."""
        if self.token_file is None or self._access is None or self._refresh is None:
            return
        try:
            self.token_file.save(TokenPair(self._access, self._refresh), self._fingerprint())
        except OSError as error:
            self.unsaved = (
                f"the renewed X token could not be stored in {self.token_file.path} "
                f"({error.strerror or error}): after a restart, set new tokens"
            )
        else:
            self.unsaved = None
