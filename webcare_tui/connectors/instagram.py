"""Instagram business account: comments on the account's media in; replies and private replies
out.

One poll reads the newest media of `/{ig-user-id}/media` with their newest comments and those
comments' replies nested, and pages a media's comments further only while they are all new.
Instagram nests one level: only a top-level comment takes replies, so a reply to a reply goes
under its top-level comment, and every reply joins the thread of its top-level comment.
Comments the account wrote itself (Graph gives `user`/`from` with our id only on those) are
ours (OUT). DMs come from `/{ig-user-id}/conversations?platform=instagram` where the token may
read them. @mentions in other people's posts are not listed anywhere: Meta sends them only by
webhook, so this connector does not see them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from webcare_tui.connectors.graph import GraphId, GraphOptions, graph_time
from webcare_tui.connectors.graph_base import GraphConnector, text_of
from webcare_tui.connectors.graph_cursor import Watermark
from webcare_tui.core.length import LengthRule
from webcare_tui.core.model import Direction, IncomingMessage

__all__ = ["InstagramConnector", "InstagramOptions"]

PLATFORM = "instagram"
COMMENT_LIMIT = 2200  # characters, as Instagram counts them
COMMENTS_PER_PAGE = 50
READ = "instagram_basic and instagram_manage_comments"
WRITE = "instagram_manage_comments"
REPLY_FIELDS = "id,text,timestamp,username,from{id,username},user{id}"
COMMENT_FIELDS = f"{REPLY_FIELDS},replies.limit({COMMENTS_PER_PAGE}){{{REPLY_FIELDS}}}"
MEDIA_FIELDS = (
    f"id,caption,timestamp,permalink,comments.limit({COMMENTS_PER_PAGE}){{{COMMENT_FIELDS}}}"
)


class InstagramOptions(GraphOptions, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """`ig_user_id`: the Instagram business account's id (not the username); and the Graph
    keys (`token_env`, `graph_url`, `api_version`)."""

    ig_user_id: GraphId


class InstagramConnector(GraphConnector):
    """An Instagram business (or creator) account, through a Facebook Page's token."""

    type: ClassVar[str] = "instagram"
    Options = InstagramOptions
    options: InstagramOptions
    length_rule: ClassVar[LengthRule] = LengthRule("plain", COMMENT_LIMIT)
    platform: ClassVar[str] = PLATFORM
    owner_key: ClassVar[str] = "ig_user_id"
    read_permission: ClassVar[str] = READ
    write_permission: ClassVar[str] = WRITE
    messaging_permission: ClassVar[str] = "instagram_manage_messages"
    conversation_params: ClassVar[dict[str, str]] = {"platform": "instagram"}
    reply_edge: ClassVar[str] = "replies"
    text_key: ClassVar[str] = "text"
    listing_edge: ClassVar[str] = "media"
    listing_time_key: ClassVar[str] = "timestamp"
    listing_fields: ClassVar[str] = MEDIA_FIELDS
    confirm_params: ClassVar[dict[str, str]] = {
        "fields": REPLY_FIELDS,
        "limit": str(COMMENTS_PER_PAGE),
    }

    async def read_object(self, item: dict[str, Any], mark: Watermark) -> list[IncomingMessage]:
        found: list[IncomingMessage] = []
        replies: list[tuple[str, Any]] = []

        def take(comment: dict[str, Any]) -> bool:
            replies.append((comment["id"], comment.get("replies", {"data": []})))
            return self._comment(comment, item, None, mark, found)

        await self.read_edge(
            item.get("comments", {"data": []}),
            f"{item['id']}/comments",
            mark,
            self.guarded(mark, take),
            fields=COMMENT_FIELDS,
            limit=str(COMMENTS_PER_PAGE),
        )
        for top_id, edge in replies:

            def take_reply(answer: dict[str, Any], top_id: str = top_id) -> bool:
                return self._comment(answer, item, top_id, mark, found)

            await self.read_edge(
                edge,
                f"{top_id}/replies",
                mark,
                self.guarded(mark, take_reply),
                fields=REPLY_FIELDS,
                limit=str(COMMENTS_PER_PAGE),
            )
        return found

    def _comment(
        self,
        comment: dict[str, Any],
        media: dict[str, Any],
        top_id: str | None,
        mark: Watermark,
        found: list[IncomingMessage],
    ) -> bool:
        """Hand `comment` over if it is new; whether it was."""
        created = graph_time(comment.get("timestamp"), PLATFORM)
        if not mark.claim(comment["id"], created):
            return False
        ours = self.is_ours(comment.get("from")) or self.is_ours(comment.get("user"))
        if not (ours and top_id is None):  # our own top-level comment answers nobody
            found.append(self._message(comment, created, media, top_id, ours))
        return True

    def _message(
        self,
        comment: dict[str, Any],
        created: datetime,
        media: dict[str, Any],
        top_id: str | None,
        ours: bool,
    ) -> IncomingMessage:
        username = text_of(comment.get("username"))
        if not username and isinstance(comment.get("from"), dict):
            username = text_of(comment["from"].get("username"))
        return IncomingMessage(
            remote_id=comment["id"],
            author=username or "unknown",
            text=text_of(comment.get("text")),
            created_at=created,
            direction=Direction.OUT if ours else Direction.IN,
            in_reply_to=top_id,
            url=text_of(media.get("permalink")) or None,
            extra={
                "kind": "comment",
                "media_id": media["id"],
                "reply_to": top_id or comment["id"],
                "created_time": created.isoformat(),
            },
        )
