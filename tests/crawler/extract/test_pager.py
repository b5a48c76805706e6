"""Pagers: only a box that is a pager (total, current page, page-number run) yields pages."""

from __future__ import annotations

from datetime import date

from crawler.extract import analyse
from crawler.extract.pager import advances

AS_OF = date(2026, 11, 27)
BASE = "http://www.example.gov.cn/tzgg/index.html"
ROWS = "".join(f'<li><a href="a{i}.html">第{i}条通知公告的标题</a><span>2026-11-0{i}</span></li>'
               for i in range(1, 6))


def _pages(pager: str, url: str = BASE) -> tuple[str, ...]:
    body = (f'<html><head><title>通知公告</title></head><body><ul class="list">{ROWS}</ul>'
            f"{pager}</body></html>")
    column = analyse(body.encode(), url, as_of=AS_OF).column
    assert column is not None
    return column.next_pages


def _calendar(month: str) -> str:
    days = "".join(f'<td><a href="/hd/index.html?date={month}-{d:02d}">{d}</a></td>'
                   + ("</tr><tr>" if d % 7 == 0 else "") for d in range(1, 31))
    return (f'<table class="calendar"><tr><th>日</th><th>一</th><th>二</th><th>三</th><th>四</th>'
            f'<th>五</th><th>六</th></tr><tr>{days}</tr></table>'
            f'<a href="/hd/index.html?month=2026-12">&gt;</a>')


def test_pager_calendar_day_links_are_not_pages() -> None:
    assert _pages(_calendar("2026-11")) == ()


def test_pager_calendar_with_separate_day_params_is_not_a_pager() -> None:
    days = "".join(f'<a href="/hd/list.html?y=2026&m=11&d={d}">{d}</a> ' for d in range(1, 8))
    assert _pages(f'<div class="rili">{days}</div>') == ()


def test_pager_short_number_links_without_a_pager_are_not_pages() -> None:
    # numbered links to unrelated pages (district numbers, footnotes): no run of page numbers
    links = '<p>请查看 <a href="/fg/law.html">1</a> 和 <a href="/bs/guide.html">3</a> 号文件</p>'
    assert _pages(links) == ()


def test_pager_lone_next_link_without_a_page_number_is_not_followed() -> None:
    assert _pages('<div><a href="/zt/special.html">下一页</a></div>') == ()


def test_pager_number_run_with_current_page() -> None:
    pager = ('<div class="page"><span>1</span><a href="index_1.html">2</a>'
             '<a href="index_2.html">3</a><a href="index_1.html">下一页</a></div>')
    assert _pages(pager) == ("http://www.example.gov.cn/tzgg/index_1.html",
                             "http://www.example.gov.cn/tzgg/index_2.html")


def test_pager_total_makes_first_and_last_links_pages() -> None:
    pager = ('<div>第1页/共33页 <a href="list.jsp?page=2">下一页</a>'
             '<a href="list.jsp?page=33">尾页</a></div>')
    assert _pages(pager) == ("http://www.example.gov.cn/tzgg/list.jsp?page=2",
                             "http://www.example.gov.cn/tzgg/list.jsp?page=33")


def test_pager_next_link_that_advances_the_page_number_is_followed() -> None:
    url = "http://www.example.gov.cn/tzgg/list.jsp?page=7"
    assert _pages('<div><a href="list.jsp?page=8">下一页</a></div>', url) == (
        "http://www.example.gov.cn/tzgg/list.jsp?page=8",)


def test_pager_advances_recognises_common_first_page_shapes() -> None:
    assert advances("http://a.cn/x/index.htm", "http://a.cn/x/index_1.htm")
    assert advances("http://a.cn/x/list.html", "http://a.cn/x/list-2.html")
    assert advances("http://a.cn/x/index.html", "http://a.cn/x/index.html?uid=1&pageNum=2")
    assert advances("http://a.cn/x/l?page=4", "http://a.cn/x/l?page=5")
    assert not advances("http://a.cn/x/l?page=4", "http://a.cn/x/l?page=9")
    assert not advances("http://a.cn/cal?date=2026-11-05", "http://a.cn/cal?date=2026-11-06")
    assert not advances("http://a.cn/x/index.html", "http://a.cn/y/other.html")
