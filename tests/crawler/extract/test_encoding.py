"""decode_html: trust what decodes, not the label."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.extract import analyse, decode_html

ZH = "关于开展政府网站普查工作的通知"


def _page(charset: str | None, text: str = ZH) -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if charset else ""
    return f"<html><head>{meta}<title>{text}</title></head><body><p>{text}</p></body></html>"


@pytest.mark.parametrize("header", [None, "gbk", "gb2312", "GB18030", "utf-8", "iso-8859-1"])
@pytest.mark.parametrize("meta", [None, "gb2312", "gbk"])
def test_decode_html_gbk_bytes_whatever_the_labels(header: str | None, meta: str | None) -> None:
    text, encoding = decode_html(_page(meta).encode("gbk"), header)
    assert ZH in text
    assert encoding == "gb18030"


def test_decode_html_utf8_bytes_under_a_gb2312_label() -> None:
    text, encoding = decode_html(_page("gb2312").encode("utf-8"), "gb2312")
    assert ZH in text and encoding == "utf-8"


def test_decode_html_gb18030_only_characters() -> None:
    text, _ = decode_html(_page("gb2312", "䶮瑢 政务公开").encode("gb18030"), None)
    assert "䶮瑢 政务公开" in text


def test_decode_html_utf8_with_one_broken_byte_stays_utf8() -> None:
    body = _page("utf-8", ZH * 20).encode("utf-8")
    body = body[:200] + b"\xff" + body[200:]
    text, encoding = decode_html(body, None)
    assert encoding == "utf-8" and ZH in text


def test_decode_html_bom_wins() -> None:
    text, encoding = decode_html(b"\xef\xbb\xbf" + _page("gbk").encode("utf-8"), "gbk")
    assert encoding == "utf-8" and text.startswith("<html>")


def test_analyse_reports_a_header_charset_it_overrode() -> None:
    page = analyse(_page("gbk").encode("gbk"), "http://x.gov.cn/", header_charset="utf-8")
    assert page.canonical_charset_fixed and page.title == ZH
    same = analyse(_page("gbk").encode("gbk"), "http://x.gov.cn/", header_charset="gb2312")
    assert not same.canonical_charset_fixed


@pytest.mark.parametrize(
    "name", ["people.com.cn_declares-gb2312_bytes-utf8.html", "163_wuxi_jiaojing_declares-gb2312_bytes-utf8.html"]
)
def test_analyse_real_pages_declaring_gb2312_with_utf8_bytes(shared_dir: Path, name: str) -> None:
    body = (shared_dir / "benchmarks" / "gov-pages" / "gne" / name).read_bytes()
    page = analyse(body, "http://example.cn/a.html", header_charset="gb2312")
    assert page.encoding == "utf-8" and page.canonical_charset_fixed
    assert any(word in page.title for word in ("郑板桥", "无锡"))


def test_analyse_real_gbk_page_behind_a_utf8_declaration(shared_dir: Path) -> None:
    body = (shared_dir / "benchmarks" / "date-extraction" / "htmldate-zh"
            / "archive.org.he.xinhuanet.com.25340717.html").read_bytes()
    page = analyse(body, "http://www.he.xinhuanet.com/news/2012-06/04/content_25340717.htm")
    assert page.encoding == "gb18030"
    assert "新华" in page.text and "\ufffd" not in page.title
