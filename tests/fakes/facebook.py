"""The slice of the Graph API a Facebook Page connector uses: the feed with comments nested,
a post's comments (`filter=stream`, either order), comments written as the Page, and (from
`FakeGraph`) Messenger conversations and private replies. Posts and comments are built from the
recorded `feeds_default_fields_p1.json`, and `comment.json`."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.fakes.graph import FakeGraph, fixture, graph_connector, graph_error, nested_limit
from tests.fakes.server import FakeServer, Reply, Request, serving
from webcare_tui.connectors.facebook import FacebookConnector, FacebookOptions

PAGE_ID = "2121008874780932"  # the recorded test Page "MyLife"
PAGE_NAME = "MyLife"
COMMENT_LIMIT = 8000


class FakeFacebook(FakeGraph):
    connector = "acme-fb"
    channel = "facebook"

    def __init__(self) -> None:
        super().__init__(PAGE_ID, PAGE_NAME)
        self.posts: list[dict[str, Any]] = []  # newest first, as the feed lists them
        self.comments: dict[str, list[dict[str, Any]]] = {}  # by post, oldest first
        self._post_template = fixture("facebook", "feeds_default_fields_p1.json")["data"][0]
        self._comment_template = fixture("facebook", "comment.json")

    # -- test helpers -------------------------------------------------------------------------
    def add_post(
        self,
        text: str = "Our autumn sale starts today!",
        *,
        by: tuple[str, str] | None = None,
        ago: timedelta | None = None,
    ) -> dict[str, Any]:
        """A post on the Page (made `ago` before the clock, else now): the Page's own, or a
        visitor's when `by` is (id, name)."""
        post = copy.deepcopy(self._post_template)
        for key in ("comments", "reactions", "like", "love", "wow", "haha", "sad", "angry"):
            post.pop(key, None)
        post_id = f"{PAGE_ID}_{self.next_id()}"
        who = by or (PAGE_ID, PAGE_NAME)
        post.update(
            id=post_id,
            message=text,
            created_time=self.tick(ago),
            permalink_url=f"https://www.facebook.com/{PAGE_ID}/posts/{post_id.split('_')[1]}/",
            **{"from": {"id": who[0], "name": who[1]}},
        )
        post["updated_time"] = post["created_time"]
        self.posts.insert(0, post)
        self.posts.sort(key=lambda p: str(p["created_time"]), reverse=True)  # newest first
        self.comments[post_id] = []
        self.objects[post_id] = post
        return post

    def add_comment(
        self,
        post: dict[str, Any],
        text: str,
        *,
        by: tuple[str, str] = ("2711636948859886", "Kun Liu"),
        parent: dict[str, Any] | None = None,
        ago: timedelta | None = None,
    ) -> dict[str, Any]:
        comment = copy.deepcopy(self._comment_template)
        bare = post["id"].split("_")[1]
        comment_id = f"{bare}_{self.next_id()}"
        link = f"https://www.facebook.com/{PAGE_ID}/posts/{bare}/?comment_id={comment_id}"
        comment.update(
            id=comment_id,
            message=text,
            created_time=self.tick(ago),
            permalink_url=link,
            **{"from": {"id": by[0], "name": by[1]}},
        )
        del comment["attachment"]
        if parent is not None:
            comment["parent"] = {"id": parent["id"]}
        self.comments[post["id"]].append(comment)
        self.comments[post["id"]].sort(key=lambda c: str(c["created_time"]))
        post["updated_time"] = max(str(post["updated_time"]), comment["created_time"])
        self.objects[comment_id] = comment
        return comment

    def ours(self) -> list[dict[str, Any]]:
        """Comments written in the Page's name."""
        return [c for cs in self.comments.values() for c in cs if c["from"]["id"] == PAGE_ID]

    # -- the API ------------------------------------------------------------------------------
    def route(self, request: Request, parts: list[str]) -> Reply | None:
        if parts == [PAGE_ID, "feed"] and request.method == "GET":
            return self.ok(self._feed(request))
        if len(parts) == 2 and parts[1] == "comments":
            target = self.objects.get(parts[0])
            if target is None:
                return None
            if request.method == "POST":
                return self._comment_on(target, request.json())
            return self.ok(self.page(self._under(target, request), request, "/".join(parts)))
        return None

    def _post_of(self, item: dict[str, Any]) -> str:
        return next(p for p, cs in self.comments.items() if item in cs or p == item["id"])

    def _under(self, target: dict[str, Any], request: Request) -> list[dict[str, Any]]:
        """A post's comments (`filter=stream`: replies too) or a comment's replies."""
        if target["id"] in self.comments:
            items = self.comments[target["id"]]
            if request.arg("filter") != "stream":
                items = [c for c in items if "parent" not in c]
        else:
            items = [
                c
                for c in self.comments[self._post_of(target)]
                if c.get("parent", {}).get("id") == target["id"]
            ]
        order = request.arg("order", "chronological")
        return list(reversed(items)) if order == "reverse_chronological" else list(items)

    def _feed(self, request: Request) -> dict[str, Any]:
        fields = request.arg("fields") or ""
        limit = nested_limit(fields, "comments")
        posts = []
        for post in self.posts:
            shaped = dict(post)
            if "comments" in fields:
                stream = list(reversed(self.comments[post["id"]]))  # stream, newest first
                shaped["comments"] = self.slice(stream, f"{post['id']}/comments", 0, limit)
            posts.append(shaped)
        return self.page(posts, request, f"{PAGE_ID}/feed")

    def _comment_on(self, target: dict[str, Any], body: dict[str, Any]) -> Reply:
        self.sent.append(body)
        text = str(body.get("message", ""))
        if len(text) > COMMENT_LIMIT:
            return graph_error(100, "Param message must be at most 8000 characters long.")
        if "parent" in target:
            target = self.objects[target["parent"]["id"]]  # Facebook nests one level
        if target["id"] in self.comments:
            post, parent = target, None
        else:
            post, parent = self.objects[self._post_of(target)], target
        comment = self.add_comment(post, text, by=(PAGE_ID, PAGE_NAME), parent=parent)
        return self.ok({"id": comment["id"]})


@pytest.fixture
def facebook() -> Iterator[tuple[FakeFacebook, FakeServer]]:
    """The fake Page on a real local server."""
    yield from serving(FakeFacebook())


def facebook_connector(
    server: FakeServer, http: httpx.AsyncClient, **environ: str
) -> FacebookConnector:
    """A Facebook connector `acme-fb` pointed at `server`, with the fake's token."""
    return graph_connector(
        FacebookConnector,
        FakeFacebook,
        FacebookOptions(graph_url=server.base_url, page_id=PAGE_ID, token_env="ACME_FB_TOKEN"),
        http,
        environ,
    )
