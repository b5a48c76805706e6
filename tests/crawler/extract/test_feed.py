"""Feeds of account mirrors: RSS, Atom, JSON Feed, encodings, broken and empty feeds."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.extract.mirror import parse_mirror

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the default schedule.timezone

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
    result = parse_mirror(RSS.encode("utf-8"), FEED_URL, "application/rss+xml", tz=SHANGHAI)
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
    result = parse_mirror(ATOM.encode("utf-8"), "https://rsshub.example/weibo/1", tz=SHANGHAI)
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
    result = parse_mirror(feed.encode(encoding), FEED_URL, content_type, tz=SHANGHAI)
    assert result.status == "ok"
    assert result.posts[0].title == "中文标题"


def test_json_feed_is_read() -> None:
    body = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "某区发布", "items": ['
        '{"id": "1", "url": "/p/1", "title": "防汛 &amp; 抗旱", "date_published": "2024-01-02T02:00:00Z",'
        ' "content_html": "<p>全文<a href=\\"/f.pdf\\">附件</a></p>"},'
        '{"id": "2", "title": "没有链接"}]}'
    ).encode()
    result = parse_mirror(body, FEED_URL, "application/feed+json", tz=SHANGHAI)
    assert (result.status, result.kind) == ("ok", "json")
    (post,) = result.posts
    assert post.url == "https://mirror.example.gov.cn/p/1"
    assert post.title == "防汛 & 抗旱"
    assert post.published == datetime(2024, 1, 2, 10, 0)
    assert post.text == "全文附件" and post.needs_fetch is False
    assert post.links == ("https://mirror.example.gov.cn/f.pdf",)
    assert parse_mirror(b'{"items": [', FEED_URL, tz=SHANGHAI).status == "malformed"


def test_malformed_xml_without_usable_entries_is_malformed() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>a & b</channel>'
    result = parse_mirror(body, FEED_URL, "application/xml", tz=SHANGHAI)
    assert result.status == "malformed"
    assert result.posts == ()
    assert result.error.startswith("订阅源 XML 格式错误")
    assert "\n" not in result.error


def test_truncated_feed_keeps_readable_posts_with_a_note() -> None:
    body = (
        b'<rss version="2.0"><channel><item><title>t1</title><link>https://a.example/1</link>'
        b"<pubDate>Tue, 02 Jan 2024 10:00:00 +0800</pubDate></item><item><title>cut & off"
    )
    result = parse_mirror(body, FEED_URL, tz=SHANGHAI)
    assert result.status == "ok"
    assert [p.url for p in result.posts] == ["https://a.example/1"]
    assert any("XML 格式错误" in note for note in result.notes)


def test_empty_feed_is_empty_not_malformed() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    result = parse_mirror(body, FEED_URL, tz=SHANGHAI)
    assert (result.status, result.kind, result.posts) == ("empty", "rss", ())
    assert result.error
