"""Publish moments: dates with a time of day, machine formats, epochs, relative forms, zones."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.errors import ConfigError
from crawler.extract.moments import from_epoch, parse_moment, parse_shown, timed_moment

SHANGHAI = ZoneInfo("Asia/Shanghai")  # the default schedule.timezone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3小时前", datetime(2024, 1, 10, 9, 0)),
        ("昨天 08:15", datetime(2024, 1, 9, 8, 15)),
        ("2天前", datetime(2024, 1, 8, 12, 0)),
        ("12-25", datetime(2023, 12, 25)),
        ("01-09 10:00", datetime(2024, 1, 9, 10, 0)),
        ("2023年12月5日", datetime(2023, 12, 5)),
    ],
)
def test_display_date_resolves_relative_forms(text: str, expected: datetime) -> None:
    assert parse_shown(text, datetime(2024, 1, 10, 12, 0), SHANGHAI) == expected


def test_display_date_relative_without_clock_is_unknown() -> None:
    assert parse_shown("昨天", None, SHANGHAI) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年1月2日 10时30分", datetime(2024, 1, 2, 10, 30)),
        ("发布时间：2024-01-04 09:00:05 来源：本站", datetime(2024, 1, 4, 9, 0, 5)),
        ("2024/01/04T09:00", datetime(2024, 1, 4, 9, 0)),
        ("２０２４－０１－０４ 09:00", datetime(2024, 1, 4, 9, 0)),
        ("2024-01-04 25:00", datetime(2024, 1, 4)),  # an impossible time keeps the day
        ("二〇二四年一月四日", datetime(2024, 1, 4)),
    ],
)
def test_parse_moment_reads_the_time_written_after_a_date(text: str, expected: datetime) -> None:
    assert parse_moment(text, SHANGHAI) == expected


@pytest.mark.parametrize(
    ("tz", "atom", "rss"),
    [
        (SHANGHAI, datetime(2024, 1, 3, 0, 30), datetime(2024, 1, 2, 10, 0)),
        (ZoneInfo("Europe/Berlin"), datetime(2024, 1, 2, 17, 30), datetime(2024, 1, 2, 3, 0)),
        ("UTC", datetime(2024, 1, 2, 16, 30), datetime(2024, 1, 2, 2, 0)),
        (None, datetime(2024, 1, 2, 16, 30), datetime(2024, 1, 2, 10, 0)),  # as written
    ],
)
def test_machine_formats_become_wall_time_of_the_zone(
    tz: ZoneInfo | str | None, atom: datetime, rss: datetime
) -> None:
    assert parse_moment("2024-01-02T16:30:00Z", tz) == atom
    assert parse_moment("Tue, 02 Jan 2024 10:00:00 +0800", tz) == rss
    assert parse_moment("2024-01-02 10:00", tz) == datetime(2024, 1, 2, 10, 0)  # no offset


def test_unknown_zone_name_is_a_clear_error() -> None:
    with pytest.raises(ConfigError, match="schedule.timezone"):
        parse_moment("2024-01-02T16:30:00Z", "Mars/Olympus")


def test_epoch_values_in_seconds_and_milliseconds() -> None:
    assert from_epoch("1577836800", "UTC") == datetime(2020, 1, 1, 0, 0)
    assert from_epoch("1577836800000", SHANGHAI) == datetime(2020, 1, 1, 8, 0)
    assert from_epoch("0000000001", "UTC") is None  # a placeholder, not a publish time
    assert from_epoch("2020-01-01", "UTC") is None


def test_timed_moment_needs_a_stated_time_of_day() -> None:
    assert timed_moment("2020-01-02", SHANGHAI) is None
    assert timed_moment("2020年1月2日", SHANGHAI) is None
    assert timed_moment("2020-01-02 17:11", SHANGHAI) == datetime(2020, 1, 2, 17, 11)
    assert timed_moment("2007-08-20-23:59:59", None) == datetime(2007, 8, 20, 23, 59, 59)


def test_shown_dates_are_not_read_from_quantities() -> None:
    now = datetime(2024, 1, 10, 12, 0)
    assert parse_shown("转发 1.2万 评论 356", now, SHANGHAI) is None
    assert parse_shown("阅读 3.5w", now, SHANGHAI) is None
    assert parse_shown("11.20", now, SHANGHAI) == datetime(2023, 11, 20)
