"""Account mirrors' HTML list pages: dated, relative and yearless posts, selectors, shells."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.settings import MirrorSelectors
from crawler.extract.mirror import parse_mirror

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the default schedule.timezone

LIST_PAGE = """<!DOCTYPE html><html><head><meta charset="gbk"><title>某区发布 - 文章列表</title>
</head><body><div class="nav"><a href="/">首页</a><a href="/about">关于我们</a></div>
<ul class="posts">
  <li><a href="/p/3.html" title="关于开展安全生产大检查的通知">关于开展安全生产…</a><span>2024-01-05</span></li>
  <li><a href="p/2.html">冬季供暖 &amp; 保障</a><span>2024年1月3日</span></li>
  <li><a href="//cdn.example.gov.cn/p/1.html">元旦假期安排</a><span>2023/12/29</span></li>
</ul><div class="foot">版权所有 2023</div></body></html>"""


def test_html_list_page_yields_dated_posts() -> None:
    body = LIST_PAGE.encode("gbk")
    result = parse_mirror(body, "https://mirror.example.gov.cn/list/", "text/html", tz=SHANGHAI)
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
                          fetched_at=datetime(2024, 1, 10, 12, 0), as_of=date(2024, 1, 10), tz=SHANGHAI)
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
                          selectors=selectors, as_of=date(2024, 1, 10), tz=SHANGHAI)
    assert [(p.title, p.url, p.published) for p in result.posts] == [
        ("第一篇", "https://m.example/a/1", datetime(2024, 1, 9, 10, 0)),
        ("第二篇", "https://m.example/a/2", datetime(2023, 12, 30)),
    ]


def test_selector_matching_nothing_is_malformed_with_the_selector_named() -> None:
    page = b"<html><body><p>" + "内容".encode() * 200 + b"</p></body></html>"
    result = parse_mirror(page, "https://m.example/", "text/html", selectors=MirrorSelectors(item="li.post"), tz=SHANGHAI)
    assert result.status == "malformed"
    assert "li.post" in result.error


def test_script_shell_asks_for_rendering_then_rendered_empty_is_reported() -> None:
    shell = (b'<!DOCTYPE html><html><head><script src="/static/app.js"></script></head>'
             b'<body><div id="app"></div><noscript>Please enable JavaScript</noscript></body></html>')
    first = parse_mirror(shell, "https://m.example/u/1", "text/html", tz=SHANGHAI)
    assert (first.status, first.posts, first.needs_render) == ("ok", (), True)
    again = parse_mirror(shell, "https://m.example/u/1", "text/html", rendered=True, tz=SHANGHAI)
    assert again.needs_render is False and again.status == "malformed"


def test_placeholder_list_page_is_empty() -> None:
    page = "<html><body><h2>文章列表</h2><ul class='list'></ul><p>暂无内容</p></body></html>"
    result = parse_mirror(page.encode(), "https://m.example/u/2", "text/html; charset=utf-8", tz=SHANGHAI)
    assert result.status == "empty"
    assert "暂无内容" in result.error


def test_html_page_without_a_dated_list_is_malformed() -> None:
    page = "<html><body><h1>关于我们</h1><p>" + "本站介绍。" * 80 + "</p></body></html>"
    result = parse_mirror(page.encode(), "https://m.example/about", "text/html", tz=SHANGHAI)
    assert result.status == "malformed"
    assert "selectors" in result.error
