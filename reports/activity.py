"""How actively each account posts: counts over 30/90/365 days, last post, longest silence.

Windows follow RULES.md: a post is within the last N days when its age (``as_of`` minus
its date, in whole days) is between 0 and N. Posts dated after ``as_of`` are ignored.

A mirror shows only its latest posts (a feed often holds 10-20), so counts are what the
mirror shows, and the longest silence is measured only between posts actually seen
(the gap before the oldest seen post is unknown), plus the gap from the last post up to
``as_of``; a gap reaching back before the 365-day window is cut at its start.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

YEAR_DAYS = 365
PLATFORM_NAMES = {"wechat": "微信", "weibo": "微博", "douyin": "抖音", "toutiao": "头条", "other": "其他"}
STATUS_NAMES = {
    "ok": "",
    "unreachable": "镜像无法访问",
    "malformed": "镜像内容无法解析",
    "empty": "镜像没有文章",
    "wrong_account": "镜像返回了其他账号",
    "mirror_stale": "镜像已停止更新",
}


class AccountLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def platform(self) -> str: ...
    @property
    def unit(self) -> str | None: ...


@dataclass(frozen=True)
class ActivityRow:
    account: str
    platform: str
    unit: str
    posts_30: int
    posts_90: int
    posts_365: int
    last_post: date | None
    days_since_last: int | None
    longest_silence_days: int | None
    status: str  # the mirror's status in the run: ok | unreachable | malformed | empty


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _longest_silence(days: list[date], as_of: date) -> int | None:
    """Longest gap between seen posts, or last post to ``as_of``, within 365 days."""
    if not days:
        return None
    start = as_of - timedelta(days=YEAR_DAYS)
    points = [*sorted(set(days)), as_of]
    gaps = [
        (later - max(earlier, start)).days
        for earlier, later in zip(points, points[1:], strict=False)
        if later > start
    ]
    return max(gaps) if gaps else None


def activity_row(account: AccountLike, status: str, posted: Iterable[datetime | date],
                 as_of: date) -> ActivityRow:
    """One account's activity as of ``as_of``."""
    days = [d for d in (_day(p) for p in posted) if d <= as_of]
    ages = [(as_of - d).days for d in days]
    last = max(days) if days else None
    return ActivityRow(
        account=account.name,
        platform=account.platform,
        unit=account.unit or "",
        posts_30=sum(age <= 30 for age in ages),
        posts_90=sum(age <= 90 for age in ages),
        posts_365=sum(age <= YEAR_DAYS for age in ages),
        last_post=last,
        days_since_last=(as_of - last).days if last else None,
        longest_silence_days=_longest_silence(days, as_of),
        status=status,
    )


def account_activity(
    accounts: Sequence[tuple[AccountLike, str, Sequence[datetime | date]]], as_of: date
) -> list[ActivityRow]:
    """Rows in the order given: (account config, mirror status, publish times of its posts)."""
    return [activity_row(account, status, posted, as_of) for account, status, posted in accounts]


# --- text table ----------------------------------------------------------------------

_HEADERS = ("账号", "平台", "近30天", "近90天", "近365天", "最近发布", "距今天数", "最长静默", "备注")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _cells(row: ActivityRow) -> tuple[str, ...]:
    # ASCII "-": the em dash is East Asian "ambiguous" width and misaligns CJK terminals
    def days(value: int | None) -> str:
        return "-" if value is None else f"{value}天"

    return (
        row.account,
        PLATFORM_NAMES.get(row.platform, row.platform),
        str(row.posts_30),
        str(row.posts_90),
        str(row.posts_365),
        row.last_post.isoformat() if row.last_post else "无",
        days(row.days_since_last),
        days(row.longest_silence_days),
        STATUS_NAMES.get(row.status, row.status),
    )


def activity_table_text(rows: Sequence[ActivityRow]) -> str:
    """A fixed-width table (CJK characters count two columns) for the CLI summary."""
    table = [_HEADERS, *(_cells(row) for row in rows)]
    widths = [max(_width(line[i]) for line in table) for i in range(len(_HEADERS))]
    numeric = {2, 3, 4, 6, 7}
    lines = [
        "  ".join(_pad(cell, widths[i], i in numeric) for i, cell in enumerate(line)).rstrip()
        for line in table
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


# --- HTML chart ----------------------------------------------------------------------

_BAR_PX = 240
_COLOURS = {"fresh": "#2e7d32", "warn": "#f9a825", "stale": "#c62828", "none": "#9e9e9e"}


def _colour(row: ActivityRow, warn_days: int, veto_days: int) -> str:
    since = row.days_since_last
    if row.status != "ok" or since is None:
        return _COLOURS["none"]
    if since > veto_days:
        return _COLOURS["stale"]
    return _COLOURS["warn"] if since > warn_days else _COLOURS["fresh"]


def _bar_row(row: ActivityRow, most: int, colour: str) -> str:
    width = round(_BAR_PX * row.posts_90 / most) if most else 0
    bar = (
        f'<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>'
        f'<td width="{width}" height="12" bgcolor="{colour}" '
        f'style="width:{width}px;height:12px;background:{colour};font-size:0;line-height:0">'
        f"&nbsp;</td></tr></table>"
        if width
        else ""
    )
    if row.days_since_last is not None:
        since = f"{row.days_since_last}天前"
    else:
        since = "没有文章" if row.status == "ok" else "—"
    note = STATUS_NAMES.get(row.status, row.status)
    cell = 'style="padding:2px 8px;white-space:nowrap"'
    return (
        f"<tr><td {cell}>{html.escape(row.account)}</td>"
        f"<td {cell}>{html.escape(PLATFORM_NAMES.get(row.platform, row.platform))}</td>"
        f'<td width="{_BAR_PX}" style="padding:2px 8px;width:{_BAR_PX}px">{bar}</td>'
        f'<td {cell} align="right">{row.posts_90}</td>'
        f"<td {cell}>{html.escape(since)}</td>"
        f"<td {cell}>{html.escape(note)}</td></tr>"
    )


def activity_chart_html(
    rows: Sequence[ActivityRow], *, warn_days: int = 10, veto_days: int = 14
) -> str:
    """A bar chart of posts in the last 90 days, as an e-mail-safe HTML table (no JS/SVG).

    Bar colours follow the account-stale thresholds (settings.checks.account_*_days).
    """
    most = max((row.posts_90 for row in rows), default=0)
    head = "".join(
        f'<th align="left" style="padding:2px 8px">{name}</th>'
        for name in ("账号", "平台", "近90天发文", "篇数", "最近发布", "备注")
    )
    body = "".join(_bar_row(row, most, _colour(row, warn_days, veto_days)) for row in rows)
    legend = (
        f'<p style="font-size:12px;color:#555">颜色：绿色 {warn_days}天内有更新；'
        f"黄色 超过{warn_days}天未更新；红色 超过{veto_days}天未更新；灰色 无文章或镜像异常。</p>"
    )
    return (
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" '
        f'style="border-collapse:collapse;font-size:13px"><tr>{head}</tr>{body}</table>{legend}'
    )
