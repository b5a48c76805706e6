"""Publish dates: parse every common Chinese format and pick the visible one first."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from urllib.parse import urlsplit

from crawler.extract.model import DateInfo

_YEAR = r"((?:19|20|１９|２０)\d{2})"
FULL = re.compile(
    _YEAR + r"\s*(?:[-/.年－／．]|\s(?=\d{1,2}\s))\s*(\d{1,2})\s*[-/.月－／．]\s*(\d{1,2})(?!\d)\s*[日号]?"
)
_COMPACT = re.compile(r"(?<!\d)" + _YEAR + r"(\d{2})(\d{2})(?!\d)")
_URL = re.compile(r"(?<![0-9])" + _YEAR + r"[-/_]?(\d{2})[-/_]?(\d{2})(?!\d)")
# a month-day form, not a quantity (1.2万 reposts, 3.5亿元, 12.5%)
SHORT = re.compile(
    r"(?<![\d.:/-])(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?![\d:]|\s*[万亿千百%‰wWkK])\s*[日号]?"
)
_CN_NUM = "〇零○ＯO一二三四五六七八九十"
_CN = re.compile(rf"([{_CN_NUM}]{{4}})\s*年\s*([{_CN_NUM}]{{1,3}})\s*月\s*([{_CN_NUM}]{{1,3}})\s*日")
_CN_VALUE = {ch: i for i, ch in enumerate("〇一二三四五六七八九")}
_CN_VALUE.update({"零": 0, "○": 0, "Ｏ": 0, "O": 0})
MIN_YEAR = 1970
MAX_YEAR = 2099

_LABEL_TAIL = r"[\s:：\[\]【】（）()|｜]{0,12}"
_STRONG = "发布时间|发布日期|发表时间|发表日期|发稿时间|发文时间|上传时间|公开日期|公布日期|发布于|信息时间"
_DOC = "成文日期|发文日期|印发日期|生成日期|成文时间"
# bare 日期/时间 only when not the tail of another word (出生日期, 会议时间, 截止日期)
_WEAK = "更新时间|更新日期|(?<![\u4e00-\u9fff])(?:日期|时间)|Date|date"
_LABELS = [re.compile(f"(?:{group}){_LABEL_TAIL}(?=[0-9〇零一二])") for group in (_STRONG, _DOC, _WEAK)]


def _cn_number(raw: str) -> int:
    """二〇二三 -> 2023 (digit by digit); 二十一 -> 21; 十一 -> 11."""
    if "十" not in raw:
        return int("".join(str(_CN_VALUE[ch]) for ch in raw))
    tens, _, ones = raw.partition("十")
    return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[ones] if ones else 0)


def _valid(y: int, m: int, d: int, as_of: date | None) -> date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        value = date(y, m, d)
    except ValueError:
        return None
    if as_of is not None and value > as_of + timedelta(days=1):
        return None
    return value


def _full_matches(raw: str, as_of: date | None) -> list[tuple[re.Match[str], date | None]]:
    """Every full-date match (digits, then Chinese numerals) with its valid date or None."""
    found: list[tuple[re.Match[str], date | None]] = []
    for pattern in (FULL, _CN):
        for m in pattern.finditer(raw):
            try:
                y, mo, d = (
                    (int(g) for g in m.groups())
                    if pattern is FULL
                    else (_cn_number(g) for g in m.groups())
                )
            except (KeyError, ValueError):
                continue
            found.append((m, _valid(y, mo, d, as_of)))
    return found


def in_range(value: date, as_of: date | None) -> date | None:
    """``value`` when it is a plausible publish date (1970-2099, at most a day after ``as_of``)."""
    return _valid(value.year, value.month, value.day, as_of)


def _in_order(found: list[tuple[re.Match[str], date | None]]) -> list[tuple[date, int]]:
    valid = [(m.start(), value, m.end()) for m, value in found if value is not None]
    valid.sort(key=lambda triple: triple[0])
    return [(value, end) for _, value, end in valid]


def scan_dates(raw: str, *, as_of: date | None = None) -> tuple[list[date], list[str]]:
    """Every full date in ``raw`` in order, and the date-shaped strings that were rejected."""
    found = _full_matches(raw, as_of)
    invalid = [m.group(0).strip() for m, value in found if value is None]
    return [value for value, _end in _in_order(found)], invalid


def date_spans(raw: str, *, as_of: date | None = None) -> list[tuple[date, int]]:
    """(date, offset where it ends) of every valid full date in ``raw``, in text order.

    The end offset is where a time of day would follow (2024-01-04 09:00).
    """
    return _in_order(_full_matches(raw, as_of))


def short_span(
    raw: str, *, as_of: date | None = None, year: int | None = None
) -> tuple[date, int] | None:
    """``short_date`` and the offset where the month-day form ends."""
    m = SHORT.search(raw)
    if not m or (year is None and as_of is None):
        return None
    mo, d = int(m.group(1)), int(m.group(2))
    if year is not None:
        value = _valid(year, mo, d, as_of)
    else:
        assert as_of is not None
        value = _valid(as_of.year, mo, d, None)
        if value is not None and value > as_of + timedelta(days=1):
            value = _valid(as_of.year - 1, mo, d, None)
    return (value, m.end()) if value is not None else None


def short_date(raw: str, *, as_of: date | None = None, year: int | None = None) -> date | None:
    """A month-day form (11-20, 11月20日) placed in ``year``, else in the year before ``as_of``."""
    found = short_span(raw, as_of=as_of, year=year)
    return found[0] if found else None


def parse_date(raw: str, *, as_of: date | None = None, year: int | None = None) -> date | None:
    """The first valid date in ``raw``; None when there is none or it is impossible/future."""
    dates, _ = scan_dates(raw, as_of=as_of)
    if dates:
        return dates[0]
    compact = _COMPACT.search(raw)
    if compact:
        y, m, d = (int(g) for g in compact.groups())
        return _valid(y, m, d, as_of)
    return short_date(raw, as_of=as_of, year=year)


def url_date(url: str, *, as_of: date | None = None) -> date | None:
    """A date in the URL path: t20231120_1.html, /2023-11/20/, /2023/11/20/."""
    path = urlsplit(url).path
    for m in _URL.finditer(path):
        y, mo, d = (int(g) for g in m.groups())
        value = _valid(y, mo, d, as_of)
        if value is not None:
            return value
    return None


def visible_date(text: str, *, as_of: date | None = None) -> tuple[date | None, list[str]]:
    """The date right after a 发布日期/成文日期/日期/时间 label, strongest label first."""
    value, _end, rejected = visible_span(text, as_of=as_of)
    return value, rejected


def visible_span(text: str, *, as_of: date | None = None) -> tuple[date | None, int, list[str]]:
    """``visible_date`` with the offset in ``text`` where that date ends (-1 when none)."""
    rejected: list[str] = []
    for label in _LABELS:
        for m in label.finditer(text):
            window = text[m.end(): m.end() + 40]
            head = FULL.match(window) or _CN.match(window)
            if head is None:
                continue
            dates, invalid = scan_dates(head.group(0), as_of=as_of)
            if dates:
                return dates[0], m.end() + head.end(), rejected
            rejected.extend(invalid)
    return None, -1, rejected


def date_info(
    visible: date | None,
    meta: date | None,
    from_url: date | None,
    invalid: Iterable[str] = (),
) -> DateInfo:
    """Combine the candidates: visible, else meta, else URL; flag any disagreement."""
    candidates = {
        source: value.isoformat()
        for source, value in (("visible", visible), ("meta", meta), ("url", from_url))
        if value is not None
    }
    published, source = next(
        ((value, src) for src, value in (("visible", visible), ("meta", meta), ("url", from_url))
         if value is not None),
        (None, "none"),
    )
    return DateInfo(
        published=published,
        source=source,
        candidates=candidates,
        disagreement=len(set(candidates.values())) > 1,
        invalid=tuple(dict.fromkeys(invalid)),
    )


# a date labelled as something else (出生日期, 截止时间, 开会时间) is not the publish date
_OTHER_LABEL = re.compile(r"[\u4e00-\u9fff](?:日期|时间|生日|日|于)\s*[:：]?\s*$")
_BYLINE = re.compile(r"^\s*(?:\d{1,2}:\d{2}|[\s|｜丨]*(?:来源|作者|来自|浏览|点击|阅读|字号|编辑|责任编辑|【))")


def headline_date(text: str, heading: str, *, as_of: date | None = None) -> date | None:
    """An unlabelled date in the byline right under the headline (2019年06月15日08:18 来源：...)."""
    start = text.find(heading[:30]) if heading else -1
    window = text[start + len(heading[:30]): start + 600] if start >= 0 else text[:3000]
    for pattern in (FULL, _CN):
        for m in pattern.finditer(window):
            value = parse_date(m.group(0), as_of=as_of)
            if value is None or _OTHER_LABEL.search(window[max(0, m.start() - 10): m.start()]):
                continue
            if start >= 0 or _BYLINE.match(window[m.end():]):
                return value
    return None
