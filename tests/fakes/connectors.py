"""Scripted connectors: each poll returns, raises or waits as the test says."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import ClassVar

from webcare_tui.connectors.base import (
    Connector,
    ConnectorOptions,
    ConnectorSettings,
    FetchResult,
)
from webcare_tui.core.length import MASTODON, LengthRule
from webcare_tui.core.model import Direction, IncomingMessage

Step = FetchResult | Exception | asyncio.Event


class ScriptedOptions(ConnectorOptions, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """A secret's variable, to see that it is kept out of errors."""

    token_env: str = ""


class ScriptedConnector(Connector):
    """Answers each `fetch` with the next step of its script: a result, an exception to
    raise, or an `asyncio.Event` to wait for (a fetch that hangs until the test lets it go).
    With the script used up it returns nothing new and keeps the cursor."""

    type: ClassVar[str] = "scripted"
    Options = ScriptedOptions
    length_rule: ClassVar[LengthRule] = MASTODON

    def __init__(
        self,
        name: str,
        *script: Step,
        every: float = 30,
        token_env: str = "",
        environ: Mapping[str, str] | None = None,
    ) -> None:
        settings = ConnectorSettings(
            name,
            "scripted",
            "mastodon",
            timedelta(seconds=every),
            options=ScriptedOptions(token_env=token_env),
        )
        super().__init__(settings, environ=environ or {})
        self.script = list(script)
        self.cursors: list[str | None] = []  # the cursor of every fetch, in order

    @property
    def fetches(self) -> int:
        return len(self.cursors)

    async def fetch(self, cursor: str | None) -> FetchResult:
        self.cursors.append(cursor)
        step = self.script.pop(0) if self.script else FetchResult([], None)
        if isinstance(step, asyncio.Event):
            await step.wait()
            return FetchResult([], None)
        if isinstance(step, Exception):
            raise step
        return step


def mention(
    remote_id: str,
    at: datetime,
    *,
    author: str = "klant@other.example",
    in_reply_to: str | None = None,
    direction: Direction = Direction.IN,
) -> IncomingMessage:
    return IncomingMessage(
        remote_id=remote_id,
        author=author,
        text=f"message {remote_id}",
        created_at=at,
        direction=direction,
        in_reply_to=in_reply_to,
    )


def batch(*messages: IncomingMessage, cursor: str | None = None) -> FetchResult:
    return FetchResult(list(messages), cursor)
