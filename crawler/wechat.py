"""Publish times of WeChat (mp.weixin.qq.com) article pages, and the date strings mirrors show.

A WeChat article page shows its date relative to the reader's clock ("昨天", "3天前"), so
the visible date of a saved page is useless. The page script carries the real publish
time as a Unix timestamp (``var ct = "1581517074"``; newer templates also
``create_time``/``ori_create_time``/``createTime``) or as a date (``var publish_time =
"2017-03-03"``). Every datetime returned here is naive and means Asia/Shanghai wall time,
like the ``DateTime`` columns of the store.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Ordered by trust: the creation timestamp first, a date-only publish_time last.
_SCRIPT_KEYS = ("ct", "create_time", "ori_create_time", "createTime", "publish_time", "publishTime")
_SCRIPT_VALUE = r"""["']?\b{key}["']?\s*[:=]\s*["']([^"'\n]{{1,40}})["']"""
_SCRIPT_PATTERNS = tuple(
    (key, re.compile(_SCRIPT_VALUE.format(key=re.escape(key)))) for key in _SCRIPT_KEYS
)
_SERVER_TIME = re.compile(r"""\bsvr_time\s*=\s*["'](\d{10})["']""")

DATE_RE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*T?\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*(?P<S>\d{2}))?)?"
)
_MONTH_DAY = re.compile(
    r"(?<![\d\-/.])(?P<m>\d{1,2})\s*[-/月]\s*(?P<d>\d{1,2})(?![\d\-/.])\s*日?"
    r"(?:\s*(?P<H>\d{1,2}):(?P<M>\d{2}))?"
)
_RELATIVE = re.compile(
    r"(刚刚|(\d+)\s*(秒|分钟|小时|天)前|今天|昨天|前天)(?:\s*(\d{1,2}):(\d{2}))?"
)
_EARLIEST = datetime(1995, 1, 1)


def to_local(value: datetime) -> datetime:
    """Aware datetimes become naive Shanghai wall time; naive ones are taken as such already."""
    if value.tzinfo is None:
        return value
    return value.astimezone(SHANGHAI).replace(tzinfo=None)


def _from_epoch(digits: str) -> datetime | None:
    seconds = int(digits) / (1000 if len(digits) == 13 else 1)
    moment = to_local(datetime.fromtimestamp(seconds, UTC))
    return moment if moment >= _EARLIEST else None


def _script_value(raw: str) -> datetime | None:
    raw = raw.strip()
    if re.fullmatch(r"\d{10}|\d{13}", raw):
        return _from_epoch(raw)
    return parse_absolute(raw)


def wechat_publish_time(html: str) -> datetime | None:
    """The publish time a WeChat article page hides in its script (naive Shanghai time).

    Returns ``None`` when the page carries none of the known variables; the caller
    then falls back to the visible date.
    """
    for _key, pattern in _SCRIPT_PATTERNS:
        for match in pattern.finditer(html):
            found = _script_value(match.group(1))
            if found is not None:
                return found
    return None


def wechat_server_time(html: str) -> datetime | None:
    """When WeChat served the page (``svr_time``): the clock a visible "昨天" refers to."""
    match = _SERVER_TIME.search(html)
    return _from_epoch(match.group(1)) if match else None


def _build(y: int, m: int, d: int, hh: str | None, mm: str | None, ss: str | None) -> datetime | None:
    try:
        return datetime(y, m, d, int(hh or 0), int(mm or 0), int(ss or 0))
    except ValueError:
        return None


def parse_absolute(text: str) -> datetime | None:
    """The first full date (with year) in ``text``, e.g. 2024-01-02, 2024年1月2日 10:30."""
    text = text.strip()
    if not text:
        return None
    parsed = _parse_machine(text)
    if parsed is not None:
        return parsed
    match = DATE_RE.search(text)
    if match is None:
        return None
    g = match.groupdict()
    return _build(int(g["y"]), int(g["m"]), int(g["d"]), g["H"], g["M"], g["S"])


def _parse_machine(text: str) -> datetime | None:
    """RFC 822 (RSS) and ISO 8601 (Atom) strings; a missing zone means Shanghai time."""
    try:
        return to_local(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    if re.match(r"^([A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", text):
        try:
            return to_local(parsedate_to_datetime(text))
        except (TypeError, ValueError, IndexError):
            return None
    return None


def parse_display_date(text: str, now: datetime | None = None) -> datetime | None:
    """A date as a page shows it: absolute, or relative ("昨天", "3小时前", "11-25") to ``now``.

    Relative forms and dates without a year need ``now`` (the moment the page was
    served or the check time point); without it they give ``None``.
    """
    absolute = parse_absolute(text)
    if absolute is not None or now is None:
        return absolute
    relative = _RELATIVE.search(text)
    if relative is not None:
        return _resolve_relative(relative, now)
    short = _MONTH_DAY.search(text)
    if short is None:
        return None
    g = short.groupdict()
    for year in (now.year, now.year - 1):
        found = _build(year, int(g["m"]), int(g["d"]), g["H"], g["M"], None)
        if found is not None and found.date() <= now.date() + timedelta(days=1):
            return found
    return None


def _resolve_relative(match: re.Match[str], now: datetime) -> datetime:
    word, amount, unit = match.group(1), match.group(2), match.group(3)
    if amount:
        step = {"秒": "seconds", "分钟": "minutes", "小时": "hours", "天": "days"}[unit]
        return now - timedelta(**{step: int(amount)})
    if word == "刚刚":
        return now
    day: date = now.date() - timedelta(days={"今天": 0, "昨天": 1, "前天": 2}[word])
    hour, minute = int(match.group(4) or 0), int(match.group(5) or 0)
    return datetime(day.year, day.month, day.day, min(hour, 23), min(minute, 59))
