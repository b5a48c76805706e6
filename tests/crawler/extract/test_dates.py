"""Publish dates: formats, validity, and visible-over-meta-over-URL with disagreement kept."""

from __future__ import annotations

from datetime import date, time

import pytest

from crawler.extract import analyse, parse_date

AS_OF = date(2024, 1, 10)


@pytest.mark.parametrize(
    "raw",
    [
        "2023-11-20", "2023/11/20", "2023.11.20", "2023年11月20日", "2023年11月20日 10:30",
        "2023 年 11 月 20 日", "2023-11-20T10:30:00+08:00", "发布时间：2023-11-20 10:30:12",
        "二〇二三年十一月二十日", "20231120", "[2023-11-20]", "２０２３－１１－２０", "2023．11．20",
    ],
)
def test_parse_date_common_chinese_formats(raw: str) -> None:
    assert parse_date(raw, as_of=AS_OF) == date(2023, 11, 20)


def test_parse_date_rejects_impossible_and_future_dates() -> None:
    assert parse_date("2023-02-30") is None
    assert parse_date("2023-13-01") is None
    assert parse_date("2024-03-01", as_of=AS_OF) is None
    assert parse_date("2024-01-11", as_of=AS_OF) == date(2024, 1, 11)  # one day of clock skew
    assert parse_date("1850-01-01") is None


def test_parse_date_short_forms_take_the_year_from_context() -> None:
    assert parse_date("[11-20]", as_of=AS_OF) == date(2023, 11, 20)
    assert parse_date("01-05", as_of=AS_OF) == date(2024, 1, 5)
    assert parse_date("11月20日", year=2021) == date(2021, 11, 20)
    assert parse_date("11-20") is None


def test_parse_date_cn_numerals_with_ten() -> None:
    assert parse_date("二〇一九年十月一日") == date(2019, 10, 1)
    assert parse_date("二○二○年二月十四日") == date(2020, 2, 14)


def _page(body: str, head: str = "", url: str = "http://x.gov.cn/art/2023/11/20/art_1.html") -> str:
    return f"<html><head><title>标题</title>{head}</head><body>{body}</body></html>"


def test_dates_visible_label_beats_meta_and_disagreement_is_kept() -> None:
    html = _page('<div class="info">发布日期：2023-11-20 来源：本站</div><p>正文</p>',
                 '<meta name="PubDate" content="2023-11-21 09:00">')
    info = analyse(html.encode(), "http://x.gov.cn/art/2023/11/20/t20231120_1.html", as_of=AS_OF).dates
    assert info.published == date(2023, 11, 20) and info.source == "visible"
    assert info.candidates == {"visible": "2023-11-20", "meta": "2023-11-21", "url": "2023-11-20"}
    assert info.disagreement


def test_dates_label_and_value_in_separate_cells() -> None:
    html = _page("<table><tr><td>索引号</td><td>001/2023</td><td>发布日期</td><td>2023-05-11</td></tr>"
                 "<tr><td>成文日期</td><td>2023-05-08</td></tr></table>")
    info = analyse(html.encode(), "http://x.gov.cn/a.html", as_of=AS_OF).dates
    assert info.published == date(2023, 5, 11) and info.source == "visible"


def test_dates_ignore_birth_dates_and_take_meta() -> None:
    html = _page("<p>出生日期：1975年1月28日</p>", '<meta property="article:published_time" content="2020-02-14T08:00:00Z">')
    info = analyse(html.encode(), "http://x.cn/a", as_of=AS_OF).dates
    assert info.published == date(2020, 2, 14) and info.source == "meta"


def test_dates_invalid_visible_date_is_reported_and_skipped() -> None:
    html = _page("<p>发布时间：2023-02-30</p>", '<meta name="publishdate" content="2023-02-28">')
    info = analyse(html.encode(), "http://x.cn/a", as_of=AS_OF).dates
    assert info.published == date(2023, 2, 28) and info.source == "meta"
    assert "2023-02-30" in info.invalid


def test_dates_future_visible_date_rejected_with_as_of() -> None:
    html = _page("<p>发布时间：2025-06-01</p>")
    info = analyse(html.encode(), "http://x.cn/a", as_of=AS_OF).dates
    assert info.published is None and info.source == "none" and info.invalid


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://x.gov.cn/xxgk/202311/t20231120_123.html", date(2023, 11, 20)),
        ("http://x.gov.cn/news/2023-11/20/content_1.htm", date(2023, 11, 20)),
        ("http://x.gov.cn/art/2023/11/20/art_12_345.html", date(2023, 11, 20)),
        ("http://x.gov.cn/col/col1234/index.html?t=20231120", None),
    ],
)
def test_dates_from_the_url(url: str, expected: date | None) -> None:
    info = analyse(b"<html><body><p>text</p></body></html>", url, as_of=AS_OF).dates
    assert info.published == expected
    assert info.source == ("url" if expected else "none")


def test_dates_unlabelled_byline_under_the_headline() -> None:
    html = _page("<h1>某某县召开全体会议</h1><div>2023年11月20日08:18 来源：县政府办</div><p>会议要求……</p>")
    info = analyse(html.encode(), "http://x.cn/a", as_of=AS_OF).dates
    assert info.published == date(2023, 11, 20) and info.source == "visible"


def test_dates_time_of_day_from_a_timed_meta_tag_of_the_same_day() -> None:
    # a date-only meta tag gives the day; another meta tag the time of that day
    html = _page("<h1>益阳：数字是优长</h1><p>正文</p>",
                 '<meta name="publishdate" content="2020-01-02">'
                 '<meta property="og:release_date" content="2020-01-02 17:11">')
    info = analyse(html.encode(), "http://x.gov.cn/a.html").dates
    assert (info.published, info.source) == (date(2020, 1, 2), "meta")
    assert info.time_of_day == time(17, 11)


def test_dates_time_of_day_from_the_labelled_date_never_from_another_day() -> None:
    labelled = _page("<p>发布时间：2023-11-20 10:30 来源：本站</p><p>正文</p>")
    info = analyse(labelled.encode(), "http://x.gov.cn/a.html", as_of=AS_OF).dates
    assert (info.published, info.time_of_day) == (date(2023, 11, 20), time(10, 30))
    other = _page("<p>发布日期：2023-11-20</p><p>正文</p>",
                  '<meta name="PubDate" content="2023-11-21 09:00">')
    info = analyse(other.encode(), "http://x.gov.cn/a.html", as_of=AS_OF).dates
    assert (info.published, info.time_of_day) == (date(2023, 11, 20), None)


def test_dates_rfc822_meta_date_in_the_given_zone() -> None:
    html = _page("<p>正文</p>", '<meta name="pubdate" content="Mon, 20 Nov 2023 20:30:00 +0000">')
    as_written = analyse(html.encode(), "http://x.gov.cn/a.html").dates
    assert (as_written.published, as_written.time_of_day) == (date(2023, 11, 20), time(20, 30))
    shanghai = analyse(html.encode(), "http://x.gov.cn/a.html", tz="Asia/Shanghai").dates
    assert (shanghai.published, shanghai.time_of_day) == (date(2023, 11, 21), time(4, 30))
