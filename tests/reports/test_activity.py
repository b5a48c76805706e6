"""Per-account activity: counts over 30/90/365 days, last post, longest silence; renderings."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

from core.settings import AccountConfig
from reports.activity import (
    ActivityRow,
    account_activity,
    activity_chart_html,
    activity_table_text,
)

AS_OF = date(2024, 6, 30)


def _account(name: str, platform: str = "wechat", unit: str | None = "区政府办") -> AccountConfig:
    return AccountConfig(name=name, platform=platform, url="https://m.example/", unit=unit)


def _days_ago(*ages: int) -> list[date]:
    return [AS_OF - timedelta(days=age) for age in ages]


def test_activity_counts_windows_inclusive_of_their_last_day() -> None:
    posted = [*_days_ago(0, 30, 31, 90, 91, 365, 366), datetime(2024, 6, 29, 23, 59)]
    (row,) = account_activity([(_account("区发布"), "ok", posted)], AS_OF)
    assert (row.posts_30, row.posts_90, row.posts_365) == (3, 5, 7)
    assert row.last_post == AS_OF and row.days_since_last == 0


def test_activity_longest_silence_includes_gap_up_to_as_of() -> None:
    (row,) = account_activity([(_account("区发布"), "ok", _days_ago(100, 95, 40))], AS_OF)
    assert row.last_post == AS_OF - timedelta(days=40)
    assert row.days_since_last == 40
    assert row.longest_silence_days == 55  # 95 -> 40 days ago, longer than the 40 up to as_of
    (quiet,) = account_activity([(_account("区发布"), "ok", _days_ago(60, 59))], AS_OF)
    assert quiet.longest_silence_days == 59


def test_activity_silence_is_cut_at_the_window_start() -> None:
    (row,) = account_activity([(_account("僵尸号"), "ok", _days_ago(500, 300, 299))], AS_OF)
    assert row.longest_silence_days == 299  # 300 -> 299 is 1; 299 -> as_of is 299; 500 -> 300 cut to 65
    (old,) = account_activity([(_account("僵尸号"), "ok", _days_ago(700, 400))], AS_OF)
    assert old.posts_365 == 0 and old.days_since_last == 400
    assert old.longest_silence_days == 365


def test_activity_ignores_posts_after_as_of() -> None:
    (row,) = account_activity([(_account("区发布"), "ok", [*_days_ago(5), AS_OF + timedelta(days=3)])], AS_OF)
    assert row.posts_30 == 1 and row.days_since_last == 5


def test_activity_account_without_posts_and_unreachable_mirror() -> None:
    rows = account_activity(
        [(_account("无文章号", "weibo", None), "ok", []), (_account("坏镜像", "douyin"), "unreachable", [])],
        AS_OF,
    )
    assert rows[0] == ActivityRow("无文章号", "weibo", "", 0, 0, 0, None, None, None, "ok")
    assert rows[1].status == "unreachable" and rows[1].account == "坏镜像"


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def test_activity_table_text_aligns_chinese_columns() -> None:
    rows = account_activity(
        [(_account("某区人民政府发布"), "ok", _days_ago(1, 20)), (_account("卫健", "toutiao"), "malformed", [])],
        AS_OF,
    )
    text = activity_table_text(rows)
    lines = text.splitlines()
    assert lines[0].split() == ["账号", "平台", "近30天", "近90天", "近365天", "最近发布", "距今天数", "最长静默", "备注"]
    assert "某区人民政府发布  微信" in lines[2] and "2024-06-29" in lines[2] and "19天" in lines[2]
    assert "头条" in lines[3] and "镜像内容无法解析" in lines[3]
    # the date column starts at the same display column on every row
    starts = {_display_width(line[: line.index("2024")]) for line in lines if "2024" in line}
    header_start = _display_width(lines[0][: lines[0].index("最近发布")])
    assert starts == {header_start}


def test_activity_chart_html_scales_bars_and_escapes() -> None:
    rows = account_activity(
        [
            (_account("<script>x</script>"), "ok", _days_ago(*range(0, 40, 2))),
            (_account("半活跃"), "ok", _days_ago(*range(12, 90, 8))),
            (_account("无"), "unreachable", []),
        ],
        AS_OF,
    )
    chart = activity_chart_html(rows)
    assert "<script>" not in chart and "&lt;script&gt;x&lt;/script&gt;" in chart
    widths = [int(w) for w in re.findall(r'<td width="(\d+)" height="12"', chart)]
    assert widths == [240, round(240 * rows[1].posts_90 / rows[0].posts_90)]
    assert "#2e7d32" in chart and "#f9a825" in chart  # fresh green; 12 days silent warns
    assert "镜像无法访问" in chart
    assert "<svg" not in chart and "javascript" not in chart.lower()
