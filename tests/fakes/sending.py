"""In-process platforms the outbox sends to, for the outbox's own tests: each keeps what it was
sent, and raises the faults a test queues (before the post, or after it: the answer lost)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from webcare_tui.connectors.base import (
    Connector,
    ConnectorSettings,
    FetchResult,
    OutgoingReply,
    SentReply,
)

SETTINGS = ConnectorSettings(name="c1", type="demo", channel="mastodon")

Platform = TypeVar("Platform")


class SendingConnector(Connector, Generic[Platform]):
    """A connector that only sends, to the fake `platform` the test looks at; it reads nothing."""

    def __init__(self, settings: ConnectorSettings, platform: Platform) -> None:
        super().__init__(settings)
        self.platform = platform

    async def fetch(self, cursor: str | None) -> FetchResult:
        return FetchResult([], cursor)


@dataclass
class FakePlatform:
    """What the platform saw: posts by idempotency key, and every attempt."""

    posts: dict[str, SentReply] = field(default_factory=dict)
    attempts: list[OutgoingReply] = field(default_factory=list)
    faults: list[BaseException] = field(default_factory=list)
    fault_after_post: list[BaseException] = field(default_factory=list)


class FakeConnector(SendingConnector[FakePlatform]):
    type = "fake"
    idempotent_send = True  # the fake platform keeps one post per idempotency key

    async def send(self, reply: OutgoingReply) -> SentReply:
        self.platform.attempts.append(reply)
        if self.platform.faults:
            raise self.platform.faults.pop(0)
        sent = self.platform.posts.get(reply.idempotency_key)
        if sent is None:  # a repeated key gets the post it already made
            number = len(self.platform.posts) + 1
            sent = SentReply(f"post-{number}", f"https://social.example/@brand/{number}", None)
            self.platform.posts[reply.idempotency_key] = sent
        if self.platform.fault_after_post:
            raise self.platform.fault_after_post.pop(0)  # it went out; the answer got lost
        return sent


@dataclass
class KeylessPlatform:
    """A platform without idempotency keys (Facebook, Instagram): every send is a new post."""

    posts: list[OutgoingReply] = field(default_factory=list)
    faults: list[BaseException] = field(default_factory=list)
    fault_after_post: list[BaseException] = field(default_factory=list)
    looks: int = 0


class KeylessConnector(SendingConnector[KeylessPlatform]):
    type = "keyless"
    idempotent_send = False

    async def send(self, reply: OutgoingReply) -> SentReply:
        if self.platform.faults:
            raise self.platform.faults.pop(0)
        self.platform.posts.append(reply)
        if self.platform.fault_after_post:
            raise self.platform.fault_after_post.pop(0)
        return SentReply(f"comment-{len(self.platform.posts)}")

    async def confirm(self, reply: OutgoingReply) -> SentReply | None:
        # Our reply under that comment, with that text: as a Graph API lookup would find it.
        self.platform.looks += 1
        for number, post in enumerate(self.platform.posts, start=1):
            if (post.in_reply_to, post.text) == (reply.in_reply_to, reply.text):
                return SentReply(f"comment-{number}")
        return None
