"""The part of the Facebook and Instagram connectors that is the same on both: Messenger-style
conversations in, private replies and DMs out, and looking for a reply whose answer was lost.

Both platforms take a private reply to a comment (`recipient.comment_id`) once per comment
within 7 days of it; after that, and for an answer inside a DM conversation, only Messenger's
24-hour window counts: we may write within 24 hours of the customer's last message.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from webcare_tui.connectors.base import (
    Connector,
    ConnectorError,
    FetchResult,
    MalformedResponse,
    OutgoingReply,
    SentReply,
)
from webcare_tui.connectors.graph import (
    GraphClient,
    GraphOptions,
    MissingPermission,
    PrivateReplyRefused,
    data_list,
    graph_time,
    next_cursor,
)
from webcare_tui.connectors.graph_cursor import Watermark
from webcare_tui.connectors.http_errors import RequestRejected, expect
from webcare_tui.core.model import Direction, IncomingMessage

__all__ = ["MESSAGING_WINDOW", "PRIVATE_REPLY_WINDOW", "GraphConnector"]

PRIVATE_REPLY_WINDOW = timedelta(days=7)
MESSAGING_WINDOW = timedelta(hours=24)
CONVERSATION_PAGES = 2
MESSAGES_PER_CONVERSATION = 25
LISTING_PAGE_SIZE = 25
LISTING_PAGE_CAP = 8  # each poll watches at most the newest 200 posts or media for comments
MORE_PAGES = 10  # of one post's comments or one conversation, while every item is new
MESSAGE_FIELDS = "id,message,created_time,from{id,name,username},to{id,name,username}"


def text_of(value: Any) -> str:
    return value if isinstance(value, str) else ""


def person(value: Any) -> tuple[str, str | None]:
    """`(id, name)` of a Graph `from`/`to` person; empty id when Graph left it out."""
    if not isinstance(value, dict):
        return "", None
    data = value.get("data")
    if isinstance(data, list):  # `to` is a list of people
        value = data[0] if data and isinstance(data[0], dict) else {}
    ident = value.get("id")
    name = value.get("name") or value.get("username")
    return (ident if isinstance(ident, str) else ""), (name if isinstance(name, str) else None)


class GraphConnector(Connector):
    """A Graph API account: `owner_id` is the Page or the Instagram business account."""

    options: GraphOptions
    platform: ClassVar[str]
    owner_key: ClassVar[str]  # the option naming the account: page_id / ig_user_id
    read_permission: ClassVar[str]
    write_permission: ClassVar[str]
    messaging_permission: ClassVar[str]
    conversation_params: ClassVar[Mapping[str, str]] = {}
    reply_edge: ClassVar[str]  # where an answer to a comment goes: comments / replies
    text_key: ClassVar[str]  # the field holding a comment's text: message / text
    confirm_params: ClassVar[Mapping[str, str]] = {}
    listing_edge: ClassVar[str]  # the account's objects that carry comments: feed / media
    listing_fields: ClassVar[str]
    listing_time_key: ClassVar[str]  # when a post or media was made: created_time / timestamp
    idempotent_send: ClassVar[bool] = False

    def _configure(self) -> None:
        self.owner_id = str(getattr(self.options, self.owner_key))
        self.graph = GraphClient(
            platform=self.platform,
            connector=self.name,
            graph_url=self.options.graph_url,
            api_version=self.options.api_version,
            token_env=self.options.token_env,
            environ=self.environ,
            http=lambda: self.http,
        )
        self._skipped: list[str] = []

    def is_ours(self, who: Any) -> bool:
        """Whether a Graph `from`/`user` is the Page or account itself."""
        return person(who)[0] == self.owner_id

    # -- reading -------------------------------------------------------------------------------
    async def fetch(self, cursor: str | None) -> FetchResult:
        """Comments and DMs newer than the cursor's `Watermark`, oldest first.

        Each poll pages back through the posts or media (their newest comments nested) until
        they are older than `post_window`, at most `LISTING_PAGE_CAP` pages, with a warning
        when the cap stops it short; a first poll (no cursor) reads one page.
        """
        mark = Watermark.load(cursor, self.platform)
        messages: list[IncomingMessage] = []
        warnings: list[str] = []
        self._skipped = warnings
        await self.read_listing(mark, messages, warnings)
        await self.read_conversations(mark, messages, warnings)
        if usage := self.graph.usage_warning():
            warnings.append(usage)
        messages.sort(key=lambda m: (m.created_at, m.remote_id))
        return FetchResult(messages=messages, cursor=mark.dump(), warnings=warnings)

    async def read_listing(
        self, mark: Watermark, messages: list[IncomingMessage], warnings: list[str]
    ) -> None:
        """Append the new comments on every post or media younger than `post_window`.

        The listing comes newest first, so a page that ends on an older object ends the walk;
        an older one before that (a pinned post) is passed over, not read.
        """
        path = f"{self.owner_id}/{self.listing_edge}"
        oldest = datetime.now(UTC) - self.options.post_age
        cap = 1 if mark.first_run else LISTING_PAGE_CAP
        after: str | None = None
        for _ in range(cap):
            query = {"fields": self.listing_fields, "limit": str(LISTING_PAGE_SIZE)}
            page = await self.graph.get(
                path, needs=self.read_permission, **(dict(query, after=after) if after else query)
            )
            items = data_list(page, self.platform, path)
            young = [item for item in items if not self._older_than(item, oldest)]
            for item in young:
                messages.extend(await self.read_object(item, mark))
            after = next_cursor(page)
            if not after or not items or self._older_than(items[-1], oldest):
                return
        if not mark.first_run:
            warnings.append(
                f"read only the newest {cap * LISTING_PAGE_SIZE} posts or media this poll "
                f"(a cap of {cap} pages): comments on older ones within post_window "
                f"({self.options.post_window}) were not looked for"
            )

    def _older_than(self, item: dict[str, Any], oldest: datetime) -> bool:
        """Whether a post or media was made before `oldest`; False when its time is unreadable,
        so that an odd item is read rather than silently left out."""
        try:
            return graph_time(item.get(self.listing_time_key), self.platform) < oldest
        except ConnectorError:
            return False

    def guarded(
        self, mark: Watermark, read: Callable[[dict[str, Any]], bool]
    ) -> Callable[[dict[str, Any]], bool]:
        """`read`, except that an item it cannot read is skipped with a warning (and counted
        as new): one bad comment must not block every comment behind it."""

        def guarded_read(item: dict[str, Any]) -> bool:
            try:
                return read(item)
            except MalformedResponse as exc:
                if item["id"] not in mark.recent:
                    self._skipped.append(f"skipped {item['id']}: {exc}")
                    mark.skip(item["id"])
                return True

        return guarded_read

    @abstractmethod
    async def read_object(self, item: dict[str, Any], mark: Watermark) -> list[IncomingMessage]:
        """The new messages on one post or media (its comments; a visitor post itself)."""

    async def read_edge(
        self,
        edge: Any,
        path: str,
        mark: Watermark,
        take: Callable[[dict[str, Any]], bool],
        *,
        needs: str | None = None,
        **params: str,
    ) -> None:
        """Give each item of the nested `edge` to `take` (True when it was new), and page on
        under `path` only while a whole page was new: comments and messages come newest first.
        """
        for _ in range(MORE_PAGES + 1):
            items = data_list(edge, self.platform, path)
            fresh = [take(item) for item in items].count(True)
            after = more_pages(edge)
            if not after or fresh < len(items) or mark.first_run:
                return
            edge = await self.graph.get(
                path, needs=needs or self.read_permission, after=after, **params
            )

    # -- conversations in ------------------------------------------------------------------------
    async def read_conversations(
        self, mark: Watermark, messages: list[IncomingMessage], warnings: list[str]
    ) -> None:
        """Append the DMs after `mark`, each answering the one before it in its conversation,
        so that a customer's answer to our private reply joins the thread that reply is in.

        A token without the messaging permission loses only the DMs: a warning says so.
        """
        fields = f"id,updated_time,messages.limit({MESSAGES_PER_CONVERSATION}){{{MESSAGE_FIELDS}}}"
        try:
            async for page in self.graph.pages(
                f"{self.owner_id}/conversations",
                needs=self.messaging_permission,
                max_pages=1 if mark.first_run else CONVERSATION_PAGES,
                fields=fields,
                **self.conversation_params,
            ):
                stale = False
                for conversation in page:
                    updated = conversation.get("updated_time")
                    if mark.lower and updated and graph_time(updated, self.platform) < mark.lower:
                        stale = True  # newest first: the rest has nothing new either
                        break
                    messages.extend(await self._conversation(conversation, mark))
                if stale:
                    return
        except (MissingPermission, RequestRejected) as exc:
            warnings.append(f"direct messages not read: {exc}")

    async def _conversation(
        self, conversation: dict[str, Any], mark: Watermark
    ) -> list[IncomingMessage]:
        timed: list[tuple[datetime, dict[str, Any]]] = []

        def take(item: dict[str, Any]) -> bool:
            created = graph_time(item.get("created_time"), self.platform)
            timed.append((created, item))
            return mark.admits(item["id"], created)

        await self.read_edge(
            conversation.get("messages", {"data": []}),
            f"{conversation['id']}/messages",
            mark,
            self.guarded(mark, take),
            needs=self.messaging_permission,
            fields=MESSAGE_FIELDS,
            limit=str(MESSAGES_PER_CONVERSATION),
        )
        items = sorted(timed, key=lambda pair: (pair[0], pair[1]["id"]))
        found: list[IncomingMessage] = []
        previous: str | None = None
        for created, item in items:
            remote_id = item["id"]
            if mark.claim(remote_id, created):
                found.append(self._dm(item, created, conversation["id"], previous))
            previous = remote_id
        return found

    def _dm(
        self, item: dict[str, Any], created: datetime, conversation: str, previous: str | None
    ) -> IncomingMessage:
        ours = self.is_ours(item.get("from"))
        sender, sender_name = person(item.get("from"))
        customer = person(item.get("to"))[0] if ours else sender
        return IncomingMessage(
            remote_id=item["id"],
            author=sender or "unknown",
            author_name=sender_name,
            text=text_of(item.get("message")) or "[attachment]",
            created_at=created,
            direction=Direction.OUT if ours else Direction.IN,
            in_reply_to=previous,
            is_private=True,
            extra={
                "kind": "message",
                "conversation_id": conversation,
                "recipient_id": customer,
                "created_time": created.isoformat(),
            },
        )

    # -- replies out ---------------------------------------------------------------------------
    @staticmethod
    def is_dm(reply: OutgoingReply) -> bool:
        """A DM: an escalation, or any answer inside a DM conversation."""
        return reply.private or reply.reply_to_extra.get("kind") == "message"

    @staticmethod
    def reply_target(reply: OutgoingReply) -> str:
        """The object our comment goes under (one level deep: a top-level comment or a post)."""
        return reply.reply_to_extra.get("reply_to") or reply.in_reply_to

    async def send(self, reply: OutgoingReply) -> SentReply:
        """A comment under the customer's (or a DM when `is_dm`).

        Graph has no idempotency key: after a lost answer, call `confirm` before any retry.
        """
        if self.is_dm(reply):
            return await self.send_private(reply)
        answer = await self.graph.post(
            f"{self.reply_target(reply)}/{self.reply_edge}",
            {"message": reply.text},
            needs=self.write_permission,
        )
        comment_id = answer.get("id")
        expect(isinstance(comment_id, str) and bool(comment_id), self.platform, "no comment id")
        return SentReply(remote_id=str(comment_id))

    async def confirm(self, reply: OutgoingReply) -> SentReply | None:
        """Our comment (or DM) with this text, if a send whose answer was lost landed after
        all; None when it is not there. Raises `ConnectorError` when Graph cannot be asked."""
        if self.is_dm(reply):
            return await self.confirm_private(reply)
        path = f"{self.reply_target(reply)}/{self.reply_edge}"
        async for page in self.graph.pages(
            path, needs=self.read_permission, max_pages=3, **self.confirm_params
        ):
            for item in page:
                ours = self.is_ours(item.get("from")) or self.is_ours(item.get("user"))
                if ours and same_text(item.get(self.text_key), reply.text):
                    return SentReply(remote_id=item["id"])
        return None

    # -- private replies and DMs out -----------------------------------------------------------
    async def send_private(self, reply: OutgoingReply) -> SentReply:
        """A DM to the customer: a private reply to their comment, or an answer in their
        conversation; refused with `PrivateReplyRefused` once its window has closed."""
        extra = reply.reply_to_extra
        kind = extra.get("kind", "comment")
        written = self._written_at(extra)
        age = datetime.now(UTC) - written if written else timedelta(0)
        if kind == "message":
            recipient_id = extra.get("recipient_id", "")
            if age > MESSAGING_WINDOW or not recipient_id:
                raise PrivateReplyRefused(
                    f"{self.platform}: the customer last wrote more than 24 hours ago; "
                    "Messenger's 24-hour window is closed until they write again"
                )
            recipient: dict[str, str] = {"id": recipient_id}
        else:
            if age > PRIVATE_REPLY_WINDOW:
                raise PrivateReplyRefused(
                    f"{self.platform}: the comment is more than 7 days old, too old for a "
                    "private reply; Messenger's 24-hour window applies, so the customer must "
                    "write to us first"
                )
            recipient = {"post_id" if kind == "post" else "comment_id": reply.in_reply_to}
        body: dict[str, Any] = {"recipient": recipient, "message": {"text": reply.text}}
        if kind == "message":
            body["messaging_type"] = "RESPONSE"
        answer = await self.graph.post(
            f"{self.owner_id}/messages", body, needs=self.messaging_permission
        )
        message_id = answer.get("message_id")
        expect(isinstance(message_id, str) and bool(message_id), self.platform, "no message_id")
        return SentReply(remote_id=str(message_id))

    def _written_at(self, extra: Mapping[str, str]) -> datetime | None:
        stamp = extra.get("created_time")
        if not stamp:
            return None
        try:
            return graph_time(stamp, self.platform)
        except ConnectorError:
            return None

    async def confirm_private(self, reply: OutgoingReply) -> SentReply | None:
        """Our DM with this text in the customer's conversation (or the newest few), if any."""
        params = dict(self.conversation_params)
        recipient = reply.reply_to_extra.get("recipient_id")
        if recipient:
            params["user_id"] = recipient
        page = await self.graph.get(
            f"{self.owner_id}/conversations",
            needs=self.messaging_permission,
            fields=f"id,messages.limit({MESSAGES_PER_CONVERSATION}){{{MESSAGE_FIELDS}}}",
            limit="10",
            **params,
        )
        for conversation in data_list(page, self.platform, "conversations"):
            edge = conversation.get("messages", {"data": []})
            for item in data_list(edge, self.platform, "conversation messages"):
                if self.is_ours(item.get("from")) and same_text(item.get("message"), reply.text):
                    return SentReply(remote_id=item["id"])
        return None


def same_text(found: Any, sent: str) -> bool:
    """Graph may trim what we sent; compare without outer whitespace."""
    return isinstance(found, str) and found.strip() == sent.strip()


def more_pages(edge: Any) -> str | None:
    """The `after` cursor of a nested edge that has a next page."""
    return next_cursor(edge) if isinstance(edge, dict) else None
