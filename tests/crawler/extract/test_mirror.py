"""Reading a mirror response: future dates, junk bodies, a feed and its post over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import httpx
import pytest

from crawler.extract.mirror import parse_mirror
from crawler.extract.post import parse_post_page

FEED_URL = "https://mirror.example.gov.cn/feeds/district/"
SHANGHAI = ZoneInfo("Asia/Shanghai")  # the default schedule.timezone


def test_future_dates_are_dropped_with_a_note() -> None:
    body = (
        '<rss version="2.0"><channel><title>x</title>'
        "<item><title>明天</title><link>https://a.example/1</link>"
        "<pubDate>2024-01-11 09:00:00</pubDate></item>"
        "<item><title>未来</title><link>https://a.example/2</link>"
        "<pubDate>2030-05-01 09:00:00</pubDate></item></channel></rss>"
    ).encode()
    result = parse_mirror(body, FEED_URL, as_of=date(2024, 1, 10), tz=SHANGHAI)
    tomorrow, future = result.posts
    assert tomorrow.published == datetime(2024, 1, 11, 9, 0)  # one day of slack for clocks
    assert future.published is None and future.title == "未来"
    assert len(result.notes) == 1 and "2030-05-01" in result.notes[0]
    assert "https://a.example/2" in result.notes[0]


@pytest.mark.parametrize(
    "body",
    [bytes(range(256)) * 8, b"\x1f\x8b\x08\x00" + b"\x00" * 64, b"   ", b"just some words, no markup"],
)
def test_junk_body_is_malformed(body: bytes) -> None:
    result = parse_mirror(body, FEED_URL, "application/rss+xml", tz=SHANGHAI)
    assert result.status == "malformed"
    assert result.error and result.posts == ()


# --- over real HTTP ------------------------------------------------------------------

GBK_FEED = (
    '<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel><title>区政务</title>'
    "<item><title>春节值班安排</title><link>/post/7.html</link>"
    "<pubDate>Fri, 02 Feb 2024 18:00:00 +0800</pubDate><description>见全文</description></item>"
    "</channel></rss>"
).encode("gbk")
GBK_POST = (
    "<html><head><title>春节值班安排</title></head><body><h1>春节值班安排</h1>"
    "<p>发布日期：2024-02-02</p><p>值班电话请见附件。</p><a href='duty.xlsx'>值班表</a></body></html>"
).encode("gbk")
ROUTES = {
    "/feed.xml": ("application/rss+xml", GBK_FEED),
    "/post/7.html": ("text/html; charset=GBK", GBK_POST),  # the charset is only in the header
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        content_type, body = ROUTES.get(self.path, ("text/plain", b"not found"))
        self.send_response(200 if self.path in ROUTES else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def mirror_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_feed_and_post_fetched_over_http(mirror_server: str) -> None:
    with httpx.Client(timeout=5) as client:
        feed = client.get(f"{mirror_server}/feed.xml")
        result = parse_mirror(feed.content, str(feed.url), feed.headers["content-type"], tz=SHANGHAI)
        assert result.status == "ok"
        (post,) = result.posts
        assert post.title == "春节值班安排"
        assert post.url == f"{mirror_server}/post/7.html"
        assert post.published == datetime(2024, 2, 2, 18, 0)
        assert post.needs_fetch is True
        page = client.get(post.url)
    full = parse_post_page(page.content, str(page.url), page.headers["content-type"], tz=SHANGHAI)
    assert full.title == "春节值班安排"
    assert "值班电话请见附件。" in full.text
    assert full.published == datetime(2024, 2, 2)
    assert full.links == (f"{mirror_server}/post/duty.xlsx",)


# --- the time zone is a parameter ----------------------------------------------------

ZONED_FEED = (
    b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:t</id>'
    b'<entry><title>a</title><link href="https://a.example/1"/><id>https://a.example/1</id>'
    b"<published>2024-01-02T16:30:00Z</published></entry>"
    b'<entry><title>b</title><link href="https://a.example/2"/><id>https://a.example/2</id>'
    b"<published>2024-07-02T10:00:00+08:00</published></entry>"
    b'<entry><title>c</title><link href="https://a.example/3"/><id>https://a.example/3</id>'
    b"<published>2024-07-02 10:00:00</published></entry></feed>"
)


@pytest.mark.parametrize(
    ("tz", "expected"),
    [
        (SHANGHAI, [datetime(2024, 1, 3, 0, 30), datetime(2024, 7, 2, 10, 0)]),
        ("Europe/Berlin", [datetime(2024, 1, 2, 17, 30), datetime(2024, 7, 2, 4, 0)]),  # CET, CEST
        (ZoneInfo("America/New_York"), [datetime(2024, 1, 2, 11, 30), datetime(2024, 7, 1, 22, 0)]),
    ],
)
def test_mirror_times_are_wall_time_of_the_given_zone(
    tz: ZoneInfo | str, expected: list[datetime]
) -> None:
    result = parse_mirror(ZONED_FEED, FEED_URL, tz=tz)
    assert [post.published for post in result.posts] == [*expected, datetime(2024, 7, 2, 10, 0)]


def test_wechat_script_time_is_wall_time_of_the_given_zone() -> None:
    page = ('<html><body><h1 id="activity-name">通知</h1><div id="js_content"><p>正文</p></div>'
            '<script>var ct = "1577836800";</script></body></html>').encode()
    assert parse_post_page(page, "https://mp.weixin.qq.com/s/x", tz=SHANGHAI).published == (
        datetime(2020, 1, 1, 8, 0))
    assert parse_post_page(page, "https://mp.weixin.qq.com/s/x", tz="UTC").published == (
        datetime(2020, 1, 1, 0, 0))
