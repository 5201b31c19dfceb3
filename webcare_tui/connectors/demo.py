"""The demo connector: replays `data/demo/mentions.jsonl` as if the mentions arrived live.

Each line says how long before the demo started the message was written (`ago`) and how many
seconds after the start it shows up (`arrive`), so a new user watches the inbox fill over the
first minute. Replies and escalations are accepted and recorded as sent.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from webcare_tui.connectors.base import (
    Connector,
    ConnectorOptions,
    ConnectorSettings,
    FetchResult,
    MalformedResponse,
    OutgoingReply,
    SentReply,
)
from webcare_tui.core.length import BLUESKY, MASTODON, LengthRule
from webcare_tui.core.model import Direction, IncomingMessage
from webcare_tui.core.timeutil import now_utc, parse_time
from webcare_tui.paths import data_dir

if TYPE_CHECKING:
    import httpx


def demo_file() -> Path:
    return data_dir() / "demo" / "mentions.jsonl"


_AGO = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$")


def _ago(text: str) -> timedelta:
    """`1d3h`, `45m`: calendar time before the demo started (not open time)."""
    match = _AGO.match(text.strip())
    if not match:
        raise MalformedResponse(f"demo data: expected ago like 1d3h or 45m, got {text!r}")
    days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


class DemoOptions(ConnectorOptions, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """The demo takes no keys of its own: its `channel` picks the mentions it replays."""


_REPLAYED_RULES = {"mastodon": MASTODON, "bluesky": BLUESKY}


class DemoConnector(Connector):
    """Replays the demo mentions of this connector's channel (all of them if none match)."""

    type: ClassVar[str] = "demo"
    Options = DemoOptions
    length_rule: ClassVar[LengthRule] = LengthRule("plain", MASTODON.limit)
    idempotent_send: ClassVar[bool] = True

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        http: httpx.AsyncClient | None = None,
        environ: Mapping[str, str] | None = None,
        now: Callable[[], datetime] = now_utc,
        source: Path | None = None,
    ) -> None:
        super().__init__(settings, http=http, environ=environ)
        self.now = now
        self.source = source or demo_file()

    @classmethod
    def rule_for(cls, settings: ConnectorSettings) -> LengthRule:
        """A replayed Mastodon or Bluesky channel counts as that platform does."""
        return _REPLAYED_RULES.get(settings.channel, cls.length_rule)

    def lines(self) -> list[dict[str, Any]]:
        try:
            raw = self.source.read_text(encoding="utf-8").splitlines()
        except OSError as error:
            raise MalformedResponse(f"cannot read the demo data: {error}") from None
        lines = [json.loads(line) for line in raw if line.strip()]
        mine = [line for line in lines if line.get("channel") == self.settings.channel]
        return mine or lines

    async def fetch(self, cursor: str | None) -> FetchResult:
        now = self.now()
        start, upto = self._resume(cursor, now)
        elapsed = (now - start).total_seconds()
        messages = []
        for line in self.lines():
            arrive = float(line.get("arrive", 0))
            if upto < arrive <= elapsed or (upto < 0 and arrive <= 0):
                messages.append(self._message(line, start))
        state = {"start": start.isoformat(), "upto": max(elapsed, 0.0)}
        return FetchResult(messages=messages, cursor=json.dumps(state))

    @staticmethod
    def _resume(cursor: str | None, now: datetime) -> tuple[datetime, float]:
        """Where the replay stands: when it started and how far it has been delivered."""
        try:
            state = json.loads(cursor) if cursor else None
            if isinstance(state, dict):
                return parse_time(str(state["start"])), float(state["upto"])
        except (ValueError, KeyError, TypeError):
            pass  # a damaged cursor replays from the start; the store drops what it has
        return now, -1.0

    @staticmethod
    def _message(line: Mapping[str, Any], start: datetime) -> IncomingMessage:
        extra = {"lang": str(line.get("lang", ""))}
        if line.get("agent"):
            extra["agent"] = str(line["agent"])
        return IncomingMessage(
            remote_id=str(line["remote_id"]),
            author=str(line["author"]),
            text=str(line["text"]),
            created_at=start - _ago(str(line.get("ago", ""))),
            direction=Direction(line.get("direction", "in")),
            in_reply_to=line.get("in_reply_to"),
            url=line.get("url"),
            author_name=line.get("author_name"),
            followers=line.get("followers"),
            is_private=bool(line.get("private", False)),
            extra=extra,
        )

    async def send(self, reply: OutgoingReply) -> SentReply:
        # The same idempotency key always gives the same id: a retry never "posts" twice.
        digest = hashlib.sha256(reply.idempotency_key.encode()).hexdigest()[:12]
        return SentReply(remote_id=f"demo-out-{digest}", created_at=self.now())
