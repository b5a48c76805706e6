"""Publish moments: a date with its time of day, as naive wall time of a given time zone.

``crawler.extract.dates`` finds the day; this module adds what feeds, account mirrors and
WeChat pages state beyond it: the time of day after a date (2024-01-04 09:00), machine
formats with a UTC offset (RFC 822 in RSS, ISO 8601 in Atom and JSON Feed), Unix
timestamps, and dates shown relative to a clock ("3小时前", "昨天 10:00", "11-25").

Every datetime returned is naive wall time of the zone passed in, as the store's
``DateTime`` columns keep the configured ``schedule.timezone``. The zone is always a
parameter (a ``ZoneInfo`` or its name); ``None`` keeps a stated offset's own wall time,
which is what day-level site extraction wants when no zone is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

from core.clock import zone
from crawler.extract.dates import date_spans, short_span

Zone = ZoneInfo | str | None

_TIME = re.compile(r"\s*T?\s*(\d{1,2})\s*[:：时]\s*(\d{2})(?:\s*[:：分]\s*(\d{2}))?")
_RFC822 = re.compile(r"^([A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}")
_EPOCH = re.compile(r"\d{10}|\d{13}")
_RELATIVE = re.compile(
    r"(刚刚|(\d+)\s*(秒|分钟|小时|天)前|今天|昨天|前天)(?:\s*(\d{1,2}):(\d{2}))?"
)
_UNITS = {"秒": "seconds", "分钟": "minutes", "小时": "hours", "天": "days"}
_DAYS_BACK = {"今天": 0, "昨天": 1, "前天": 2}
# Timestamps before this are placeholders (0, 1970), not publish times.
_EARLIEST = datetime(1995, 1, 1)


def to_wall(value: datetime, tz: Zone) -> datetime:
    """Naive wall time of ``tz``; naive input is taken as that already."""
    if value.tzinfo is None:
        return value
    if tz is None:
        return value.replace(tzinfo=None)
    return value.astimezone(tz if isinstance(tz, ZoneInfo) else zone(tz)).replace(tzinfo=None)


def from_epoch(digits: str, tz: ZoneInfo | str) -> datetime | None:
    """A 10-digit (seconds) or 13-digit (milliseconds) Unix time as wall time of ``tz``."""
    if not _EPOCH.fullmatch(digits):
        return None
    seconds = int(digits) / (1000 if len(digits) == 13 else 1)
    moment = to_wall(datetime.fromtimestamp(seconds, UTC), tz)
    return moment if moment >= _EARLIEST else None


def time_after(text: str, end: int) -> time | None:
    """The time of day right after offset ``end`` (the end of a date), if one is written."""
    m = _TIME.match(text, end)
    if m is None:
        return None
    try:
        return time(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))
    except ValueError:
        return None


def _machine(text: str, tz: Zone) -> tuple[datetime, bool] | None:
    """ISO 8601 (Atom, JSON Feed) and RFC 822 (RSS) strings; no offset means wall time.

    The flag says whether the string states a time of day (2024-01-02 alone does not).
    """
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return to_wall(value, tz), ":" in text
    except ValueError:
        pass
    if _RFC822.match(text):
        try:
            return to_wall(parsedate_to_datetime(text), tz), True
        except (TypeError, ValueError, IndexError):
            return None
    return None


def _moment(text: str, tz: Zone) -> tuple[datetime, bool] | None:
    text = text.strip()
    if not text:
        return None
    machine = _machine(text, tz)
    if machine is not None:
        return machine
    spans = date_spans(text)
    if not spans:
        return None
    day, end = spans[0]
    at = time_after(text, end)
    return datetime.combine(day, at or time()), at is not None


def parse_moment(text: str, tz: Zone) -> datetime | None:
    """The first full date in ``text`` with the time of day written after it (else midnight).

    A whole-string machine format (2024-01-02T16:30:00Z, Tue, 02 Jan 2024 10:00:00 +0800)
    is converted to wall time of ``tz``.
    """
    found = _moment(text, tz)
    return found[0] if found else None


def timed_moment(text: str, tz: Zone) -> datetime | None:
    """``parse_moment`` when ``text`` states a time of day, else None."""
    found = _moment(text, tz)
    return found[0] if found and found[1] else None


def moment_at(text: str, day: date, end: int) -> datetime | None:
    """``day`` (ending at offset ``end`` of ``text``) at the time written after it, if any."""
    at = time_after(text, end)
    return datetime.combine(day, at) if at is not None else None


def parse_shown(text: str, now: datetime | None, tz: Zone) -> datetime | None:
    """A date as a page shows it: absolute, or relative ("昨天", "3小时前", "11-25") to ``now``.

    Relative forms and dates without a year need ``now`` (the moment the page was served,
    or the check time point), as naive wall time; without it they give ``None``.
    """
    absolute = parse_moment(text, tz)
    if absolute is not None or now is None:
        return absolute
    relative = _RELATIVE.search(text)
    if relative is not None:
        return _resolve_relative(relative, now)
    short = short_span(text, as_of=now.date())
    if short is None:
        return None
    day, end = short
    return datetime.combine(day, time_after(text, end) or time())


def _resolve_relative(match: re.Match[str], now: datetime) -> datetime:
    word, amount, unit = match.group(1), match.group(2), match.group(3)
    if amount:
        return now - timedelta(**{_UNITS[unit]: int(amount)})
    if word == "刚刚":
        return now
    day: date = now.date() - timedelta(days=_DAYS_BACK[word])
    hour, minute = int(match.group(4) or 0), int(match.group(5) or 0)
    return datetime(day.year, day.month, day.day, min(hour, 23), min(minute, 59))


def same_day_time(day: date | None, candidates: Iterable[datetime | None]) -> time | None:
    """The time of the first candidate that falls on ``day`` (a meta tag, a labelled date)."""
    if day is None:
        return None
    for found in candidates:
        if found is not None and found.date() == day:
            return found.time()
    return None
