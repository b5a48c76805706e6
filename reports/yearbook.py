"""The year's numbers (``xunwang yearbook``, the web page /yearbook/YYYY, an Excel file).

What an office's 政府信息公开工作年度报告 quotes, from what Xunwang saw during the year:
entries published per site and column, policy documents and their interpretations, letters,
new-media accounts, rectification items, security findings, and how much of the year the
patrols covered. Every figure comes from rows of ``store.yearbook`` (a test recomputes them).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from checks.interpretation import pair
from checks.registry import title
from checks.workdays import working_days_between
from core.settings import Settings
from store import yearbook as rows
from store.snapshot import site_snapshot

PLATFORM_LABELS = {"wechat": "公众号", "weibo": "微博", "douyin": "抖音", "toutiao": "头条号",
                   "other": "其他"}
FORM_LABELS = {"text": "文字", "image": "图解", "video": "视频", "audio": "音频", "h5": "H5"}
SECURITY_PREFIXES = ("security-", "tls-certificate", "mixed-content")


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


@dataclass
class SiteYear:
    site: str
    entries: int
    by_column: dict[str, int]
    by_month: list[int]


@dataclass
class PolicyYear:
    site: str
    documents: int
    interpreted: int
    missing: int
    late: int
    forms: dict[str, int]
    median_delay_working_days: float | None


@dataclass
class LetterYear:
    site: str
    received: int  # letters asked in the year that the site lists (published on it)
    answered: int
    median_reply_days: float | None
    worst_reply_days: int | None
    worst_url: str | None


@dataclass
class AccountYear:
    account: str
    platform: str
    posts: int
    active_days: int
    longest_silence_days: int | None
    silent_periods: int  # gaps longer than the account-stale window


@dataclass
class RectificationGroup:
    found: int = 0
    fixed: int = 0
    verified: int = 0
    days_to_fix: list[int] = field(default_factory=list)

    def add(self, item: rows.ItemRow) -> None:
        self.found += 1
        closed = item.state == "closed"
        self.fixed += int(item.reported_fixed or closed)
        self.verified += int(closed)
        if closed and item.closed_at is not None:
            self.days_to_fix.append((item.closed_at.date() - item.first_seen).days)

    def to_json(self) -> dict[str, Any]:
        return {"found": self.found, "fixed": self.fixed, "verified": self.verified,
                "median_days_to_fix": _median(self.days_to_fix)}


@dataclass
class Yearbook:
    year: int
    site: str | None
    coverage_days: int
    year_days: int
    first_day: date | None
    last_day: date | None
    sites: list[SiteYear]
    policies: list[PolicyYear]
    letters: list[LetterYear]
    accounts: list[AccountYear]
    platforms: dict[str, int]
    rectification: RectificationGroup
    by_unit: dict[str, RectificationGroup]
    by_rule: dict[str, RectificationGroup]
    found_by_month: list[int]
    security: dict[str, int]

    @property
    def partial(self) -> bool:
        return self.coverage_days < self.year_days

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year, "site": self.site,
            "coverage": {"days": self.coverage_days, "year_days": self.year_days,
                         "first": self.first_day.isoformat() if self.first_day else None,
                         "last": self.last_day.isoformat() if self.last_day else None,
                         "partial": self.partial},
            "sites": [asdict(s) for s in self.sites],
            "policies": [asdict(p) for p in self.policies],
            "letters": [asdict(letter) for letter in self.letters],
            "accounts": [asdict(a) for a in self.accounts],
            "platforms": self.platforms,
            "rectification": {**self.rectification.to_json(),
                              "by_unit": {k: v.to_json() for k, v in self.by_unit.items()},
                              "by_rule": {k: {**v.to_json(), "title": title(k)}
                                          for k, v in self.by_rule.items()},
                              "found_by_month": self.found_by_month},
            "security": self.security,
        }


def _sites(session: Session, year: int, site: str | None,
           settings: Settings) -> list[SiteYear]:
    per: dict[str, list[rows.EntryRow]] = defaultdict(list)
    for entry in rows.entries_published(session, year):
        per[entry.site].append(entry)
    names = [s.name for s in settings.sites] + sorted(set(per) - {s.name for s in settings.sites})
    out = []
    for name in names:
        if site is not None and name != site:
            continue
        entries = per.get(name, [])
        months = [0] * 12
        for entry in entries:
            months[entry.published.month - 1] += 1
        out.append(SiteYear(name, len(entries), dict(Counter(e.column for e in entries).most_common()),
                            months))
    return out


def _policies(session: Session, year: int, site: str | None, settings: Settings) -> list[PolicyYear]:
    out = []
    limit = settings.checks.interpretation_working_days
    for config in settings.sites:
        if site is not None and config.name != site:
            continue
        run_id = rows.latest_run_with(session, year, config.name)
        if run_id is None:
            continue
        as_of = rows.run_as_of(session, run_id) or date(year, 12, 31)
        snapshot = site_snapshot(session, run_id, config.name, config.url, as_of)
        pairs = [p for p in pair(snapshot) if p.published is not None and p.published.year == year]
        found = [p for p in pairs if p.interpretation is not None]
        delays = [working_days_between(p.published, p.interpretation.published)
                  for p in found if p.published and p.interpretation and p.interpretation.published]
        out.append(PolicyYear(
            config.name, len(pairs), len(found), len(pairs) - len(found),
            sum(1 for d in delays if d > limit),
            dict(Counter(p.interpretation.form for p in found if p.interpretation)),
            _median(delays)))
    return out


def _letters(session: Session, year: int, site: str | None) -> list[LetterYear]:
    per: dict[str, list[rows.LetterRow]] = defaultdict(list)
    for letter in rows.letters_asked(session, year):
        if site is None or letter.site == site:
            per[letter.site].append(letter)
    out = []
    for name, letters in sorted(per.items()):
        answered = [(r, (r.replied - r.asked).days) for r in letters if r.replied is not None]
        worst = max(answered, key=lambda a: a[1], default=None)
        out.append(LetterYear(name, len(letters), len(answered), _median([d for _, d in answered]),
                              worst[1] if worst else None, worst[0].url if worst else None))
    return out


def _accounts(session: Session, year: int, settings: Settings, start: date,
              end: date) -> list[AccountYear]:
    per: dict[str, list[date]] = defaultdict(list)
    for post in rows.posts_published(session, year):
        per[post.account].append(post.published.date())
    out = []
    window = settings.checks.account_veto_days
    for config in settings.accounts:
        days = sorted(set(per.get(config.name, [])))
        marks = [start - timedelta(days=1), *days, end]
        gaps = [(b - a).days for a, b in zip(marks, marks[1:], strict=False)] if start <= end else []
        out.append(AccountYear(config.name, config.platform, len(per.get(config.name, [])),
                               len(days), max(gaps) if gaps else None,
                               sum(1 for g in gaps if g > window)))
    return out


def build_yearbook(session: Session, settings: Settings, year: int,
                   site: str | None = None) -> Yearbook:
    """The year's numbers, for every site and account or for one site."""
    days = rows.patrol_days(session, year, site)
    year_days = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    first, last = (days[0], days[-1]) if days else (None, None)
    items = [i for i in rows.items_found(session, year) if site is None or i.site == site]
    total = RectificationGroup()
    by_unit: dict[str, RectificationGroup] = defaultdict(RectificationGroup)
    by_rule: dict[str, RectificationGroup] = defaultdict(RectificationGroup)
    months = [0] * 12
    for item in items:
        total.add(item)
        by_unit[item.unit or "未指定"].add(item)
        by_rule[item.rule].add(item)
        months[item.first_seen.month - 1] += 1
    # posts are dated by their platform, so the whole year up to the last patrol counts,
    # not only the days Xunwang patrolled
    accounts = _accounts(session, year, settings, date(year, 1, 1),
                         last or date(year, 12, 31)) if site is None else []
    return Yearbook(
        year=year, site=site, coverage_days=len(days), year_days=year_days, first_day=first,
        last_day=last, sites=_sites(session, year, site, settings),
        policies=_policies(session, year, site, settings), letters=_letters(session, year, site),
        accounts=accounts,
        platforms=dict(Counter(a.platform for a in settings.accounts)) if site is None else {},
        rectification=total, by_unit=dict(sorted(by_unit.items())),
        by_rule=dict(sorted(by_rule.items(), key=lambda kv: -kv[1].found)),
        found_by_month=months,
        security=rows.finding_counts(session, year, SECURITY_PREFIXES),
    )


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def render_text(book: Yearbook) -> str:
    """The year's numbers as Chinese lines for a terminal."""
    lines = [f"{book.year} 年度数据" + (f"（{book.site}）" if book.site else "")]
    if book.coverage_days == 0:
        lines.append(f"  本年度没有完成的巡查：以下数字为空（共 {book.year_days} 天）。")
    else:
        note = "，仅部分覆盖，数字只反映巡查期间所见" if book.partial else ""
        lines.append(f"  巡查覆盖 {book.coverage_days} / {book.year_days} 天"
                     f"（{book.first_day} 至 {book.last_day}）{note}")
    lines.append("主动公开（栏目条目，按发布日期计）：")
    for s in book.sites:
        columns = "，".join(f"{k} {v}" for k, v in list(s.by_column.items())[:8])
        lines.append(f"  {s.site}：{s.entries} 条" + (f"（{columns}）" if columns else ""))
    lines.append("政策文件与解读：")
    for p in book.policies:
        forms = "，".join(f"{FORM_LABELS.get(k, k)} {v}" for k, v in p.forms.items()) or "无"
        lines.append(f"  {p.site}：政策文件 {p.documents} 件，已解读 {p.interpreted} 件，未解读 {p.missing} 件，"
                     f"迟于 3 个工作日 {p.late} 件；解读形式：{forms}；"
                     f"解读用时中位数 {_days(p.median_delay_working_days)} 个工作日")
    lines.append("留言办理：")
    if not book.letters:
        lines.append("  无")
    for letter in book.letters:
        lines.append(f"  {letter.site}：公开留言 {letter.received} 件，已答复 {letter.answered} 件，"
                     f"答复用时中位数 {_days(letter.median_reply_days)} 天，"
                     f"最长 {_days(letter.worst_reply_days)} 天")
    if book.site is None:
        platforms = "，".join(f"{PLATFORM_LABELS.get(k, k)} {v} 个" for k, v in book.platforms.items())
        lines.append(f"政务新媒体：{sum(book.platforms.values())} 个（{platforms or '无'}）")
        for a in book.accounts:
            lines.append(f"  {a.account}（{PLATFORM_LABELS.get(a.platform, a.platform)}）：发布 {a.posts} 条，"
                         f"有更新 {a.active_days} 天，最长未更新 {_days(a.longest_silence_days)} 天，"
                         f"超过更新期限 {a.silent_periods} 次")
    r = book.rectification
    lines.append(f"整改：发现 {r.found} 个问题，已整改 {r.fixed} 个，复查确认 {r.verified} 个，"
                 f"整改用时中位数 {_days(_median(r.days_to_fix))} 天")
    for unit, group in book.by_unit.items():
        lines.append(f"  {unit}：发现 {group.found}，已整改 {group.fixed}，确认 {group.verified}")
    for rule_id, group in list(book.by_rule.items())[:10]:
        lines.append(f"  {title(rule_id)}：{group.found}")
    security = sum(book.security.values())
    lines.append(f"安全问题：{security} 处" + (
        "（" + "，".join(f"{title(k)} {v}" for k, v in book.security.items()) + "）" if security else ""))
    return "\n".join(lines)


def write_xlsx(book: Yearbook, path: Path) -> None:
    """The year's numbers as a workbook: one sheet per part, bar charts by month and unit."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    workbook = Workbook()
    overview = workbook.active
    assert overview is not None
    overview.title = "概览"
    overview.append(["年度", book.year])
    overview.append(["范围", book.site or "全部"])
    overview.append(["巡查覆盖天数", book.coverage_days, "全年天数", book.year_days])
    r = book.rectification
    overview.append(["发现问题", r.found, "已整改", r.fixed, "复查确认", r.verified])
    overview.append(["整改用时中位数（天）", _median(r.days_to_fix)])
    overview.append(["安全问题", sum(book.security.values())])

    months = workbook.create_sheet("栏目发布")
    months.append(["网站", *[f"{m}月" for m in range(1, 13)], "合计"])
    for s in book.sites:
        months.append([s.site, *s.by_month, s.entries])
    if book.sites:
        chart = BarChart()
        chart.title = "各月发布条目"
        data = Reference(months, min_col=2, max_col=13, min_row=1, max_row=1 + len(book.sites))
        chart.add_data(data, from_rows=True, titles_from_data=False)
        chart.set_categories(Reference(months, min_col=2, max_col=13, min_row=1))
        months.add_chart(chart, f"A{len(book.sites) + 4}")
    columns = workbook.create_sheet("栏目明细")
    columns.append(["网站", "栏目", "条目数"])
    for s in book.sites:
        for name, count in s.by_column.items():
            columns.append([s.site, name, count])

    policy = workbook.create_sheet("政策解读")
    policy.append(["网站", "政策文件", "已解读", "未解读", "迟于时限", "解读用时中位数（工作日）",
                   *FORM_LABELS.values()])
    for p in book.policies:
        policy.append([p.site, p.documents, p.interpreted, p.missing, p.late,
                       p.median_delay_working_days, *[p.forms.get(k, 0) for k in FORM_LABELS]])

    letters = workbook.create_sheet("留言办理")
    letters.append(["网站", "公开留言", "已答复", "答复用时中位数（天）", "最长（天）", "最长的留言"])
    for letter in book.letters:
        letters.append([letter.site, letter.received, letter.answered, letter.median_reply_days,
                        letter.worst_reply_days, letter.worst_url])

    accounts = workbook.create_sheet("政务新媒体")
    accounts.append(["账号", "平台", "发布条数", "有更新天数", "最长未更新（天）", "超期次数"])
    for a in book.accounts:
        accounts.append([a.account, PLATFORM_LABELS.get(a.platform, a.platform), a.posts,
                         a.active_days, a.longest_silence_days, a.silent_periods])

    units = workbook.create_sheet("整改")
    units.append(["单位", "发现", "已整改", "复查确认", "整改用时中位数（天）"])
    for unit, group in book.by_unit.items():
        units.append([unit, group.found, group.fixed, group.verified, _median(group.days_to_fix)])
    if book.by_unit:
        chart = BarChart()
        chart.title = "各单位问题"
        chart.add_data(Reference(units, min_col=2, max_col=4, min_row=1,
                                 max_row=1 + len(book.by_unit)), titles_from_data=True)
        chart.set_categories(Reference(units, min_col=1, min_row=2, max_row=1 + len(book.by_unit)))
        units.add_chart(chart, "G2")
    kinds = workbook.create_sheet("问题类型")
    kinds.append(["规则", "名称", "发现", "已整改", "复查确认"])
    for rule_id, group in book.by_rule.items():
        kinds.append([rule_id, title(rule_id), group.found, group.fixed, group.verified])
    found = workbook.create_sheet("各月发现")
    found.append(["月份", "发现问题"])
    for month, count in enumerate(book.found_by_month, start=1):
        found.append([f"{month}月", count])
    workbook.save(path)
