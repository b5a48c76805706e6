"""analyse() as a whole: robustness, text, footer identity, navigation, linear time."""

from __future__ import annotations

import os
import time
from dataclasses import replace

import pytest

from crawler.extract import analyse

SITE = """<html><head><title>某某县人民政府</title><style>.x{color:red}</style>
<script>var secret = "不应出现在正文";</script></head><body>
<div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/col/zwdt/">政务动态</a></li>
<li><a href="/col/tzgg/">通知公告</a></li><li><a href="javascript:;">无障碍</a></li></ul></div>
<div class="main"><p>欢迎访问某某县人民政府网站。</p><noscript>请启用脚本</noscript><!-- 注释内容 --></div>
<div id="footer"><p>主办：某某县人民政府办公室 网站标识码：3609220011</p>
<p><a href="https://beian.miit.gov.cn">赣ICP备11002306号-1</a> <img src="/ga.png" alt="公安备案图标">赣公网安备 36092202000101号</p>
<span id="_ideConac"><a href="https://bszs.conac.cn/sitename?method=show&amp;id=ABC" target="_blank">
<img src="/images/red.png" alt="党政机关"></a></span>
<script id="_jiucuo_" sitecode="3609220011" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script></div>
</body></html>"""


def test_page_text_has_no_script_style_comment_or_nav() -> None:
    page = analyse(SITE.encode(), "http://www.example.gov.cn/")
    assert "欢迎访问某某县人民政府网站。" in page.text
    for absent in ("不应出现在正文", "color:red", "注释内容", "请启用脚本", "政务动态", "网站标识码"):
        assert absent not in page.text
    assert "政务动态" in page.boilerplate


def test_page_footer_carries_site_identity() -> None:
    footer = analyse(SITE.encode(), "http://www.example.gov.cn/").footer
    for needle in ("网站标识码：3609220011", "赣ICP备11002306号-1", "赣公网安备 36092202000101号",
                   "党政机关", "bszs.conac.cn/sitename", "sitecode=3609220011", "公安备案图标"):
        assert needle in footer


def test_page_footer_without_a_footer_element_uses_the_last_lines() -> None:
    html = "<html><body><p>正文内容</p>" + "<p>段落</p>" * 30 + "<p>版权所有：某某县人民政府 ICP备案：京ICP备000号</p></body></html>"
    footer = analyse(html.encode(), "http://x.gov.cn/").footer
    assert "京ICP备000号" in footer


def test_page_nav_links_absolute_and_short() -> None:
    nav = analyse(SITE.encode(), "http://www.example.gov.cn/index.html").nav
    assert nav == (("首页", "http://www.example.gov.cn/"), ("政务动态", "http://www.example.gov.cn/col/zwdt/"),
                   ("通知公告", "http://www.example.gov.cn/col/tzgg/"))


def test_page_without_nav_links_is_the_same_analysis_with_no_nav() -> None:
    url = "http://www.example.gov.cn/index.html"
    full, lean = analyse(SITE.encode(), url), analyse(SITE.encode(), url, nav_links=False)
    assert full.nav and lean.nav == ()
    assert replace(full, nav=()) == lean  # the navigation is still taken out of the text


@pytest.mark.parametrize(
    "body",
    [
        os.urandom(4096),
        b"\x00" * 1000 + b"<html>",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n\x00\x01\x02\x03" * 20,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    ],
)
def test_page_binary_junk_labelled_html_gives_empty_analysis(body: bytes) -> None:
    page = analyse(body, "http://x.gov.cn/a.html", header_charset="utf-8")
    assert page.text == "" and page.references == () and page.column is None


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"<", b"<html", b"<?xml version='1.0' encoding='utf-8'?><html><body>\xe4\xb8\xad</body></html>",
     b"<html><body><p>a\x00b</p><p>\x0b\x0c</p></body></html>", b"</div></div></td></tr>", b"<!-- only a comment -->",
     b"<frameset><frame src=a.html></frameset>", b"<table>" * 3000 + b"<a href=x.html>x</a>"],
)
def test_page_empty_and_broken_markup_does_not_crash(body: bytes) -> None:
    page = analyse(body, "http://x.gov.cn/a.html")
    assert page.url == "http://x.gov.cn/a.html"
    assert page.dates.source in ("visible", "meta", "url", "none")


def test_page_xml_declaration_and_text() -> None:
    page = analyse("<?xml version='1.0' encoding='utf-8'?><html><body><p>中文</p></body></html>".encode(), "http://x/")
    assert page.text == "中文"


def _huge(rows: int) -> bytes:
    row = '<tr><td><a href="/art/{i}.html">第{i}条信息的标题内容</a></td><td>2023-11-{d:02d}</td></tr>'
    body = "".join(row.format(i=i, d=i % 28 + 1) for i in range(rows))
    return f"<html><head><title>信息列表</title></head><body><table class='list'>{body}</table></body></html>".encode()


def _seconds(body: bytes, url: str) -> float:
    start = time.perf_counter()
    analyse(body, url)
    return time.perf_counter() - start


def test_page_huge_list_stays_linear() -> None:
    small, big = _huge(1000), _huge(10000)
    t_small = min(_seconds(small, f"http://x.gov.cn/{i}/list.html") for i in range(3))
    start = time.perf_counter()
    page = analyse(big, "http://x.gov.cn/big/list.html")
    t_big = time.perf_counter() - start
    assert page.column is not None and len(page.column.entries) == 10000
    assert t_big < 30 * t_small + 2.0  # 10x the input; quadratic work would take ~100x


def test_page_deeply_nested_markup_stays_fast() -> None:
    body = ("<div>" * 5000 + "<a href='x.html'>链接文字在这里</a> 2023-01-01" + "</div>" * 5000).encode()
    start = time.perf_counter()
    analyse(body, "http://x.gov.cn/")
    assert time.perf_counter() - start < 5


def test_page_nav_found_without_a_nav_label() -> None:
    menu = "".join(f'<td><a href="/col/{i}/">{name}</a></td>' for i, name in enumerate(
        ["首页", "政务动态", "信息公开", "政务服务", "互动交流", "走进某县"]))
    html = (f"<html><body><table><tr>{menu}</tr></table><div><p>" + "正文内容。" * 50
            + "</p></div></body></html>")
    page = analyse(html.encode(), "http://x.gov.cn/")
    assert [text for text, _ in page.nav] == ["首页", "政务动态", "信息公开", "政务服务", "互动交流", "走进某县"]
    assert "政务服务" not in page.text


def test_page_needs_render_when_an_empty_list_is_filled_by_script() -> None:
    html = ('<html><body><div class="news"><h3>要闻</h3><ul id="newsList"></ul></div>'
            '<script>$.getJSON("/api/news.json", function(d){ $("#newsList").html(d); });</script></body></html>')
    assert analyse(html.encode(), "http://x.gov.cn/").needs_render
    plain = '<html><body><ul class="list"><li><a href="a.html">某某工作动态信息</a> 2023-01-01</li></ul></body></html>'
    assert not analyse(plain.encode(), "http://x.gov.cn/").needs_render
