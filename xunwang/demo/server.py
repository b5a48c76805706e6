"""A small threaded HTTP/1.1 server (keep-alive) that asks an ``App`` for each response."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


# (path, query, User-Agent) -> Response: the User-Agent lets a page cloak for search spiders.
App = Callable[[str, str, str], Response]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "GovCMS/5.0"
    timeout = 30  # idle keep-alive connections close after this
    # Without this, Nagle's algorithm meets the client's delayed ACK: ~40 ms per keep-alive request.
    disable_nagle_algorithm = True
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._respond(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(with_body=False)

    def _respond(self, *, with_body: bool) -> None:
        parts = urlsplit(self.path)
        with self.server.lock:
            self.server.hits[(self.command, self.path)] += 1
        response = self.server.app(parts.path, parts.query, self.headers.get("User-Agent", ""))
        if response.delay and self.server.stopping.wait(response.delay):
            self.close_connection = True
            return
        status, body = response.status, response.body
        extra: tuple[tuple[str, str], ...] = ()
        if status == 200 and self.server.validators:
            # Real CMSs answer conditional requests; the crawler's second patrol relies on it.
            etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
            extra = (("ETag", etag),)
            if self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
        head = [f"{self.protocol_version} {status} {HTTPStatus(status).phrase}",
                f"Server: {self.server_version}", f"Date: {self.date_time_string()}",
                f"Content-Type: {response.content_type}",
                f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}"
                 for name, value in response.headers + self.server.extra_headers + extra]
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        try:
            # One write for head and body: with TCP_NODELAY that is one segment, no 40 ms stall.
            self.wfile.write(data + body if with_body else data)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (e.g. a crawler timing out on the slow endpoint): expected.
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silent: a demo serving thousands of requests a second must not log each."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: App, stopping: threading.Event,
                 extra_headers: tuple[tuple[str, str], ...], validators: bool = True) -> None:
        super().__init__(address, _Handler)
        self.validators = validators
        self.app = app
        self.stopping = stopping
        self.extra_headers = extra_headers
        self.hits: Counter[tuple[str, str]] = Counter()
        self.lock = threading.Lock()


class Server:
    """One listening port served by a background thread."""

    def __init__(self, host: str, port: int, app: App, stopping: threading.Event,
                 extra_headers: tuple[tuple[str, str], ...] = (), *,
                 validators: bool = True) -> None:
        self._server = _Server((host, port), app, stopping, extra_headers, validators)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={
            "poll_interval": 0.1}, daemon=True, name=f"demo-site-{self.port}")

    @property
    def hits(self) -> Counter[tuple[str, str]]:
        """Requests served, by (method, path with query)."""
        return self._server.hits

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
