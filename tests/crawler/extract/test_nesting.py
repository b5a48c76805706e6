"""Text and links nested deeper than the HTML parser's limit are still read."""

from __future__ import annotations

import pytest

from crawler.extract import analyse
from crawler.extract.nesting import cap_depth


@pytest.mark.parametrize("depth", [300, 3000, 30000])
def test_analyse_reads_text_and_links_nested_past_the_parser_limit(depth: int) -> None:
    body = ("<html><head><title>深层页面</title></head><body>" + "<div><font>" * depth
            + '<p>联系电话 13812345678，<a href="/deep.html">深处链接</a></p>' + "</font></div>" * depth
            + '<a href="/top.html">顶层链接</a></body></html>').encode()
    page = analyse(body, "http://www.example.gov.cn/")
    assert "13812345678" in page.text
    assert {r.url for r in page.references} >= {"http://www.example.gov.cn/deep.html",
                                                "http://www.example.gov.cn/top.html"}
    assert page.title == "深层页面"


def test_cap_depth_keeps_text_and_links_and_drops_only_deep_containers() -> None:
    markup = "<div>" * 5 + '<b>深<a href="/x">链</a></b>' + "</div>" * 5
    flat = cap_depth(markup, limit=3)
    assert flat.count("<div>") == 3 and flat.count("</div>") == 3
    assert '<a href="/x">链</a>' in flat and "深" in flat and "<b>" not in flat
