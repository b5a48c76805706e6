"""A hostile site on 127.0.0.1 for crawler tests and ``bench/hostile.py``: every trap at once.

``HostileSite`` serves five hosts (one port each; Xunwang's politeness is per ``host:port``):

- ``main``, the patrolled site. Beside a normal column (5 pages, 共5页 pager) it has an
  infinite calendar (``/calendar?date=``: day links 1-31 to ever new dates, and the next
  month), an endless 下一页 list (``/endless?page=N``, no total), a redirect loop
  (``/loop/a`` <-> ``/loop/b``), an endless redirect chain (``/chain/N`` -> N+1), a
  meta-refresh loop (``/refresh/a`` <-> ``/refresh/b``), a gzip bomb, a 50 MB page (with
  and without Content-Length), a slow drip (one byte every 0.2 s), a page of 10,000 links,
  text nested 5,000 levels deep, an ever-changing query (``/maze?t=``) and a growing one
  (``/grow?a=1&a=1…``); robots.txt bans ``/private/``.
- ``ok``: an external host that answers normally.
- ``busy``: answers every path first with 429 and ``Retry-After: 2``, then normally.
- ``closed``: answers everything with 429 and ``Retry-After: 3600``.
- ``slow``: an external host whose robots.txt asks ``Crawl-delay: 1``.

Every request is logged (monotonic time, host, method, path, status) for assertions on
what reached the server and how fast. Responses are one write each on TCP_NODELAY
sockets (as ``xunwang.demo.server``), except the drip and the streamed page.

``python -m tests.crawler.hostile --info FILE --log FILE`` runs it as its own process: the
hosts' URLs go to ``--info`` as JSON, the request log to ``--log`` when it gets SIGTERM.
"""

from __future__ import annotations

import argparse
import calendar
import json
import signal
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

HTML = "text/html; charset=utf-8"
BIG_BYTES = 50 * 1024 * 1024
BOMB_BYTES = 200 * 1024 * 1024
DEEP_LEVELS = 5000
PLANTED_PHONE = "13912345678"  # deep inside /deep.html


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    content_type: str = HTML
    headers: tuple[tuple[str, str], ...] = ()
    drip_s: float = 0.0  # send the body one byte at a time, this far apart
    stream: bool = False  # no Content-Length: the body in 1 MB writes, then close


App = Callable[[str, dict[str, list[str]]], Reply]


@dataclass(frozen=True)
class Hit:
    at: float  # time.monotonic() on arrival
    host: str  # host:port
    method: str
    path: str  # path and query
    status: int


def peak_per_second(times: list[float]) -> int:
    """The most requests that arrived within any one second (a window starting at each)."""
    ordered = sorted(times)
    peak, low = 0, 0
    for high, t in enumerate(ordered):
        while ordered[low] <= t - 1.0:
            low += 1
        peak = max(peak, high - low + 1)
    return peak


def page(body: str, title: str = "页面", head: str = "") -> bytes:
    return (f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>{head}'
            f"</head><body>{body}</body></html>").encode()


def _gzip_bomb() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip stream
    chunk = b"\0" * (1024 * 1024)
    parts = [packer.compress(chunk) for _ in range(BOMB_BYTES // len(chunk))]
    return b"".join(parts) + packer.flush()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30
    disable_nagle_algorithm = True
    server: _HostServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._respond(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(with_body=False)

    def _respond(self, *, with_body: bool) -> None:
        parts = urlsplit(self.path)
        reply = self.server.app(parts.path, parse_qs(parts.query, keep_blank_values=True))
        self.server.site.record(Hit(time.monotonic(), self.server.netloc, self.command,
                                    self.path, reply.status))
        head = [f"HTTP/1.1 {reply.status} {HTTPStatus(reply.status).phrase}",
                f"Content-Type: {reply.content_type}", *(f"{k}: {v}" for k, v in reply.headers)]
        head.append("Connection: close" if reply.stream else f"Content-Length: {len(reply.body)}")
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        try:
            if not with_body:
                self.wfile.write(data)
            elif reply.drip_s:
                self._drip(data, reply)
            elif reply.stream:
                self.wfile.write(data)
                for start in range(0, len(reply.body), 1024 * 1024):
                    self.wfile.write(reply.body[start:start + 1024 * 1024])
                self.close_connection = True
            else:
                self.wfile.write(data + reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the crawler gave up on purpose

    def _drip(self, head: bytes, reply: Reply) -> None:
        self.wfile.write(head)
        for byte in reply.body:
            if self.server.site.stopping.wait(reply.drip_s):
                break
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silent."""


class _HostServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, app: App, site: HostileSite) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.app = app
        self.site = site
        self.netloc = f"127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out on purpose reset connections."""


@dataclass
class HostileSite:
    """The five hosts; ``with HostileSite() as site:`` serves them on free ports."""

    as_of: date = date(2026, 11, 27)
    many_links: int = 10_000
    hits: list[Hit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._busy_seen: set[str] = set()
        self._big = b"<html><body><p>" + b"x" * BIG_BYTES + b"</p></body></html>"
        self._bomb = _gzip_bomb()
        self.servers = {name: _HostServer(app, self) for name, app in (
            ("main", self._main), ("ok", self._ok), ("busy", self._busy),
            ("closed", self._closed), ("slow", self._slow))}

    def url(self, host: str) -> str:
        return f"http://{self.servers[host].netloc}/"

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def hits_of(self, host: str) -> list[Hit]:
        netloc = self.servers[host].netloc
        with self._lock:
            return [h for h in self.hits if h.host == netloc]

    def __enter__(self) -> HostileSite:
        for server in self.servers.values():
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopping.set()
        for server in self.servers.values():
            server.shutdown()
            server.server_close()

    # --- the patrolled site ------------------------------------------------------------

    def _main(self, path: str, query: dict[str, list[str]]) -> Reply:
        if path == "/robots.txt":
            return Reply(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        route = _MAIN_ROUTES.get(path)
        if route is not None:
            return route(self, query)
        for prefix, handler in _MAIN_PREFIXES:
            if path.startswith(prefix):
                return handler(self, path[len(prefix):], query)
        return Reply(404, page("<h1>404 页面不存在</h1>", "页面不存在"))

    def _home(self, query: dict[str, list[str]]) -> Reply:
        day = self.as_of.isoformat()
        ext = [f'<a href="{self.url("ok")}ok{i}.html">外部{i}</a>' for i in range(3)]
        ext += [f'<a href="{self.url("busy")}b{i}.html">限流{i}</a>' for i in range(3)]
        ext += [f'<a href="{self.url("closed")}c{i}.html">长期限流{i}</a>' for i in range(5)]
        ext += [f'<a href="{self.url("slow")}s{i}.html">慢站{i}</a>' for i in range(5)]
        traps = [("/calendar?date=" + day, "活动日历"), ("/endless?page=1", "信息列表"),
                 ("/loop/a", "循环跳转"), ("/chain/1", "无尽跳转"), ("/refresh/a", "刷新循环"),
                 ("/bomb.html", "压缩包"), ("/big.html", "大页面"), ("/big-stream.html", "大页面二"),
                 ("/drip.html", "慢页面"), ("/many.html", "网站地图"), ("/deep.html", "深层页面"),
                 ("/maze?t=0", "迷宫"), ("/grow?a=1", "增长"), ("/private/x.html", "禁止")]
        links = "".join(f'<li><a href="{u}">{t}</a></li>' for u, t in traps)
        news = "".join(f'<li><a href="/news/t{i}.html">区政府召开第{i}次常务会议</a>'
                       f"<span>{self.as_of - timedelta(days=i)}</span></li>" for i in range(1, 4))
        body = (f'<div class="nav"><a href="/">首页</a><a href="/news/index.html">工作动态</a></div>'
                f'<ul class="news">{news}</ul><ul>{links}</ul><p>{" ".join(ext)}</p>'
                '<div class="footer">网站标识码：1101020001 京ICP备12345678号</div>')
        return Reply(body=page(body, "测试区人民政府"))

    def _news(self, rest: str, query: dict[str, list[str]]) -> Reply:
        if rest.startswith("t"):
            n = int(rest[1:].split(".")[0] or 0)
            day = self.as_of - timedelta(days=n)
            return Reply(body=page(f"<h1>第{n}条动态</h1><p>发布时间：{day}</p><p>正文。</p>", "动态"))
        number = int(rest.removeprefix("index").removeprefix("_").split(".")[0] or 0)
        rows = "".join(f'<li><a href="/news/t{number * 10 + i}.html">第{number * 10 + i}条工作动态标题</a>'
                       f"<span>{self.as_of - timedelta(days=number * 10 + i)}</span></li>"
                       for i in range(1, 11))
        pager = [f"共5页 第{number + 1}页"] + [
            f'<a href="/news/index{"" if n == 0 else f"_{n}"}.html">{n + 1}</a>' for n in range(5)
            if n != number]
        if number < 4:
            pager.append(f'<a href="/news/index_{number + 1}.html">下一页</a>')
        body = (f'<div class="crumb">首页 &gt; 工作动态</div><ul class="list">{rows}</ul>'
                f'<div class="page">{" ".join(pager)}</div>')
        return Reply(body=page(body, "工作动态"))

    def _calendar(self, query: dict[str, list[str]]) -> Reply:
        try:
            day = date.fromisoformat(query.get("date", [""])[0])
        except ValueError:
            day = self.as_of
        first = day.replace(day=1)
        days = calendar.monthrange(day.year, day.month)[1]
        cells = "".join(f'<td><a href="/calendar?date={first.replace(day=d)}">{d}</a></td>'
                        + ("</tr><tr>" if d % 7 == 0 else "") for d in range(1, days + 1))
        after = (first + timedelta(days=32)).replace(day=1)
        before = (first - timedelta(days=1)).replace(day=1)
        body = (f'<h2>{first.year}年{first.month}月</h2><table class="rili"><tr>{cells}</tr></table>'
                f'<a href="/calendar?date={before}">上个月</a> <a href="/calendar?date={after}">下个月</a>'
                f'<ul class="list"><li><a href="/news/t1.html">当日活动安排</a><span>{day}</span></li>'
                f'<li><a href="/news/t2.html">当日会议安排</a><span>{day}</span></li></ul>')
        return Reply(body=page(body, "活动日历"))

    def _endless(self, query: dict[str, list[str]]) -> Reply:
        n = int(query.get("page", ["1"])[0] or 1)
        rows = "".join(f'<li><a href="/endless/art?id={n}-{k}">第{n}页第{k}条信息标题</a>'
                       f"<span>{self.as_of - timedelta(days=n)}</span></li>" for k in range(1, 6))
        pager = f'第 {n} 页 <a href="/endless?page={max(1, n - 1)}">上一页</a> ' \
                f'<a href="/endless?page={n + 1}">下一页</a>'
        return Reply(body=page(f'<ul class="list">{rows}</ul><div class="pages">{pager}</div>',
                               "信息列表"))

    def _endless_article(self, query: dict[str, list[str]]) -> Reply:
        return Reply(body=page(f"<h1>信息 {query.get('id', [''])[0]}</h1><p>正文。</p>", "信息"))

    def _loop(self, rest: str, query: dict[str, list[str]]) -> Reply:
        return Reply(302, headers=(("Location", "/loop/b" if rest == "a" else "/loop/a"),))

    def _chain(self, rest: str, query: dict[str, list[str]]) -> Reply:
        return Reply(302, headers=(("Location", f"/chain/{int(rest or 0) + 1}"),))

    def _refresh(self, rest: str, query: dict[str, list[str]]) -> Reply:
        target = "/refresh/b" if rest == "a" else "/refresh/a"
        head = f'<meta http-equiv="refresh" content="0;url={target}">'
        return Reply(body=page("<p>正在跳转……</p>", "跳转", head))

    def _maze(self, query: dict[str, list[str]]) -> Reply:
        t = int(query.get("t", ["0"])[0] or 0)
        return Reply(body=page(f'<p>第{t}页</p><a href="/maze?t={t * 7 + 13}">刷新</a>', "迷宫"))

    def _grow(self, query: dict[str, list[str]]) -> Reply:
        more = "&".join(["a=1"] * (len(query.get("a", [])) + 1))
        return Reply(body=page(f'<a href="/grow?{more}">继续</a>', "增长"))

    def _many(self, query: dict[str, list[str]]) -> Reply:
        links = "".join(f'<li><a href="/many/{i}.html">第{i}项</a></li>' for i in range(self.many_links))
        return Reply(body=page(f"<h1>网站地图</h1><ul>{links}</ul>", "网站地图"))

    def _many_target(self, rest: str, query: dict[str, list[str]]) -> Reply:
        return Reply(body=page(f"<p>地图项 {rest}</p>", "地图项"))

    def _deep(self, query: dict[str, list[str]]) -> Reply:
        inner = (f'<p>联系电话 {PLANTED_PHONE}，详见<a href="/deep-target.html">深层链接</a></p>')
        body = "<div>" * DEEP_LEVELS + inner + "</div>" * DEEP_LEVELS
        return Reply(body=page(body, "深层页面"))

    def _plain(self, query: dict[str, list[str]]) -> Reply:
        return Reply(body=page("<p>正常页面</p>"))

    # --- the other hosts ---------------------------------------------------------------

    def _ok(self, path: str, query: dict[str, list[str]]) -> Reply:
        return Reply(body=page("<p>外部页面</p>"))

    def _busy(self, path: str, query: dict[str, list[str]]) -> Reply:
        with self._lock:
            first = path not in self._busy_seen
            self._busy_seen.add(path)
        if first and path != "/robots.txt":
            return Reply(429, page("<p>请求过多</p>"), headers=(("Retry-After", "2"),))
        return Reply(body=page("<p>外部页面</p>"))

    def _closed(self, path: str, query: dict[str, list[str]]) -> Reply:
        return Reply(429, page("<p>请求过多</p>"), headers=(("Retry-After", "3600"),))

    def _slow(self, path: str, query: dict[str, list[str]]) -> Reply:
        if path == "/robots.txt":
            return Reply(body=b"User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
        return Reply(body=page("<p>慢站页面</p>"))


_MAIN_ROUTES: dict[str, Callable[[HostileSite, dict[str, list[str]]], Reply]] = {
    "/": HostileSite._home,
    "/calendar": HostileSite._calendar,
    "/endless": HostileSite._endless,
    "/endless/art": HostileSite._endless_article,
    "/maze": HostileSite._maze,
    "/grow": HostileSite._grow,
    "/many.html": HostileSite._many,
    "/deep.html": HostileSite._deep,
    "/deep-target.html": HostileSite._plain,
    "/private/x.html": HostileSite._plain,
    "/bomb.html": lambda s, q: Reply(body=s._bomb, headers=(("Content-Encoding", "gzip"),)),
    "/big.html": lambda s, q: Reply(body=s._big),
    "/big-stream.html": lambda s, q: Reply(body=s._big, stream=True),
    "/drip.html": lambda s, q: Reply(body=page("<p>" + "慢" * 300 + "</p>"), drip_s=0.2),
}
_MAIN_PREFIXES: tuple[tuple[str, Callable[[HostileSite, str, dict[str, list[str]]], Reply]], ...] = (
    ("/news/", HostileSite._news), ("/loop/", HostileSite._loop), ("/chain/", HostileSite._chain),
    ("/refresh/", HostileSite._refresh), ("/many/", HostileSite._many_target),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.crawler.hostile")
    parser.add_argument("--info", required=True, help="write the hosts' URLs here (JSON)")
    parser.add_argument("--log", required=True, help="write the request log here on SIGTERM")
    parser.add_argument("--many-links", type=int, default=10_000)
    args = parser.parse_args(argv)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with HostileSite(many_links=args.many_links) as site:
        info = {name: site.url(name) for name in site.servers}
        Path(args.info).write_text(json.dumps(info), encoding="utf-8")
        done.wait()
        hits = [h.__dict__ for h in site.hits]
    Path(args.log).write_text(json.dumps(hits), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
