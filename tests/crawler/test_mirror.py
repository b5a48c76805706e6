"""Account mirrors: feeds, HTML list pages, broken bodies, post pages over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from core.settings import MirrorSelectors
from crawler.mirror import parse_mirror, parse_post_page

FEED_URL = "https://mirror.example.gov.cn/feeds/district/"

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>某区发布</title><link>https://mirror.example.gov.cn/</link>
<item>
  <title>关于&amp;quot;双减&amp;quot;工作的通知 &amp;amp; 答问</title>
  <link>/posts/101.html</link>
  <pubDate>Tue, 02 Jan 2024 10:00:00 +0800</pubDate>
  <description>短摘要…</description>
  <content:encoded><![CDATA[<p>全文第一段，联系电话见<a href="../contact.html">此处</a>。</p>
  <script>alert(1)</script><p>第二段<img src="/img/1.png"></p>]]></content:encoded>
</item>
<item>
  <title>区长调研春耕</title>
  <link>posts/102.html</link>
  <pubDate>2023-12-28 09:30:00</pubDate>
  <description>&lt;p&gt;区长调研&lt;/p&gt;</description>
</item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>某区微博</title><id>urn:x</id><updated>2024-01-03T00:00:00Z</updated>
  <entry>
    <title type="html">防汛 &lt;b&gt;预警&lt;/b&gt;</title>
    <link rel="alternate" href="https://weibo.example/p/9"/>
    <id>https://weibo.example/p/9</id>
    <published>2024-01-02T16:30:00Z</published>
    <updated>2024-01-02T17:00:00Z</updated>
    <content type="html">&lt;p&gt;今晚有暴雨，请注意安全。&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>只有更新时间</title>
    <link href="https://weibo.example/p/8"/>
    <id>https://weibo.example/p/8</id>
    <updated>2023-12-01T08:00:00+08:00</updated>
  </entry>
</feed>
"""


def test_rss_reads_titles_links_dates_and_full_text() -> None:
    result = parse_mirror(RSS.encode("utf-8"), FEED_URL, "application/rss+xml")
    assert (result.status, result.kind, result.error) == ("ok", "rss", "")
    first, second = result.posts
    assert first.title == '关于"双减"工作的通知 & 答问'
    assert first.url == "https://mirror.example.gov.cn/posts/101.html"
    assert first.published == datetime(2024, 1, 2, 10, 0)
    assert "全文第一段" in first.text and "第二段" in first.text
    assert "alert" not in first.text
    assert first.links == (
        "https://mirror.example.gov.cn/feeds/contact.html",
        "https://mirror.example.gov.cn/img/1.png",
    )
    assert first.needs_fetch is False
    # A zone-less date is Shanghai time; a relative link resolves against the feed URL.
    assert second.published == datetime(2023, 12, 28, 9, 30)
    assert second.url == "https://mirror.example.gov.cn/feeds/district/posts/102.html"
    assert second.needs_fetch is True


def test_atom_converts_utc_to_shanghai_and_strips_html_titles() -> None:
    result = parse_mirror(ATOM.encode("utf-8"), "https://rsshub.example/weibo/1")
    assert (result.status, result.kind) == ("ok", "atom")
    first, second = result.posts
    assert first.title == "防汛 预警"
    assert first.published == datetime(2024, 1, 3, 0, 30)  # 16:30Z is 00:30 next day in +08:00
    assert first.text == "今晚有暴雨，请注意安全。"
    assert second.published == datetime(2023, 12, 1, 8, 0)


@pytest.mark.parametrize(
    ("encoding", "content_type", "declaration"),
    [
        ("gbk", "text/plain; charset=gbk", ""),
        ("gbk", "", ""),
        ("gbk", "application/xml", '<?xml version="1.0" encoding="gb2312"?>'),
        ("utf-8", "application/rss+xml; charset=gb2312", ""),  # a lying header
        ("utf-16", "", ""),
    ],
)
def test_feed_encodings_decode_to_the_same_title(encoding: str, content_type: str,
                                                 declaration: str) -> None:
    feed = (declaration + '<rss version="2.0"><channel><title>x</title><item><title>中文标题'
            "</title><link>https://a.example/1</link></item></channel></rss>")
    result = parse_mirror(feed.encode(encoding), FEED_URL, content_type)
    assert result.status == "ok"
    assert result.posts[0].title == "中文标题"


def test_json_feed_is_read() -> None:
    body = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "某区发布", "items": ['
        '{"id": "1", "url": "/p/1", "title": "防汛 &amp; 抗旱", "date_published": "2024-01-02T02:00:00Z",'
        ' "content_html": "<p>全文<a href=\\"/f.pdf\\">附件</a></p>"},'
        '{"id": "2", "title": "没有链接"}]}'
    ).encode()
    result = parse_mirror(body, FEED_URL, "application/feed+json")
    assert (result.status, result.kind) == ("ok", "json")
    (post,) = result.posts
    assert post.url == "https://mirror.example.gov.cn/p/1"
    assert post.title == "防汛 & 抗旱"
    assert post.published == datetime(2024, 1, 2, 10, 0)
    assert post.text == "全文附件" and post.needs_fetch is False
    assert post.links == ("https://mirror.example.gov.cn/f.pdf",)
    assert parse_mirror(b'{"items": [', FEED_URL).status == "malformed"


def test_malformed_xml_without_usable_entries_is_malformed() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>a & b</channel>'
    result = parse_mirror(body, FEED_URL, "application/xml")
    assert result.status == "malformed"
    assert result.posts == ()
    assert result.error.startswith("订阅源 XML 格式错误")
    assert "\n" not in result.error


def test_truncated_feed_keeps_readable_posts_with_a_note() -> None:
    body = (
        b'<rss version="2.0"><channel><item><title>t1</title><link>https://a.example/1</link>'
        b"<pubDate>Tue, 02 Jan 2024 10:00:00 +0800</pubDate></item><item><title>cut & off"
    )
    result = parse_mirror(body, FEED_URL)
    assert result.status == "ok"
    assert [p.url for p in result.posts] == ["https://a.example/1"]
    assert any("XML 格式错误" in note for note in result.notes)


def test_empty_feed_is_empty_not_malformed() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    result = parse_mirror(body, FEED_URL)
    assert (result.status, result.kind, result.posts) == ("empty", "rss", ())
    assert result.error


def test_future_dates_are_dropped_with_a_note() -> None:
    body = (
        '<rss version="2.0"><channel><title>x</title>'
        "<item><title>明天</title><link>https://a.example/1</link>"
        "<pubDate>2024-01-11 09:00:00</pubDate></item>"
        "<item><title>未来</title><link>https://a.example/2</link>"
        "<pubDate>2030-05-01 09:00:00</pubDate></item></channel></rss>"
    ).encode()
    result = parse_mirror(body, FEED_URL, as_of=date(2024, 1, 10))
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
    result = parse_mirror(body, FEED_URL, "application/rss+xml")
    assert result.status == "malformed"
    assert result.error and result.posts == ()


LIST_PAGE = """<!DOCTYPE html><html><head><meta charset="gbk"><title>某区发布 - 文章列表</title>
</head><body><div class="nav"><a href="/">首页</a><a href="/about">关于我们</a></div>
<ul class="posts">
  <li><a href="/p/3.html" title="关于开展安全生产大检查的通知">关于开展安全生产…</a><span>2024-01-05</span></li>
  <li><a href="p/2.html">冬季供暖 &amp; 保障</a><span>2024年1月3日</span></li>
  <li><a href="//cdn.example.gov.cn/p/1.html">元旦假期安排</a><span>2023/12/29</span></li>
</ul><div class="foot">版权所有 2023</div></body></html>"""


def test_html_list_page_yields_dated_posts() -> None:
    body = LIST_PAGE.encode("gbk")
    result = parse_mirror(body, "https://mirror.example.gov.cn/list/", "text/html")
    assert (result.status, result.kind, result.needs_render) == ("ok", "html", False)
    by_url = {p.url: p for p in result.posts}
    assert set(by_url) == {
        "https://mirror.example.gov.cn/p/3.html",
        "https://mirror.example.gov.cn/list/p/2.html",
        "https://cdn.example.gov.cn/p/1.html",
    }
    assert by_url["https://mirror.example.gov.cn/list/p/2.html"].title == "冬季供暖 & 保障"
    assert by_url["https://mirror.example.gov.cn/list/p/2.html"].published == datetime(2024, 1, 3)
    assert all(p.needs_fetch for p in result.posts)


def test_html_list_keeps_posts_with_relative_and_yearless_dates() -> None:
    items = [("3小时前", datetime(2024, 1, 10, 9, 0)), ("昨天 10:00", datetime(2024, 1, 9, 10, 0)),
             ("01-05 09:00", datetime(2024, 1, 5, 9, 0)), ("2023-12-30", datetime(2023, 12, 30))]
    page = "<html><body><div class='list'>" + "".join(
        f"<div class='item'><a href='/p/{i}'>微博第{i}条：防汛提示</a><span>{shown}</span></div>"
        for i, (shown, _) in enumerate(items)
    ) + "</div><aside><a href='/x'>热门</a><span>2020-01-01</span></aside></body></html>"
    result = parse_mirror(page.encode(), "https://m.example/u/3", "text/html",
                          fetched_at=datetime(2024, 1, 10, 12, 0), as_of=date(2024, 1, 10))
    assert [(p.url, p.published) for p in result.posts] == [
        (f"https://m.example/p/{i}", when) for i, (_, when) in enumerate(items)
    ]


def test_html_list_with_configured_selectors() -> None:
    page = """<html><body><section>
      <div class="card"><h4 class="t">第一篇</h4><a class="go" href="/a/1">阅读</a><i class="d">昨天 10:00</i></div>
      <div class="card"><h4 class="t">第二篇</h4><a class="go" href="/a/2">阅读</a><i class="d">2023-12-30</i></div>
    </section></body></html>"""
    selectors = MirrorSelectors(item="div.card", title="h4.t", link="a.go", date="i.d")
    result = parse_mirror(page.encode(), "https://m.example/u/1", "text/html",
                          selectors=selectors, as_of=date(2024, 1, 10))
    assert [(p.title, p.url, p.published) for p in result.posts] == [
        ("第一篇", "https://m.example/a/1", datetime(2024, 1, 9, 10, 0)),
        ("第二篇", "https://m.example/a/2", datetime(2023, 12, 30)),
    ]


def test_selector_matching_nothing_is_malformed_with_the_selector_named() -> None:
    page = b"<html><body><p>" + "内容".encode() * 200 + b"</p></body></html>"
    result = parse_mirror(page, "https://m.example/", "text/html", selectors=MirrorSelectors(item="li.post"))
    assert result.status == "malformed"
    assert "li.post" in result.error


def test_script_shell_asks_for_rendering_then_rendered_empty_is_reported() -> None:
    shell = (b'<!DOCTYPE html><html><head><script src="/static/app.js"></script></head>'
             b'<body><div id="app"></div><noscript>Please enable JavaScript</noscript></body></html>')
    first = parse_mirror(shell, "https://m.example/u/1", "text/html")
    assert (first.status, first.posts, first.needs_render) == ("ok", (), True)
    again = parse_mirror(shell, "https://m.example/u/1", "text/html", rendered=True)
    assert again.needs_render is False and again.status == "malformed"


def test_placeholder_list_page_is_empty() -> None:
    page = "<html><body><h2>文章列表</h2><ul class='list'></ul><p>暂无内容</p></body></html>"
    result = parse_mirror(page.encode(), "https://m.example/u/2", "text/html; charset=utf-8")
    assert result.status == "empty"
    assert "暂无内容" in result.error


def test_html_page_without_a_dated_list_is_malformed() -> None:
    page = "<html><body><h1>关于我们</h1><p>" + "本站介绍。" * 80 + "</p></body></html>"
    result = parse_mirror(page.encode(), "https://m.example/about", "text/html")
    assert result.status == "malformed"
    assert "selectors" in result.error


def test_post_page_text_has_no_script_or_style_and_links_are_absolute() -> None:
    page = """<html><head><title>标题 &amp; 副题</title><style>.a{color:red}</style>
    <meta name="PubDate" content="2024-01-04 15:20"></head><body><h1>标题 &amp; 副题</h1>
    <div id="content"><p>第一段</p><script>var secret = 1;</script><p>第二段 <a href="../x.pdf">附件</a></p></div>
    </body></html>"""
    post = parse_post_page(page.encode(), "https://m.example/news/1/index.html")
    assert post.title == "标题 & 副题"
    assert post.published == datetime(2024, 1, 4, 15, 20)
    assert post.text == "第一段\n第二段 附件"  # the title is not repeated in the text
    assert "secret" not in post.text and "color" not in post.text
    assert post.links == ("https://m.example/news/x.pdf",)
    assert post.needs_fetch is False


def test_post_page_uses_labelled_visible_date() -> None:
    page = "<html><body><p>2019年工作总结</p><p>发布时间：2024-01-04 09:00</p><p>正文</p></body></html>"
    post = parse_post_page(page.encode(), "https://m.example/a")
    assert post.published == datetime(2024, 1, 4, 9, 0)


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
        result = parse_mirror(feed.content, str(feed.url), feed.headers["content-type"])
        assert result.status == "ok"
        (post,) = result.posts
        assert post.title == "春节值班安排"
        assert post.url == f"{mirror_server}/post/7.html"
        assert post.published == datetime(2024, 2, 2, 18, 0)
        assert post.needs_fetch is True
        page = client.get(post.url)
    full = parse_post_page(page.content, str(page.url), page.headers["content-type"])
    assert full.title == "春节值班安排"
    assert "值班电话请见附件。" in full.text
    assert full.published == datetime(2024, 2, 2)
    assert full.links == (f"{mirror_server}/post/duty.xlsx",)


# Visible dates from ../shared/benchmarks/gov-pages/SOURCE.md; the wanzai/yichun pages
# carry a CMS-regeneration meta PubDate that must lose to the visible date.
GOV_POST_DATES = {
    "gne/gzggw_fgw.zj.gov.cn_deqing.html": date(2016, 11, 22),
    "gne/shanxi.gov.cn_article.html": date(2019, 9, 18),
    "gne/cmse.gov.cn_press.html": date(2012, 6, 24),
    "gne/sxmu_jijian_jianchafa.html": date(2018, 5, 17),
    "gne/people.com.cn_declares-gb2312_bytes-utf8.html": date(2019, 6, 15),
    "simonxinw-job/wanzai.gov.cn_tjgb_2015.html": date(2017, 5, 15),
    "simonxinw-job/wanzai.gov.cn_tjsj_2022.html": date(2023, 5, 11),
    "simonxinw-job/yichun.gov.cn_tjgb_2022_city.html": date(2023, 4, 18),
}


@pytest.mark.parametrize("name", sorted(GOV_POST_DATES))
def test_post_page_date_of_real_government_articles(shared_dir: Path, name: str) -> None:
    body = (shared_dir / "benchmarks" / "gov-pages" / name).read_bytes()
    post = parse_post_page(body, "http://www.example.gov.cn/art/1.html")
    assert post.published is not None
    assert post.published.date() == GOV_POST_DATES[name]
    assert post.text and "function(" not in post.text
