"""A post's own page: title, publish time, text without scripts, links; real government articles."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.extract.post import parse_post_page

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the default schedule.timezone

def test_post_page_text_has_no_script_or_style_and_links_are_absolute() -> None:
    page = """<html><head><title>标题 &amp; 副题</title><style>.a{color:red}</style>
    <meta name="PubDate" content="2024-01-04 15:20"></head><body><h1>标题 &amp; 副题</h1>
    <div id="content"><p>第一段</p><script>var secret = 1;</script><p>第二段 <a href="../x.pdf">附件</a></p></div>
    </body></html>"""
    post = parse_post_page(page.encode(), "https://m.example/news/1/index.html", tz=SHANGHAI)
    assert post.title == "标题 & 副题"
    assert post.published == datetime(2024, 1, 4, 15, 20)
    assert post.text == "第一段\n第二段 附件"  # the title is not repeated in the text
    assert "secret" not in post.text and "color" not in post.text
    assert post.links == ("https://m.example/news/x.pdf",)
    assert post.needs_fetch is False


def test_post_page_uses_labelled_visible_date() -> None:
    page = "<html><body><p>2019年工作总结</p><p>发布时间：2024-01-04 09:00</p><p>正文</p></body></html>"
    post = parse_post_page(page.encode(), "https://m.example/a", tz=SHANGHAI)
    assert post.published == datetime(2024, 1, 4, 9, 0)


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
    post = parse_post_page(body, "http://www.example.gov.cn/art/1.html", tz=SHANGHAI)
    assert post.published is not None
    assert post.published.date() == GOV_POST_DATES[name]
    assert post.text and "function(" not in post.text
