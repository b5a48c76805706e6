"""Repost rule: repost-late, items of the levels above a site must carry (转载) in time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TypedDict

from checks.doc import doc_of
from checks.model import Entry, Finding, Rule, Scope, Severity, SiteSnapshot, Snapshot
from checks.text import one_line
from core.settings import Settings

_PREFIX = re.compile(r"^\s*(?:[【\[［(（]\s*)?(?:转载|转发|转自|转|来源)\s*(?:[】\]］)）]\s*)?[:：]?\s*")
_PUNCT = re.compile(r"[\s\u3000《》〈〉<>“”\"'‘’「」『』【】\[\]（）()，,。.、：:；;！!？?—\-_·|｜…]")


def normalise_title(title: str) -> str:
    """A title for comparison: 转载/转发 prefixes, punctuation and spaces dropped."""
    text = title
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return _PUNCT.sub("", text).lower()


class RepostEvidence(TypedDict):
    source: str
    source_published: str | None
    reposted: str | None
    reposted_url: str | None
    days: int | None
    limit_hours: int


def _site_entries(snapshot: SiteSnapshot) -> list[Entry]:
    return [*snapshot.home_items, *(e for c in snapshot.columns for e in c.entries)]


def repost_late(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """应转载信息未及时转载。

    ## 检查内容 What it checks
    网站配置的转载来源（``[[sites]] repost_from``：国务院、省、市的要闻和政策列表或订阅源）中，
    监测时间点前 30 天内的条目，网站上没有同标题（忽略标点、空格和“转载”等前缀）或链接到它的
    条目，或者出现时已超过来源日期 1 天（24 小时）。来源发布不足 1 天的尚不判断。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号要求政府网站及时转载党中央、国务院和上级政府的重要信息；该转未转、
    转载滞后会扣分。

    ## 示例 Example
    国务院 2024-03-01 发布的政策，网站 2024-03-05 才转载（4 天）：扣分。

    ## 如何整改 How to fix
    安排专人每日跟踪上级网站，在一个工作日内转载，并建立转载台账。
    """
    if not isinstance(snapshot, SiteSnapshot) or not snapshot.homepage_fetched:
        return
    cfg = settings.checks
    limit_days = cfg.repost_window_hours / 24
    mine = _site_entries(snapshot)
    by_title: dict[str, list[Entry]] = {}
    by_url: dict[str, list[Entry]] = {}
    for entry in mine:
        by_title.setdefault(normalise_title(entry.title), []).append(entry)
        by_url.setdefault(entry.url, []).append(entry)
    linked = {t.url for t in snapshot.targets}
    for source in snapshot.repost_sources:
        for item in source.entries:
            if item.published is None or not 0 <= (as_of - item.published).days <= cfg.repost_lookback_days:
                continue
            key = normalise_title(item.title)
            copies = [*by_url.get(item.url, ()), *(by_title.get(key, ()) if len(key) >= 4 else ())]
            dated = sorted((c for c in copies if c.published is not None),
                           key=lambda c: c.published or date.min)
            first = dated[0] if dated else None
            if first is not None and first.published is not None:
                days = (first.published - item.published).days
                if days <= limit_days:
                    continue
                state = f"{first.published.isoformat()} 才转载（{days} 天后）"
            elif copies or item.url in linked:
                continue  # reposted, on a page that shows no date: nothing to measure
            elif (as_of - item.published).days <= limit_days:
                continue  # not due yet
            else:
                days = None
                state = "至今未转载"
            yield Finding(
                rule=REPOST_LATE.id, severity=Severity.DEDUCT, url=item.url, site=snapshot.name,
                column=source.name,
                message=f"上级发布的“{one_line(item.title)}”（{item.published.isoformat()}）{state}",
                evidence=RepostEvidence(
                    source=source.url, source_published=item.published.isoformat(),
                    reposted=first.published.isoformat() if first and first.published else None,
                    reposted_url=first.url if first else None, days=days,
                    limit_hours=cfg.repost_window_hours))


REPOST_LATE = Rule("repost-late", Severity.DEDUCT, "转载不及时", "应转载信息未及时转载",
                   doc_of(repost_late), Scope.SITE, RepostEvidence)
