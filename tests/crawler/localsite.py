"""A small purpose-built site on 127.0.0.1 for crawler tests: every failure class on demand."""

from __future__ import annotations

import hashlib
import io
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = tuple[int, dict[str, str], bytes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def html(body: str, title: str = "页面", charset: str = "utf-8", head: str = "") -> bytes:
    doc = (f'<html><head><meta charset="{charset}"><title>{title}</title>{head}</head>'
           f"<body>{body}</body></html>")
    return doc.encode(charset)


def docx_bytes(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out on purpose reset connections; that is not a test failure."""


class LocalSite:
    """Serves ``routes`` (path -> (status, headers, body) or a callable) on a free port."""

    def __init__(self, routes: dict[str, Route | Callable[[], Route]], *, etags: bool = True,
                 slow: dict[str, float] | None = None) -> None:
        self.routes = routes
        self.etags = etags
        self.slow = slow or {}  # path -> seconds; "*" for every other path
        self.hits: Counter[tuple[str, str]] = Counter()
        self.log: list[tuple[float, str, str]] = []  # (time.monotonic(), method, path) on arrival
        self.inflight = 0
        self.peak_inflight = 0
        # the headers of the request being answered, per server thread: a callable route
        # reads them (site.request.headers) to answer a browser unlike a crawler
        self.request = threading.local()
        self._lock = threading.Lock()
        self.server = _QuietServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_HEAD(self) -> None:
                self._serve(head=True)

            def do_GET(self) -> None:
                self._serve(head=False)

            def _serve(self, head: bool) -> None:
                path = self.path.split("#")[0]
                with site._lock:
                    site.hits[(self.command, path)] += 1
                    site.log.append((time.monotonic(), self.command, path))
                    site.inflight += 1
                    site.peak_inflight = max(site.peak_inflight, site.inflight)
                try:
                    self._answer(path, head)
                finally:
                    with site._lock:
                        site.inflight -= 1

            def _answer(self, path: str, head: bool) -> None:
                delay = site.slow.get(path, site.slow.get("*", 0.0))
                if delay:
                    time.sleep(delay)
                route = site.routes.get(path)
                if route is None:
                    route = (404, {"Content-Type": "text/html; charset=utf-8"},
                             html("<h1>404 页面不存在</h1>", "页面不存在"))
                site.request.headers = self.headers
                status, headers, body = route() if callable(route) else route
                if head and headers.pop("X-Refuse-Head", None):
                    status, body = 405, b""
                etag = '"' + hashlib.md5(body).hexdigest() + '"'
                if site.etags and status == 200 and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(status)
                for key, value in headers.items():
                    if key != "X-Refuse-Head":
                        self.send_header(key, value)
                if site.etags and status == 200:
                    self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not head:
                    self.wfile.write(body)

        return Handler

    def __enter__(self) -> LocalSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
