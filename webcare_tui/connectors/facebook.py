"""Facebook Page: comments on the Page's posts, visitor posts and Messenger conversations in;
comment replies and private replies out.

One poll reads the newest posts of `/{page-id}/feed` with their newest comments nested
(`filter(stream)` lists replies too, each with its `parent`), pages a post's comments further
only while they are all new, then reads the Page's conversations. The cursor is a `Watermark`.
A customer's top-level comment starts a thread; replies under it join it; a visitor post is a
thread of its own with every comment on it. Comments in the Page's own name are ours (OUT).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from webcare_tui.connectors.graph import GraphId, GraphOptions, graph_time
from webcare_tui.connectors.graph_base import GraphConnector, person, text_of
from webcare_tui.connectors.graph_cursor import Watermark
from webcare_tui.connectors.http_errors import expect
from webcare_tui.core.length import LengthRule
from webcare_tui.core.model import Direction, IncomingMessage

__all__ = ["FacebookConnector", "FacebookOptions"]

PLATFORM = "facebook"
COMMENT_LIMIT = 8000  # characters, as Facebook counts them
COMMENTS_PER_PAGE = 50
READ = "pages_read_engagement and pages_read_user_content"
WRITE = "pages_manage_engagement"
COMMENT_FIELDS = "id,message,created_time,from{id,name},parent{id},permalink_url,attachment"
POST_FIELDS = (
    "id,message,created_time,updated_time,from{id,name},permalink_url,"
    f"comments.filter(stream).order(reverse_chronological).limit({COMMENTS_PER_PAGE})"
    f"{{{COMMENT_FIELDS}}}"
)


def _attachment_text(item: dict[str, Any]) -> str:
    attachment = item.get("attachment")
    if not isinstance(attachment, dict):
        return ""
    link = attachment.get("url")
    kind = attachment.get("type")
    if isinstance(link, str) and link:
        return f"\n[{kind if isinstance(kind, str) else 'attachment'}] {link}"
    return ""


class FacebookOptions(GraphOptions, kw_only=True, forbid_unknown_fields=True, frozen=True):
    """`page_id`: the Page's id; and the Graph keys (`token_env`, `graph_url`, `api_version`)."""

    page_id: GraphId


class FacebookConnector(GraphConnector):
    """A Facebook Page, read and answered with a Page access token."""

    type: ClassVar[str] = "facebook"
    Options = FacebookOptions
    options: FacebookOptions
    length_rule: ClassVar[LengthRule] = LengthRule("plain", COMMENT_LIMIT)
    platform: ClassVar[str] = PLATFORM
    owner_key: ClassVar[str] = "page_id"
    read_permission: ClassVar[str] = READ
    write_permission: ClassVar[str] = WRITE
    messaging_permission: ClassVar[str] = "pages_messaging"
    reply_edge: ClassVar[str] = "comments"
    text_key: ClassVar[str] = "message"
    listing_edge: ClassVar[str] = "feed"
    listing_time_key: ClassVar[str] = "created_time"
    listing_fields: ClassVar[str] = POST_FIELDS
    confirm_params: ClassVar[dict[str, str]] = {
        "fields": "id,message,from{id},created_time",
        "filter": "stream",
        "order": "reverse_chronological",
        "limit": str(COMMENTS_PER_PAGE),
    }

    async def read_object(self, item: dict[str, Any], mark: Watermark) -> list[IncomingMessage]:
        found: list[IncomingMessage] = []
        post_id = item["id"]
        visitor = bool(person(item.get("from"))[0]) and not self.is_ours(item.get("from"))

        def take_post(post: dict[str, Any]) -> bool:
            created = graph_time(post.get("created_time"), PLATFORM)
            if mark.claim(post_id, created):
                found.append(self._visitor_post(post, created))
            return True

        if visitor:
            self.guarded(mark, take_post)(item)

        def take(comment: dict[str, Any]) -> bool:
            created = graph_time(comment.get("created_time"), PLATFORM)
            if not mark.claim(comment["id"], created):
                return False
            message = self._comment(comment, created, post_id, visitor)
            if message is not None:
                found.append(message)
            return True

        await self.read_edge(
            item.get("comments", {"data": []}),
            f"{post_id}/comments",
            mark,
            self.guarded(mark, take),
            fields=COMMENT_FIELDS,
            filter="stream",
            order="reverse_chronological",
            limit=str(COMMENTS_PER_PAGE),
        )
        return found

    def _visitor_post(self, post: dict[str, Any], created: datetime) -> IncomingMessage:
        author, name = person(post.get("from"))
        return IncomingMessage(
            remote_id=post["id"],
            author=author or "unknown",
            author_name=name,
            text=text_of(post.get("message")),
            created_at=created,
            url=text_of(post.get("permalink_url")) or None,
            extra={
                "kind": "post",
                "post_id": post["id"],
                "reply_to": post["id"],
                "created_time": created.isoformat(),
            },
        )

    def _comment(
        self, comment: dict[str, Any], created: datetime, post_id: str, visitor_post: bool
    ) -> IncomingMessage | None:
        parent = comment.get("parent")
        parent_id = parent.get("id") if isinstance(parent, dict) else None
        expect(parent_id is None or isinstance(parent_id, str), PLATFORM, "parent id")
        ours = self.is_ours(comment.get("from"))
        if parent_id:
            in_reply_to: str | None = parent_id
        elif visitor_post:
            in_reply_to = post_id  # the visitor's post is the thread
        elif ours:
            return None  # the Page commenting on its own post answers nobody
        else:
            in_reply_to = None
        author, name = person(comment.get("from"))
        return IncomingMessage(
            remote_id=comment["id"],
            author=author or "unknown",
            author_name=name,
            text=(text_of(comment.get("message")) + _attachment_text(comment)).strip(),
            created_at=created,
            direction=Direction.OUT if ours else Direction.IN,
            in_reply_to=in_reply_to,
            url=text_of(comment.get("permalink_url")) or None,
            extra={
                "kind": "comment",
                "post_id": post_id,
                # Facebook nests one level: an answer to a reply goes under the top comment.
                "reply_to": parent_id or (post_id if visitor_post else comment["id"]),
                "created_time": created.isoformat(),
            },
        )
