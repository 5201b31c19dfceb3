"""The connector interface. Its docstrings are the spec a new connector (X, Facebook) follows.

A connector knows one platform account. The poller calls `fetch` on the connector's interval and
stores what comes back before it stores the returned cursor, so a connector must be able to
resume from any cursor it has returned. The outbox calls `send`. Neither touches SQLite.
"""

from __future__ import annotations

import builtins
import os
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, ClassVar
from urllib.parse import urlparse

import msgspec

from webcare_tui.core.length import LengthRule
from webcare_tui.core.model import IncomingMessage

if TYPE_CHECKING:
    from pathlib import Path

    import httpx


class ConnectorOptions(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """A connector type's own config keys. Each type subclasses it; defaults are documented.

    A field without a default is a key the config must give. A field whose name ends in `_env`
    names an environment variable holding a secret: `check_options` warns when it is unset,
    and the poller keeps its value out of every error. The keys named in `url_keys` must be
    http(s) URLs. A `__post_init__` that raises `ValueError` refuses a value: start its message
    with the key (`check_http_url` does), config puts file and line before it; an override
    calls this one first.
    """

    url_keys: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        for key in self.url_keys:
            check_http_url(key, getattr(self, key))

    def secret_variables(self) -> dict[str, str]:
        """The environment variables this connector's secrets come from, by key (`token_env`)."""
        found = {key: getattr(self, key) for key in self.__struct_fields__ if key.endswith("_env")}
        return {key: value for key, value in found.items() if isinstance(value, str) and value}


NonBlank = Annotated[str, msgspec.Meta(pattern=r"\S")]
"""An option that must hold some text (config says "expected a non-empty string")."""


def check_http_url(key: str, value: str) -> None:
    """For `__post_init__`: ValueError naming `key` unless `value` is an http(s) URL with a host."""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"{key}: expected an http(s) URL, got {value!r}")


@dataclass(frozen=True, slots=True)
class ConnectorSettings:
    """One `[[connectors]]` table of the config, validated.

    `options` holds the type's own keys (`base_url`, `token_env`, `service`, `handle`, ...) as
    an instance of that type's `Connector.Options`. `channel` defaults to the type.
    """

    name: str
    type: str
    channel: str
    poll_every: timedelta = timedelta(seconds=60)
    enabled: bool = True
    options: ConnectorOptions = field(default_factory=ConnectorOptions)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one poll brought: messages oldest first, and the cursor to resume after them.

    `cursor` is opaque to everyone but the connector; None keeps the previous one.
    `warnings` are problems that lost nothing (a feed that parsed with complaints).
    `skipped` are items read but left out because they could not be understood, as (id as it
    may be shown, why): the cursor moves past them, and the store keeps the list.
    """

    messages: list[IncomingMessage]
    cursor: str | None
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class OutgoingReply:
    """A reply the outbox asks a connector to send.

    `in_reply_to` is the remote id of the customer message answered, `root` the thread's first
    message; `reply_to_extra` is that message's stored `extra` (URIs, CIDs, visibility).
    `idempotency_key` is the same on every retry of one outbox item.
    """

    text: str
    in_reply_to: str
    root: str
    customer: str
    idempotency_key: str
    private: bool = False
    reply_to_extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SentReply:
    """The platform's own id (and link, where it has one) of a sent reply."""

    remote_id: str
    url: str | None = None
    created_at: datetime | None = None


class ConnectorError(Exception):
    """A connector failed. `title` is a short line for a status bar."""

    title = "connector error"

    def __init__(self, message: str, *, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class TransientError(ConnectorError):
    """Timeouts, refused connections, 5xx: try again after a back-off."""

    title = "temporarily unavailable"


class RateLimited(ConnectorError):
    """The platform asked us to wait; `retry_at` says until when, if it said."""

    title = "rate limited"


class AuthFailed(ConnectorError):
    """Credentials missing or refused. Retrying will not help until someone fixes them."""

    title = "authentication failed"


class MalformedResponse(ConnectorError):
    """The platform answered something we cannot read (broken or truncated JSON, wrong shape)."""

    title = "malformed answer"


class CannotSend(ConnectorError):
    """This channel has no way to send (an RSS feed): the agent answers elsewhere."""

    title = "cannot send on this channel"


def env_secret(
    environ: Mapping[str, str], variable: str, *, owner: str, holds: str, key: str = "token_env"
) -> str:
    """The secret in environment variable `variable`. `AuthFailed` when it is unset or empty,
    saying whose it is (`owner`: "mastodon connector 'acme'") and what it must `hold`; or when
    no variable is named at all (options built in code with `key` blank)."""
    if not variable:
        raise AuthFailed(f"{owner} has no {key} configured")
    secret = environ.get(variable)
    if not secret:
        raise AuthFailed(
            f"{owner}: environment variable {variable} is not set (it must hold {holds})"
        )
    return secret


class Connector(ABC):
    """One platform account, polled for mentions and used to send replies.

    A type declares, on its class: `type` (its name in the config), `Options` (its own config
    keys, a `ConnectorOptions` subclass), `length_rule` (how its platform counts a reply and
    its stock limit) and `can_send`. Config validates each `[[connectors]]` table against
    `Options`; the connector reads its keys from `self.options`.
    """

    type: ClassVar[str]
    Options: ClassVar[builtins.type[ConnectorOptions]] = ConnectorOptions
    length_rule: ClassVar[LengthRule]
    can_send: ClassVar[bool] = True

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        http: httpx.AsyncClient | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.options = self._own_options(settings)
        self.environ = os.environ if environ is None else environ
        self._http = http
        self._owns_http = http is None
        self._configure()

    def _configure(self) -> None:
        """Read the type's own state from `self.options`; override instead of `__init__`."""
        return None

    def use_state_dir(self, directory: Path) -> None:
        """Where this connector may keep files of its own between runs (the database's folder;
        X keeps its rotated tokens there). Called once, before the first fetch or send, by
        whoever builds connectors for a workspace; the default keeps nothing."""
        return None

    @classmethod
    def _own_options(cls, settings: ConnectorSettings) -> ConnectorOptions:
        options = settings.options
        if isinstance(options, cls.Options):
            return options
        if type(options) is ConnectorOptions:  # no keys given: the type's defaults, if it has
            try:
                return cls.Options()
            except TypeError:
                pass
        if isinstance(options, Mapping):  # code written before Options: read it the same way
            try:
                return msgspec.convert(dict(options), cls.Options)
            except msgspec.ValidationError as error:
                raise TypeError(f"{cls.__name__} {settings.name!r}: {error}") from None
        raise TypeError(
            f"{cls.__name__} {settings.name!r} needs {cls.Options.__name__}, "
            f"got {type(options).__name__}"
        )

    @classmethod
    def check_options(cls, options: ConnectorOptions, environ: Mapping[str, str]) -> list[str]:
        """Warnings about valid `options` that will not work here (a secret's variable unset).

        `check-config` prints them; nothing stops on them. Override to add the type's own
        (and call this one). Errors belong in `Options.__post_init__` instead.
        """
        return [
            f"{key}: {variable} is not set in the environment"
            for key, variable in options.secret_variables().items()
            if not environ.get(variable)
        ]

    @classmethod
    def rule_for(cls, settings: ConnectorSettings) -> LengthRule:
        """How replies on `settings`' channel are counted; the class's rule unless the type
        stands in for other platforms (the demo replays Mastodon and Bluesky)."""
        return cls.length_rule

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            import httpx  # imported here so that CLI commands that never poll start fast

            self._http = httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0))
        return self._http

    @abstractmethod
    async def fetch(self, cursor: str | None) -> FetchResult:
        """Messages newer than `cursor` (all there is when None), oldest first.

        Raises a `ConnectorError` subclass on failure; never returns half a page silently.
        """

    async def send(self, reply: OutgoingReply) -> SentReply:
        """Post `reply` on the platform and return its remote id.

        Must be safe to call again with the same `idempotency_key` after a timeout.
        """
        raise CannotSend(f"{self.settings.type} connector {self.name!r} cannot send replies")

    async def length_limit(self) -> int:
        """The most characters (as `length_rule` counts) one reply may have; 0 for no limit.

        Override only where the server says (Mastodon's `max_characters`), falling back to
        the rule's limit.
        """
        return self.rule_for(self.settings).limit

    async def aclose(self) -> None:
        if self._owns_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    idempotent_send: ClassVar[bool] = False
    """The platform recognises a repeated `send` by its `idempotency_key` and posts once
    (Mastodon). When False, a send whose answer was lost is looked for with `confirm` before
    any retry."""

    async def confirm(self, reply: OutgoingReply) -> SentReply | None:
        """Whether `reply` (a send whose answer was lost) is on the platform: its id, or None
        when it is not there. Raises `ConnectorError` when the platform cannot be asked, and so
        by default: a connector that cannot look leaves the item to an agent, never resends."""
        raise CannotSend(f"{self.settings.type} connector {self.name!r} cannot look up a reply")
