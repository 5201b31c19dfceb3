"""A real HTTP server on 127.0.0.1 for connector tests, with faults that can be switched on.

The connectors under test speak real HTTP over a real socket to this server; a platform fake
(`fake_mastodon`, `fake_bluesky`, ...) supplies `handle(request) -> Reply`. Faults queued with
`FakeServer.fail` answer the next matching requests instead of (or after) the platform.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit

from webcare_tui.connectors.base import ConnectorError


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form_or_json(self) -> dict[str, Any]:
        if self.headers.get("content-type", "").startswith("application/json"):
            return dict(self.json())
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class Reply:
    """An answer. `body` may be bytes, str or anything JSON can write."""

    status: int = 200
    body: Any = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Faults: wait (holding the connection) until the test ends; or send only part of the body;
    # or send the body one byte every `drip_every` seconds, each in time for a read timeout.
    hang: bool = False
    cut_body_at: int | None = None
    drip_every: float | None = None

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


def json_reply(body: Any, status: int = 200, **headers: str) -> Reply:
    return Reply(status, body, {"Content-Type": "application/json; charset=utf-8", **headers})


@dataclass
class _Fault:
    method: str | None
    path: str
    reply: Reply
    after: bool  # let the platform handle the request first (it "happened"), then misbehave
    skip: int = 0  # let this many matching requests through untouched first


class FakeServer:
    """ThreadingHTTPServer on an ephemeral port; use as a context manager."""

    def __init__(self, handle: Callable[[Request], Reply]) -> None:
        self.handle = handle
        self.requests: list[Request] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._platform_lock = threading.Lock()
        self._release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # one small answer must not wait for a delayed ACK

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parts.path,
                    query=parse_qs(parts.query, keep_blank_values=True),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                reply = server._answer(request)
                if reply.hang:
                    server._release.wait(10)
                    self.close_connection = True
                    return
                payload = reply.payload()
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                if reply.drip_every is not None:
                    self.end_headers()
                    for byte in payload:
                        if server._release.wait(reply.drip_every):
                            break  # the test is over
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    self.close_connection = True
                    return
                if reply.cut_body_at is not None:
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(payload[: reply.cut_body_at])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        assert isinstance(host, str)
        return f"http://{host}:{port}"

    def fail(
        self,
        path: str,
        *replies: Reply,
        method: str | None = None,
        after: bool = False,
        skip: int = 0,
    ) -> None:
        """Answer the next requests to `path` (prefix match) with `replies`, one each.

        With `skip`, that many matching requests are served normally first: a fault in the
        middle of a paged fetch.
        """
        with self._lock:
            self._faults.extend(
                _Fault(method, path, r, after, skip if i == 0 else 0) for i, r in enumerate(replies)
            )

    def calls(self, path: str, method: str | None = None) -> list[Request]:
        with self._lock:
            return [
                r
                for r in self.requests
                if r.path.startswith(path) and (method is None or r.method == method)
            ]

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            fault = next(
                (
                    f
                    for f in self._faults
                    if request.path.startswith(f.path)
                    and (f.method is None or f.method == request.method)
                ),
                None,
            )
            if fault is not None and fault.skip:
                fault.skip -= 1
                fault = None
            elif fault is not None:
                self._faults.remove(fault)
        if fault is not None and not fault.after:
            return fault.reply
        with self._platform_lock:  # platform fakes need not be thread-safe
            reply = self.handle(request)
        return fault.reply if fault is not None else reply

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()  # let hanging handlers go
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


class Fake(Protocol):
    def handle(self, request: Request) -> Reply: ...


FakeT = TypeVar("FakeT", bound=Fake)


def serving(fake: FakeT) -> Iterator[tuple[FakeT, FakeServer]]:
    """For a fixture: `fake` answering on a real local server, and told the server's
    `base_url` where it keeps one (to build links and next pages with)."""
    with FakeServer(fake.handle) as server:
        if hasattr(fake, "base_url"):
            setattr(fake, "base_url", server.base_url)  # noqa: B010  not every fake has one
        yield fake, server


def assert_secret_free(error: BaseException, *secrets: str) -> None:
    """No secret in the error's text, repr, or anything chained to it."""
    seen: BaseException | None = error
    while seen is not None:
        assert isinstance(error, ConnectorError)
        for secret in secrets:
            assert secret not in str(seen)
            assert secret not in repr(seen)
        seen = seen.__cause__ or seen.__context__
