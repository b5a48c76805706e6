"""Publish times of real WeChat article pages (ground truth: benchmarks/wechat/SOURCE.md)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from crawler.extract.post import parse_post_page
from crawler.extract.wechat import publish_time, server_time

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the default schedule.timezone

# From ../shared/benchmarks/wechat/SOURCE.md; times are Asia/Shanghai (+08:00) wall time.
GROUND_TRUTH = {
    "gne/wechat_1_aifou_2020.html": datetime(2020, 2, 12, 22, 17, 54),
    "gne/wechat_2_weiwencode_2020.html": datetime(2020, 2, 11, 18, 47, 50),
    "huawei-codecraft/wechat_huawei_codecraft_2017.html": datetime(2017, 3, 3, 11, 59, 22),
    "laopo/no1.html": datetime(2017, 1, 18),
    "laopo/no2.html": datetime(2017, 1, 18),
    "laopo/no3.html": datetime(2017, 1, 18),
}


@pytest.mark.parametrize("name", sorted(GROUND_TRUTH))
def test_post_page_publish_time_matches_benchmark(shared_dir: Path, name: str) -> None:
    body = (shared_dir / "benchmarks" / "wechat" / name).read_bytes()
    post = parse_post_page(body, "https://mp.weixin.qq.com/s/benchmark", tz=SHANGHAI)
    assert post.published == GROUND_TRUTH[name]
    assert post.title
    assert "var ct" not in post.text and "function(" not in post.text


def test_wechat_publish_time_ignores_relative_visible_date(shared_dir: Path) -> None:
    html = (shared_dir / "benchmarks/wechat/gne/wechat_1_aifou_2020.html").read_text("utf-8")
    assert ">昨天<" in html  # the visible date is useless on its own
    assert publish_time(html, SHANGHAI) == datetime(2020, 2, 12, 22, 17, 54)


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ('var ct = "1577836800";', datetime(2020, 1, 1, 8, 0)),
        ("var create_time = '1577836800' * 1;", datetime(2020, 1, 1, 8, 0)),
        ('{"createTime": "2021-06-01 18:30"}', datetime(2021, 6, 1, 18, 30)),
        ('var publish_time = "2017-03-03" || "";', datetime(2017, 3, 3)),
        ('var ct = "1577836800000";', datetime(2020, 1, 1, 8, 0)),
        ('var ct = ""; var publish_time = "2019-05-06" || "";', datetime(2019, 5, 6)),
    ],
)
def test_wechat_publish_time_reads_script_variants(script: str, expected: datetime) -> None:
    assert publish_time(f"<script>{script}</script>", SHANGHAI) == expected


def test_wechat_publish_time_none_without_script_time() -> None:
    assert publish_time('<em id="publish_time">3天前</em><script>var x = 1;</script>', SHANGHAI) is None


def test_post_page_resolves_relative_visible_date_against_server_time() -> None:
    page = (
        '<html><body><h1 id="activity-name">通知</h1><em id="publish_time">昨天</em>'
        '<div id="js_content"><p>正文</p></div>'
        '<script>var svr_time = "1581604666" * 1;</script></body></html>'
    )
    assert server_time(page, SHANGHAI) == datetime(2020, 2, 13, 22, 37, 46)
    post = parse_post_page(page.encode("utf-8"), "https://mp.weixin.qq.com/s/x", tz=SHANGHAI)
    assert post.published == datetime(2020, 2, 12)
    assert post.text == "正文"
