"""The slice of the Instagram Graph API the connector uses: the account's media with comments and
their replies nested, a media's comments, a comment's replies, replying to a top-level comment,
and (from `FakeGraph`) conversations and private replies. Media, comments and replies are built
from the recorded `medias_p1.json`, `ig_comment.json` and `ig_reply.json`: newest first,
`timestamp`, `username` always, `user {id}` only on the account's own comments."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.fakes.graph import (
    VERSION,
    FakeGraph,
    fixture,
    graph_connector,
    graph_error,
    nested_limit,
)
from tests.fakes.server import FakeServer, Reply, Request, serving
from webcare_tui.connectors.instagram import InstagramConnector, InstagramOptions

IG_USER_ID = "17841406338772941"  # the recorded account ikroskun
USERNAME = "ikroskun"
COMMENT_LIMIT = 2200


class FakeInstagram(FakeGraph):
    connector = "acme-ig"
    channel = "instagram"

    def __init__(self) -> None:
        super().__init__(IG_USER_ID, USERNAME)
        self.media: list[dict[str, Any]] = []  # newest first
        self.comments: dict[str, list[dict[str, Any]]] = {}  # top-level, by media, newest first
        self.replies: dict[str, list[dict[str, Any]]] = {}  # by top-level comment, newest first
        self._media_template = fixture("instagram", "medias_p1.json")["data"][0]
        self._comment_template = fixture("instagram", "ig_comment.json")
        self._reply_template = fixture("instagram", "ig_reply.json")

    # -- test helpers -------------------------------------------------------------------------
    def add_media(self, *, ago: timedelta | None = None) -> dict[str, Any]:
        """A post of the account's, made `ago` before the clock (else now)."""
        media = copy.deepcopy(self._media_template)
        media.update(id=self.next_id(), timestamp=self.tick(ago), caption="New in store")
        self.media.insert(0, media)
        self.media.sort(key=lambda m: str(m["timestamp"]), reverse=True)  # newest first
        self.comments[media["id"]] = []
        self.objects[media["id"]] = media
        return media

    def _shape(
        self, template: dict[str, Any], media: dict[str, Any], text: str, by: tuple[str, str]
    ) -> dict[str, Any]:
        item = copy.deepcopy(template)
        item.pop("replies", None)
        item.update(id=self.next_id(), text=text, username=by[1], media={"id": media["id"]})
        item["from"] = {"id": by[0], "username": by[1]}
        if by[0] == IG_USER_ID:
            item["user"] = {"id": IG_USER_ID}
        else:
            item.pop("user", None)
        return item

    def add_comment(
        self,
        media: dict[str, Any],
        text: str,
        *,
        by: tuple[str, str] = ("17841400000000123", "yjmjump"),
        ago: timedelta | None = None,
    ) -> dict[str, Any]:
        comment = self._shape(self._comment_template, media, text, by)
        comment["timestamp"] = self.tick(ago)
        self.comments[media["id"]].insert(0, comment)
        self.replies[comment["id"]] = []
        self.objects[comment["id"]] = comment
        return comment

    def add_reply(
        self, comment: dict[str, Any], text: str, *, by: tuple[str, str] = ("178414", "yjmjump")
    ) -> dict[str, Any]:
        media = self.objects[comment["media"]["id"]]
        reply = self._shape(self._reply_template, media, text, by)
        reply["timestamp"] = self.tick()
        self.replies[comment["id"]].insert(0, reply)
        self.objects[reply["id"]] = reply
        return reply

    def ours(self) -> list[dict[str, Any]]:
        return [r for rs in self.replies.values() for r in rs if r["from"]["id"] == IG_USER_ID]

    # -- the API ------------------------------------------------------------------------------
    def route(self, request: Request, parts: list[str]) -> Reply | None:
        fields = request.arg("fields") or ""
        if parts == [IG_USER_ID, "media"] and request.method == "GET":
            media = [self._with_comments(m, fields) for m in self.media]
            return self.ok(self.page(media, request, f"{IG_USER_ID}/media"))
        if len(parts) != 2 or parts[0] not in self.objects:
            return None
        target, edge = self.objects[parts[0]], parts[1]
        path = "/".join(parts)
        if edge == "comments" and request.method == "GET" and target["id"] in self.comments:
            comments = [self._with_replies(c, fields) for c in self.comments[target["id"]]]
            return self.ok(self.page(comments, request, path))
        if edge == "replies" and request.method == "GET" and target["id"] in self.replies:
            return self.ok(self.page(self.replies[target["id"]], request, path))
        if edge == "replies" and request.method == "POST":
            return self._reply_to(target, request.json())
        return None

    def _with_comments(self, media: dict[str, Any], fields: str) -> dict[str, Any]:
        shaped = dict(media)
        if "comments" in fields:
            limit = nested_limit(fields, "comments")
            comments = [self._with_replies(c, fields) for c in self.comments[media["id"]]]
            shaped["comments"] = self.slice(comments, f"{media['id']}/comments", 0, limit)
        return shaped

    def _with_replies(self, comment: dict[str, Any], fields: str) -> dict[str, Any]:
        shaped = dict(comment)
        if "replies" in fields and self.replies[comment["id"]]:
            limit = nested_limit(fields, "replies")
            path = f"{comment['id']}/replies"
            shaped["replies"] = self.slice(self.replies[comment["id"]], path, 0, limit)
        return shaped

    def _reply_to(self, target: dict[str, Any], body: dict[str, Any]) -> Reply:
        self.sent.append(body)
        text = str(body.get("message", ""))
        if target["id"] not in self.replies:
            return graph_error(100, "Invalid parameter: replies can only be made to comments")
        if len(text) > COMMENT_LIMIT:
            return graph_error(100, "The comment is too long")
        reply = self.add_reply(target, text, by=(IG_USER_ID, USERNAME))
        return self.ok({"id": reply["id"]})

    def author_of(self, item: dict[str, Any]) -> tuple[str, str]:
        who = item.get("from") or {}
        return str(who.get("id", "")), str(item.get("username") or "")


@pytest.fixture
def instagram() -> Iterator[tuple[FakeInstagram, FakeServer]]:
    """The fake Instagram account on a real local server."""
    yield from serving(FakeInstagram())


def instagram_connector(
    server: FakeServer, http: httpx.AsyncClient, **environ: str
) -> InstagramConnector:
    """An Instagram connector `acme-ig` pointed at `server`, with the fake's token."""
    return graph_connector(
        InstagramConnector,
        FakeInstagram,
        InstagramOptions(
            graph_url=server.base_url + "/",
            api_version=VERSION,
            ig_user_id=IG_USER_ID,
            token_env="ACME_IG_TOKEN",
        ),
        http,
        environ,
    )
