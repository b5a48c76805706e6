"""Freshness rules: homepage-stale, column-stale, column-blank, columns-veto."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TypedDict

from checks.age import age_days, exceeded, iso, newest
from checks.doc import doc_of
from checks.model import Column, Entry, Finding, Rule, Scope, Severity, SiteSnapshot, Snapshot
from checks.text import one_line
from core.settings import ColumnOverride, Settings

TYPE_LABELS = {"news": "动态要闻类", "notice": "通知公告政策类", "must_update": "应更新类"}
_NEWS_WORDS = ("动态", "要闻", "新闻", "资讯")
_NOTICE_WORDS = ("通知", "公告", "公示", "政策", "文件", "解读")


class EntrySeen(TypedDict):
    """A dated entry as the patrol saw it on the list (newest first)."""

    title: str
    date: str
    url: str


class HomepageEvidence(TypedDict):
    newest: str | None
    age_days: int | None
    window_days: int
    items: int
    dated_items: int
    latest_entries: list[EntrySeen]


class StaleEvidence(TypedDict):
    type: str
    newest: str | None
    age_days: int | None
    window_days: int
    entries: int
    top_level: bool
    latest_entries: list[EntrySeen]


class BlankEvidence(TypedDict):
    placeholder: str | None
    entries: int
    top_level: bool


class VetoEvidence(TypedDict):
    stale_news_notice_top: int
    stale_all: int
    blank: int
    stale_columns: list[str]
    blank_columns: list[str]


LATEST_SHOWN = 3


def latest_entries(entries: Iterable[Entry], as_of: date) -> list[EntrySeen]:
    """The newest dated entries (not after ``as_of``), newest first, as the list showed them."""
    dated = [e for e in entries if e.published is not None and e.published <= as_of]
    dated.sort(key=lambda e: (e.published or date.min, e.title), reverse=True)
    return [EntrySeen(title=one_line(e.title, 80), date=iso(e.published) or "", url=e.url)
            for e in dated[:LATEST_SHOWN]]


def column_type(name: str) -> str:
    """news | notice | must_update, from the column's name (RULES.md 'Column types')."""
    if any(word in name for word in _NEWS_WORDS):
        return "news"
    if any(word in name for word in _NOTICE_WORDS):
        return "notice"
    return "must_update"


def _overrides(settings: Settings, site: str) -> tuple[ColumnOverride, ...]:
    for config in settings.sites:
        if config.name == site:
            return config.columns
    return ()


def effective(column: Column, overrides: tuple[ColumnOverride, ...]) -> tuple[str, str]:
    """The column's (name, type): a configured override (by name or URL) wins, else the
    name the crawler saw and the type its name gives (RULES.md "Column types")."""
    for override in overrides:
        if override.match in (column.name, column.url):
            return override.name or column.name, override.type
    return column.name, column_type(column.name)


def _window(settings: Settings, kind: str) -> int:
    cfg = settings.checks
    return {"news": cfg.news_days, "notice": cfg.notice_days}.get(kind, cfg.must_update_days)


def homepage_stale(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """首页不更新。

    ## 检查内容 What it checks
    首页上最新一条带日期信息的发布日期，距监测时间点超过 14 天为单项否决，超过 10 天为预警。
    首页上看不到日期的信息按未更新计。首页未能抓取时不判断（由“站点无法访问”负责）。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》单项否决指标“首页不更新”：
    监测时间点前 2 周内首页没有新的信息更新，即判定为不合格。

    ## 示例 Example
    监测时间点为 2024-03-20，首页最新一条信息日期为 2024-03-01（19 天前）：单项否决。

    ## 如何整改 How to fix
    在首页要闻、通知公告等区块及时发布带有明确日期的新信息，并确保首页展示发布日期。
    """
    if not isinstance(snapshot, SiteSnapshot) or not snapshot.homepage_fetched:
        return
    cfg = settings.checks
    latest = newest((item.published for item in snapshot.home_items), as_of)
    age = age_days(as_of, latest)
    if exceeded(age, cfg.homepage_veto_days):
        severity, window = Severity.VETO, cfg.homepage_veto_days
    elif exceeded(age, cfg.homepage_warn_days):
        severity, window = Severity.WARN, cfg.homepage_warn_days
    else:
        return
    dated = sum(1 for item in snapshot.home_items if item.published is not None)
    if latest is None:
        message = f"首页没有可识别日期的信息（共 {len(snapshot.home_items)} 条），按未更新计"
    else:
        message = f"首页最新信息日期为 {latest.isoformat()}，已 {age} 天未更新（阈值 {window} 天）"
    yield Finding(
        rule=HOMEPAGE_STALE.id, severity=severity, url=snapshot.url, message=message,
        evidence=HomepageEvidence(newest=iso(latest), age_days=age, window_days=window,
                                  items=len(snapshot.home_items), dated_items=dated,
                                  latest_entries=latest_entries(snapshot.home_items, as_of)),
    )


def column_stale(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """栏目不更新。

    ## 检查内容 What it checks
    每个栏目最新一条带日期条目的日期是否超出该类栏目的更新周期：动态要闻类（名称含动态、要闻、
    新闻、资讯）14 天；通知公告与政策文件类（含通知、公告、公示、政策、文件、解读）183 天；
    其他应更新栏目（人事、规划计划、财政、统计、机构职能等）365 天。栏目类型可在配置中按名称或
    网址覆盖。空白栏目只报“空白栏目”，不再报不更新。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标“栏目不更新”：动态要闻类栏目 2 周未更新、通知公告政策文件类
    栏目 6 个月未更新、人事规划等应更新栏目长期未更新均扣分，累计达到阈值即单项否决。

    ## 示例 Example
    “工作动态”最新条目为 40 天前：超出 14 天周期，扣分。

    ## 如何整改 How to fix
    按栏目类型定期发布新内容；确已无内容可发的栏目应整合或下线，不要保留长期不更新的栏目。
    """
    if not isinstance(snapshot, SiteSnapshot):
        return
    overrides = _overrides(settings, snapshot.name)
    for column in snapshot.columns:
        name, kind = effective(column, overrides)
        if column.blank or kind not in TYPE_LABELS:  # "other": not bound to a cadence
            continue
        window = _window(settings, kind)
        latest = newest((entry.published for entry in column.entries), as_of)
        age = age_days(as_of, latest)
        if not exceeded(age, window):
            continue
        when = f"最新条目日期 {latest.isoformat()}，已 {age} 天" if latest else "没有可识别日期的条目"
        yield Finding(
            rule=COLUMN_STALE.id, severity=Severity.DEDUCT, url=column.url, column=name,
            message=f"栏目“{one_line(name)}”（{TYPE_LABELS[kind]}）{when}未更新，超过 {window} 天",
            evidence=StaleEvidence(type=kind, newest=iso(latest), age_days=age,
                                   window_days=window, entries=len(column.entries),
                                   top_level=column.top_level,
                                   latest_entries=latest_entries(column.entries, as_of)),
        )


def column_blank(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """空白栏目。

    ## 检查内容 What it checks
    栏目页没有任何条目，或只显示“暂无信息”“暂无内容”之类的占位文字。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标“空白栏目”：栏目没有内容即扣分；空白栏目达到 5 个及以上，
    “栏目不更新”单项否决。

    ## 示例 Example
    “政策解读”栏目页只显示“暂无信息”：扣分。

    ## 如何整改 How to fix
    补充栏目内容；确无内容的栏目应删除或与相近栏目合并，并移除指向它的导航链接。
    """
    if not isinstance(snapshot, SiteSnapshot):
        return
    overrides = _overrides(settings, snapshot.name)
    for column in snapshot.columns:
        if not column.blank:
            continue
        name = effective(column, overrides)[0]
        shown = f"，页面显示“{one_line(column.placeholder)}”" if column.placeholder else ""
        yield Finding(
            rule=COLUMN_BLANK.id, severity=Severity.DEDUCT, url=column.url, column=name,
            message=f"栏目“{one_line(name)}”为空白栏目{shown}",
            evidence=BlankEvidence(placeholder=column.placeholder, entries=len(column.entries),
                                   top_level=column.top_level),
        )


def columns_veto(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """栏目不更新（单项否决）。

    ## 检查内容 What it checks
    全站栏目情况累计：不更新的动态要闻类与通知公告政策类一级栏目合计 5 个及以上；或不更新
    栏目总数 10 个及以上；或空白栏目 5 个及以上。任一条件成立即单项否决。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号单项否决指标“栏目不更新”：上述任一情形即判定网站不合格。

    ## 示例 Example
    “工作动态”“部门动态”“通知公告”“政策文件”“政策解读”5 个一级栏目均超期未更新：单项否决。

    ## 如何整改 How to fix
    逐一整改各栏目的“栏目不更新”和“空白栏目”问题；长期无内容的栏目应整合或关停。
    """
    if not isinstance(snapshot, SiteSnapshot):
        return
    stale = list(column_stale(snapshot, settings, as_of))
    cfg = settings.checks
    key = [f for f in stale if f.evidence.get("type") in ("news", "notice")
           and f.evidence.get("top_level")]
    blank = [f.column or "" for f in column_blank(snapshot, settings, as_of)]
    reasons = []
    if len(key) >= cfg.columns_veto_news_notice:
        reasons.append(f"动态要闻及通知公告政策类一级栏目 {len(key)} 个不更新")
    if len(stale) >= cfg.columns_veto_all:
        reasons.append(f"不更新栏目共 {len(stale)} 个")
    if len(blank) >= cfg.columns_veto_blank:
        reasons.append(f"空白栏目 {len(blank)} 个")
    if not reasons:
        return
    yield Finding(
        rule=COLUMNS_VETO.id, severity=Severity.VETO, url=snapshot.url,
        message="栏目不更新达到单项否决标准：" + "；".join(reasons),
        evidence=VetoEvidence(stale_news_notice_top=len(key), stale_all=len(stale),
                              blank=len(blank), stale_columns=sorted(f.column or "" for f in stale),
                              blank_columns=sorted(blank)),
    )


HOMEPAGE_STALE = Rule("homepage-stale", Severity.VETO, "首页不更新", "首页不更新",
                      doc_of(homepage_stale), Scope.SITE, HomepageEvidence)
COLUMN_STALE = Rule("column-stale", Severity.DEDUCT, "栏目不更新", "栏目不更新",
                    doc_of(column_stale), Scope.COLUMN, StaleEvidence)
COLUMN_BLANK = Rule("column-blank", Severity.DEDUCT, "空白栏目", "空白栏目",
                    doc_of(column_blank), Scope.COLUMN, BlankEvidence)
COLUMNS_VETO = Rule("columns-veto", Severity.VETO, "栏目不更新", "栏目不更新（单项否决）",
                    doc_of(columns_veto), Scope.SITE, VetoEvidence)
