"""X (API v2): the account's mentions and DMs in, replies out as posts, escalations as DMs.

Cursor (`XCursor`, JSON): the newest mention and DM event seen. Each poll asks for mentions
`since_id` a little before the newest one (X's index can show a post later than newer ones;
the store drops what it already has) and pages back with `pagination_token`; a poll that finds
more than `PAGES` pages leaves the rest as a backlog (`since_id`..`until_id`) that the next
polls read first. DM events have no `since_id`: they are paged back until the newest seen.

X has no idempotency key: a send whose answer was lost is looked for with `confirm` (our own
timeline, or the DM conversation) before anything is sent again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, ClassVar

from webcare_tui.connectors.base import (
    Connector,
    ConnectorOptions,
    FetchResult,
    MalformedResponse,
    OutgoingReply,
    SentReply,
)
from webcare_tui.connectors.http_errors import expect, parse_json, platform_time, request
from webcare_tui.connectors.x_auth import XOptions, XTokens
from webcare_tui.connectors.x_http import error_for_x
from webcare_tui.connectors.x_parse import (
    DM_FIELDS,
    TWEET_FIELDS,
    USER_FIELDS,
    Page,
    XCursor,
    newest_id,
    parse_dm,
    parse_page,
    parse_post,
    since_with_overlap,
)
from webcare_tui.connectors.x_token_file import TokenFile
from webcare_tui.core.length import LengthRule, X
from webcare_tui.core.model import Direction, IncomingMessage

__all__ = ["XConnector", "XOptions", "same_text"]

PLATFORM = "x"
PAGE_SIZE = 100  # the most X gives per page (mentions 5-100, DM events 1-100)
PAGES = 10  # per poll; more is left as a backlog (mentions) for the next polls
DM_PAGES = 5
OVERLAP = timedelta(minutes=1)
CONFIRM_WINDOW = 100  # our newest posts (or DM events) searched for a reply whose answer was lost

_URL = re.compile(r"https?://\S+")
_LEADING_MENTIONS = re.compile(r"^(?:@\w+\s+)+")


def same_text(posted: str, ours: str) -> bool:
    """Whether a post X shows is the text we sent: X escapes `&<>`, wraps every link in t.co
    and may put the replied-to handles in front."""

    def plain(text: str) -> str:
        text = _URL.sub("<link>", html.unescape(text))
        return " ".join(_LEADING_MENTIONS.sub("", text.strip()).split()).casefold()

    return plain(posted) == plain(ours)


class XConnector(Connector):
    """An X account: its mentions and DMs in, replies out as posts and DMs."""

    type: ClassVar[str] = "x"
    Options = XOptions
    length_rule: ClassVar[LengthRule] = X
    idempotent_send: ClassVar[bool] = False
    options: XOptions
    _user_id: str | None = None  # ours, from the config or asked once
    _username: str | None = None

    @property
    def base_url(self) -> str:
        return self.options.base_url.rstrip("/")

    @classmethod
    def check_options(cls, options: ConnectorOptions, environ: Mapping[str, str]) -> list[str]:
        warnings = super().check_options(options, environ)
        if isinstance(options, XOptions) and options.user_id is None:
            warnings.append("user_id: not set; X is asked for it (GET /2/users/me) once per run")
        return warnings

    # -- plumbing ------------------------------------------------------------------------------
    _token_file: TokenFile | None = None

    def use_state_dir(self, directory: Path) -> None:
        """Keep the token pair each refresh gives (X rotates refresh tokens) in a file there."""
        slug = re.sub(r"[^A-Za-z0-9._-]", "_", self.name)
        self._token_file = TokenFile(directory / f"x-tokens-{slug}.json")

    @cached_property
    def _tokens(self) -> XTokens:
        return XTokens(self.options, self.environ, self.name, self._token_file)

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        for attempt in range(2):
            token = self._tokens.access()
            response = await request(
                self.http,
                method,
                f"{self.base_url}{path}",
                platform=PLATFORM,
                secrets=self._tokens.secrets(),
                check=False,
                headers={"Authorization": f"Bearer {token}"},
                **kwargs,
            )
            # A 401 is refused before X does anything, so even a write may go again.
            if response.status_code == 401 and attempt == 0 and self._tokens.can_refresh:
                await self._tokens.refresh(self.http, self.base_url)
                continue
            break
        error = error_for_x(response, self.name, self.options.token_env, self._tokens.secrets())
        if error is not None:
            raise error
        return parse_json(response, PLATFORM)

    async def _page(self, path: str, params: dict[str, str]) -> Page:
        return parse_page(await self._call("GET", path, params=params))

    async def _walk(
        self,
        path: str,
        params: dict[str, str],
        pages: int,
        reached: Callable[[list[dict[str, Any]]], bool],
    ) -> Page:
        """Up to `pages` pages of `path` (X lists newest first), stopping after the first page
        whose items `reached` what an earlier poll read: all their items and users, and the
        `next_token` still to read when the pages ran out before that."""
        items: list[dict[str, Any]] = []
        users: dict[str, dict[str, Any]] = {}
        warnings: list[str] = []
        skipped: list[tuple[str, str]] = []
        token: str | None = None
        for _ in range(pages):
            page = await self._page(
                path, {**params, **({"pagination_token": token} if token else {})}
            )
            items += page.items
            users.update(page.users)
            warnings += page.warnings
            skipped += page.skipped
            token = None if reached(page.items) else page.next_token
            if not token:
                break
        return Page(items, users, token, warnings, skipped)

    async def _me(self) -> str:
        """Our own user id: from the config, else asked once."""
        self._user_id = self._user_id or self.options.user_id
        if self._user_id is None:
            data = _data(await self._call("GET", "/2/users/me"))
            user_id, username = data.get("id"), data.get("username")
            expect(isinstance(user_id, str) and user_id.isdigit(), PLATFORM, "users/me id")
            self._user_id = str(user_id)
            self._username = username if isinstance(username, str) else None
        return self._user_id

    # -- reading -------------------------------------------------------------------------------
    async def fetch(self, cursor: str | None) -> FetchResult:
        """New mentions and DM events since `cursor` (the newest page of each on a first run),
        oldest first."""
        state = XCursor.load(cursor)
        brand = await self._me()
        warnings: list[str] = []
        skipped: list[tuple[str, str]] = []
        messages = await self._mentions(brand, state, warnings, skipped)
        messages += await self._direct_messages(brand, state, warnings, skipped)
        messages.sort(key=lambda m: (m.created_at, int(m.remote_id)))
        warnings += [f"skipped X item {remote_id}: {why}" for remote_id, why in skipped]
        if self._tokens.unsaved:
            warnings.append(self._tokens.unsaved)
        return FetchResult(messages, state.dump(), warnings, skipped)

    async def _mentions(
        self, brand: str, state: XCursor, warnings: list[str], skipped: list[tuple[str, str]]
    ) -> list[IncomingMessage]:
        first_run, seen = state.mention is None, state.mention
        window: dict[str, str] = {}
        if state.backlog:
            window = {"since_id": state.backlog[0], "until_id": state.backlog[1]}
        elif state.mention:
            window = {"since_id": since_with_overlap(state.mention, OVERLAP)}
        params = {
            "max_results": str(PAGE_SIZE),
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": USER_FIELDS,
            **window,
        }
        # Once a page reaches into the overlap, older pages hold nothing new.
        overlap = int(seen) if seen and not state.backlog else None
        walked = await self._walk(
            f"/2/users/{brand}/mentions",
            params,
            1 if first_run else PAGES,
            lambda posts: overlap is not None and any(int(p["id"]) <= overlap for p in posts),
        )
        warnings += walked.warnings
        skipped += walked.skipped
        posts, users = walked.items, walked.users
        ids = [p["id"] for p in posts]
        if walked.next_token and not first_run and ids:
            state.backlog = (window["since_id"], min(ids, key=int))
        else:
            state.backlog = None
        state.mention = newest_id(state.mention, *ids)
        return _parsed(
            posts, lambda post: _ours_only_in_a_thread(parse_post(post, users, brand)), skipped
        )

    async def _direct_messages(
        self, brand: str, state: XCursor, warnings: list[str], skipped: list[tuple[str, str]]
    ) -> list[IncomingMessage]:
        stop = since_with_overlap(state.dm, OVERLAP) if state.dm else None
        params = {
            "max_results": str(PAGE_SIZE),
            "event_types": "MessageCreate",
            "dm_event.fields": DM_FIELDS,
            "expansions": "sender_id",
            "user.fields": USER_FIELDS,
        }
        walked = await self._walk(
            "/2/dm_events",
            params,
            DM_PAGES if state.dm else 1,
            lambda page: stop is not None and any(int(e["id"]) <= int(stop) for e in page),
        )
        warnings += walked.warnings
        skipped += walked.skipped
        events, users = walked.items, walked.users
        if state.dm and walked.next_token:
            warnings.append(
                f"X: more than {DM_PAGES * PAGE_SIZE} DM events since the last poll; "
                "the oldest of them were not read"
            )
        if stop:
            events = [e for e in events if int(e["id"]) > int(stop)]
        events.sort(key=lambda e: int(e["id"]))
        state.dm = newest_id(state.dm, *(e["id"] for e in events))
        return _parsed(events, lambda e: self._dm(e, users, brand, state), skipped)

    def _dm(
        self, event: dict[str, Any], users: dict[str, dict[str, Any]], brand: str, state: XCursor
    ) -> IncomingMessage | None:
        conversation = event.get("dm_conversation_id")
        key = conversation if isinstance(conversation, str) and conversation else None
        before = state.conversations.get(key) if key else None
        previous = before if before and int(before) < int(event["id"]) else None
        message = parse_dm(event, users, brand, previous)
        if key and (before is None or int(before) < int(event["id"])):
            state.conversations[key] = event["id"]
        if message.direction is Direction.OUT and previous is None:
            return None  # our DM that opens a conversation: the outbox stored it in its thread
        return message

    # -- writing -------------------------------------------------------------------------------
    async def send(self, reply: OutgoingReply) -> SentReply:
        """Post `reply` as a reply to the customer's post, or as a DM when `reply.private`.

        X has no idempotency key: after a lost answer call `confirm`, never `send` blindly.
        """
        if reply.private:
            participant = await self._participant(reply)
            body = await self._call(
                "POST",
                f"/2/dm_conversations/with/{participant}/messages",
                json={"text": reply.text},
            )
            data = _data(body)
            event_id = data.get("dm_event_id")
            expect(isinstance(event_id, str) and event_id.isdigit(), PLATFORM, "dm_event_id")
            return SentReply(remote_id=str(event_id))
        body = await self._call(
            "POST",
            "/2/tweets",
            json={"text": reply.text, "reply": {"in_reply_to_tweet_id": reply.in_reply_to}},
        )
        post_id = _data(body).get("id")
        expect(isinstance(post_id, str) and post_id.isdigit(), PLATFORM, "the new post's id")
        return SentReply(remote_id=str(post_id), url=self._post_url(str(post_id)))

    async def confirm(self, reply: OutgoingReply) -> SentReply | None:
        """Our post replying to `reply.in_reply_to` with this text (among our newest posts), or
        our DM with this text in the customer's conversation; None when X has neither."""
        if reply.private:
            participant = await self._participant(reply)
            brand = await self._me()
            page = await self._page(
                f"/2/dm_conversations/with/{participant}/dm_events",
                {
                    "max_results": str(CONFIRM_WINDOW),
                    "event_types": "MessageCreate",
                    "dm_event.fields": DM_FIELDS,
                },
            )
            for event in page.items:
                if event.get("sender_id") == brand and same_text(
                    str(event.get("text")), reply.text
                ):
                    return SentReply(remote_id=event["id"], created_at=_time_of(event))
            return None
        brand = await self._me()
        page = await self._page(
            f"/2/users/{brand}/tweets",
            {
                "max_results": str(CONFIRM_WINDOW),
                "tweet.fields": TWEET_FIELDS,
                "exclude": "retweets",
            },
        )
        for post in page.items:
            references = post.get("referenced_tweets")
            answers = isinstance(references, list) and any(
                isinstance(r, dict)
                and r.get("type") == "replied_to"
                and r.get("id") == reply.in_reply_to
                for r in references
            )
            if answers and same_text(str(post.get("text")), reply.text):
                return SentReply(
                    remote_id=post["id"], url=self._post_url(post["id"]), created_at=_time_of(post)
                )
        return None

    async def _participant(self, reply: OutgoingReply) -> str:
        """The customer's user id: stored with their message, else looked up by handle."""
        known = reply.reply_to_extra.get("author_id", "")
        if known.isascii() and known.isdigit():
            return known
        handle = reply.customer.lstrip("@")
        if not re.fullmatch(r"\w{1,15}", handle):
            raise MalformedResponse(f"x: cannot tell the X user id of {handle[:40]!r}")
        data = _data(await self._call("GET", f"/2/users/by/username/{handle}"))
        user_id = data.get("id")
        expect(isinstance(user_id, str) and user_id.isdigit(), PLATFORM, "the user's id")
        return str(user_id)

    def _post_url(self, post_id: str) -> str:
        if self._username:
            return f"https://x.com/{self._username}/status/{post_id}"
        return f"https://x.com/i/status/{post_id}"


def _data(body: Any) -> dict[str, Any]:
    data = body.get("data") if isinstance(body, dict) else None
    expect(isinstance(data, dict), PLATFORM, "an answer without data")
    assert isinstance(data, dict)
    return data


def _ours_only_in_a_thread(message: IncomingMessage) -> IncomingMessage | None:
    """A post of our own that mentions us answers something, or it is left out: it must not
    open a thread with no customer in it."""
    if message.direction is Direction.OUT and message.in_reply_to is None:
        return None
    return message


def _time_of(item: Mapping[str, Any]) -> datetime | None:
    try:
        return platform_time(item["created_at"], PLATFORM) if "created_at" in item else None
    except MalformedResponse:
        return None


def _parsed(
    items: list[dict[str, Any]],
    parse: Callable[[dict[str, Any]], IncomingMessage | None],
    skipped: list[tuple[str, str]],
) -> list[IncomingMessage]:
    """Each item parsed; one that cannot be read is skipped (noted in `skipped`), so that it
    does not block the inbox behind it for ever."""
    messages: list[IncomingMessage] = []
    for item in items:
        try:
            message = parse(item)
        except MalformedResponse as exc:
            skipped.append((item["id"], str(exc)))
            continue
        except Exception as exc:  # a stranger's shape we did not foresee: this item only
            skipped.append((item["id"], f"unreadable ({type(exc).__name__})"))
            continue
        if message is not None:
            messages.append(message)
    return messages
