"""View models of the digests, built from the database; templates see only these."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy.orm import Session

from checks.model import Finding, Severity
from checks.registry import rule
from checks.scorecard import scorecard
from checks.security import SECURITY_RULE_IDS
from core.errors import CheckError
from core.settings import Settings
from rectification.actor import SYSTEM
from rectification.grouping import ProblemGroup, group_items
from rectification.queries import ItemFilter, all_items
from rectification.states import State
from rectification.views import LIVE_STATES, ItemView
from reports.activity import ActivityRow, activity_chart_html, activity_row
from store import accounts, journal, runs, security
from store import items as item_rows
from store.screenshots import newest_for_items

RUN_STATUS_LABELS = {"failed": "失败", "partial": "部分完成", "running": "未结束",
                     "interrupted": "中断"}


@dataclass(frozen=True)
class Section:
    """A titled list of items in a unit's digest."""

    key: str
    title: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True)
class UnitDigest:
    unit: str
    as_of: date
    base_url: str
    sections: tuple[Section, ...]
    groups: tuple[ProblemGroup, ...] = ()  # 举一反三 among the unit's live items
    unlisted: int = 0  # live items of the unit in no section ("另有 N 项，见网页")
    shots: frozenset[int] = frozenset()  # ids of the items that have a screenshot

    @property
    def total(self) -> int:
        return sum(len(s.items) for s in self.sections)  # an item is in one section only

    def link(self, item: ItemView) -> str:
        return f"{self.base_url}/items/{item.id}"

    @property
    def unit_link(self) -> str:
        return f"{self.base_url}/items?{urlencode({'unit': self.unit})}"

    def shot_link(self, item: ItemView) -> str:
        """The item's screenshot in the web list ("" when it has none)."""
        return f"{self.base_url}/items/{item.id}/screenshot" if item.id in self.shots else ""


@dataclass(frozen=True)
class ScoreRow:
    """One site's or account's scorecard over its live (not dismissed, not closed) items."""

    place: str
    kind_label: str  # 网站 | 政务新媒体
    verdict_label: str  # 合格 | 不合格
    veto: int
    deduct: int
    warn: int
    overdue: int
    lines: str = ""  # per indicator: "首页不更新×1；其他页面链接不可用×3"
    score: str = "100"  # of the 2019 indicators' 100 points


@dataclass(frozen=True)
class UnitRow:
    unit: str
    to_confirm: int
    open: int
    sent_back: int
    fixed_pending: int
    overdue: int
    closed_week: int


@dataclass(frozen=True)
class Trend:
    new_week: int
    new_prev_week: int
    closed_week: int
    closed_prev_week: int
    live_now: int


@dataclass(frozen=True)
class RunRow:
    id: int
    as_of: date
    started_at: datetime
    status: str
    status_label: str
    reason: str


@dataclass(frozen=True)
class OfficeDigest:
    as_of: date
    base_url: str
    scorecard: tuple[ScoreRow, ...]
    units: tuple[UnitRow, ...]
    overdue: tuple[ItemView, ...]  # most overdue first
    trend: Trend
    runs: tuple[RunRow, ...]
    job_failures: tuple[str, ...] = ()
    activity: tuple[ActivityRow, ...] = ()
    truncated: tuple[str, ...] = ()  # sites larger than their page_limit in the last week
    activity_chart: str = ""  # e-mail-safe HTML built (and escaped) by reports.activity
    # security incidents by site: (site, last 7 days, last 365 days), the annual report's number
    incidents: tuple[tuple[str, int, int], ...] = ()
    dismiss_requests: tuple[ItemView, ...] = ()  # units' dismissals the office must decide
    shots: frozenset[int] = frozenset()  # ids of the items that have a screenshot

    def link(self, item: ItemView) -> str:
        return f"{self.base_url}/items/{item.id}"

    def shot_link(self, item: ItemView) -> str:
        """The item's screenshot in the web list ("" when it has none)."""
        return f"{self.base_url}/items/{item.id}/screenshot" if item.id in self.shots else ""


def _base_url(settings: Settings) -> str:
    return settings.web.base_url.rstrip("/")


def _with_shots(session: Session, items: Any) -> frozenset[int]:
    return frozenset(newest_for_items(session, [i.id for i in items]))


def unit_digest(
    session: Session, settings: Settings, unit: str, as_of: date, since: date,
) -> UnitDigest:
    """New (first seen since ``since``), due soon, overdue, sent back, awaiting confirmation."""
    items = all_items(session, ItemFilter(unit=unit), SYSTEM, as_of,
                      due_soon_days=settings.rectification.due_soon_days)
    live = [i for i in items if i.state in LIVE_STATES]
    tests: tuple[tuple[str, str, Callable[[ItemView], bool]], ...] = (
        # security incidents first, in their own block (and so not again below)
        ("security", "安全事件（请立即处置）", lambda i: i.rule in SECURITY_RULE_IDS),
        ("overdue", "已超期", lambda i: i.overdue),
        ("sent_back", "退回（整改未到位）", lambda i: i.state == "sent_back"),
        ("due_soon", "即将到期", lambda i: i.due_soon),
        ("new", "新发现",
         lambda i: since <= i.first_seen <= as_of and i.state != "to_confirm"),
        ("to_confirm", "待确认", lambda i: i.state == "to_confirm"),
    )
    placed: dict[str, list[ItemView]] = {key: [] for key, _, _ in tests}
    unlisted = 0
    for item in live:  # each item in the first section it belongs to: counted once
        key = next((k for k, _, test in tests if test(item)), None)
        if key is None:
            unlisted += 1
        else:
            placed[key].append(item)
    sections = tuple(Section(key, title, tuple(placed[key])) for key, title, _ in tests)
    return UnitDigest(unit=unit, as_of=as_of, base_url=_base_url(settings), sections=sections,
                      groups=group_items(live), unlisted=unlisted,
                      shots=_with_shots(session, live))


def _as_finding(item: ItemView) -> Finding:
    return Finding(rule=item.rule, severity=Severity(item.severity), url=item.url,
                   message=item.message, site=item.site, account=item.account,
                   target=item.target, column=item.column, text=item.text,
                   evidence=item.evidence)


def _scorecard(items: list[ItemView], settings: Settings) -> tuple[ScoreRow, ...]:
    """The checks' scorecard (indicator lines, verdict) applied to what is still open."""
    overdue = Counter(i.place for i in items if i.overdue)
    try:
        cards = scorecard([_as_finding(i) for i in items], (*settings.sites, *settings.accounts),
                          settings.scoring)
    except (KeyError, ValueError, CheckError):  # an item of a rule the registry no longer has
        cards = scorecard([_as_finding(i) for i in items if _known(i.rule)],
                          (*settings.sites, *settings.accounts), settings.scoring)
    rows = [
        ScoreRow(
            place=card.name, kind_label=card.kind_label, verdict_label=card.verdict_label,
            veto=sum(x.count for x in card.vetoes), deduct=card.deduction_total,
            warn=card.warnings, overdue=overdue[card.name],
            lines="；".join(f"{x.indicator}×{x.count}" for x in (*card.vetoes, *card.deductions)),
            score=card.score_label,
        )
        for card in cards
    ]
    return tuple(sorted(rows, key=lambda r: (-r.veto, -r.deduct, r.place)))


def _known(rule_id: str) -> bool:
    try:
        rule(rule_id)
    except (KeyError, ValueError, CheckError):
        return False
    return True


def _unit_rows(session: Session, items: list[ItemView], week_ago: date) -> tuple[UnitRow, ...]:
    counts: dict[str, Counter[str]] = {}
    for item in items:
        counter = counts.setdefault(item.unit, Counter())
        counter[item.state] += 1
        counter["overdue"] += item.overdue
    closed = item_rows.closed_per_unit(session, datetime.combine(week_ago, datetime.min.time()),
                                       state=State.CLOSED)
    for unit, n in closed:
        counts.setdefault(unit, Counter())["closed_week"] = n
    rows = [
        UnitRow(unit or "（未分配）", c["to_confirm"], c["open"], c["sent_back"],
                c["fixed_pending"], c["overdue"], c["closed_week"])
        for unit, c in counts.items()
    ]
    return tuple(sorted(rows, key=lambda r: (-r.overdue, -r.open - r.sent_back, r.unit)))


def _trend(session: Session, as_of: date, live: int) -> Trend:
    def at(day: date) -> datetime:
        return datetime.combine(day, datetime.min.time())

    week, prev = as_of - timedelta(days=7), as_of - timedelta(days=14)
    end = as_of + timedelta(days=1)
    return Trend(
        new_week=item_rows.count_first_seen(session, week, as_of),
        new_prev_week=item_rows.count_first_seen(session, prev, week),
        closed_week=item_rows.count_closed(session, at(week + timedelta(1)), at(end)),
        closed_prev_week=item_rows.count_closed(session, at(prev + timedelta(1)),
                                                at(week + timedelta(1))),
        live_now=live,
    )


def _runs(session: Session, as_of: date) -> tuple[RunRow, ...]:
    rows = runs.runs_with_status(session, tuple(RUN_STATUS_LABELS),
                                 after=as_of - timedelta(days=7), until=as_of, limit=50)
    return tuple(
        RunRow(r.id, r.as_of, r.started_at, r.status, RUN_STATUS_LABELS[r.status], r.reason)
        for r in rows
    )


def _truncated(session: Session, as_of: date) -> tuple[str, ...]:
    """Sites whose newest patrol of the week stopped at their page_limit: results are partial."""
    seen: set[str] = set()
    lines = []
    for run in runs.runs_with_status(session, ("complete", "partial"),
                                     after=as_of - timedelta(days=7), until=as_of, limit=50):
        for name, site in ((run.stats or {}).get("sites") or {}).items():
            if name in seen:
                continue
            seen.add(name)
            if site.get("truncated"):
                lines.append(f"{name}：超过页面上限，巡检 #{run.id} 另有 {site['truncated']} "
                             f"个页面或附件未抓取，结果不完整（可调高 page_limit）")
    return tuple(lines)


def _job_failures(session: Session, as_of: date) -> tuple[str, ...]:
    """Scheduled jobs that failed before a patrol run could even be recorded."""
    since = datetime.combine(as_of - timedelta(days=7), datetime.min.time())
    rows = journal.failed_since(session, since, limit=20)
    return tuple(f"{r.started_at:%m-%d %H:%M} {r.job}：{r.detail[:200]}" for r in rows
                 if "run=" not in r.detail)


def office_digest(session: Session, settings: Settings, as_of: date) -> OfficeDigest:
    """Scorecard per site/account, per unit counts, overdue ranking, trend, failed runs."""
    live = [i for i in all_items(session, ItemFilter(), SYSTEM, as_of,
                                 due_soon_days=settings.rectification.due_soon_days)
            if i.state in LIVE_STATES]
    overdue = sorted((i for i in live if i.overdue), key=lambda i: (i.deadline, i.id))
    return OfficeDigest(
        as_of=as_of, base_url=_base_url(settings), scorecard=_scorecard(live, settings),
        units=_unit_rows(session, live, as_of - timedelta(days=7)),
        overdue=tuple(overdue[:30]), trend=_trend(session, as_of, len(live)),
        runs=_runs(session, as_of), job_failures=_job_failures(session, as_of),
        truncated=_truncated(session, as_of),
        dismiss_requests=tuple(i for i in live if i.state == State.DISMISS_REQUESTED),
        shots=_with_shots(session, overdue[:30] + [i for i in live
                                                   if i.state == State.DISMISS_REQUESTED]),
        incidents=_incidents(session, settings, as_of), **_activity(session, settings, as_of),
    )


def _incidents(session: Session, settings: Settings,
               as_of: date) -> tuple[tuple[str, int, int], ...]:
    week = security.incident_counts(session, SECURITY_RULE_IDS, as_of - timedelta(days=6), as_of)
    year = security.incident_counts(session, SECURITY_RULE_IDS, as_of - timedelta(days=364),
                                    as_of)
    return tuple((site.name, week.get(site.name, 0), year.get(site.name, 0))
                 for site in settings.sites)


def _activity(session: Session, settings: Settings, as_of: date) -> dict[str, Any]:
    """Each account's posts as its latest mirror read showed them (the annual report's 活跃度)."""
    rows = []
    for account in settings.accounts:
        last = accounts.latest_account_run(session, account.name)
        if last is None:
            continue
        run_id, status = last
        rows.append(activity_row(account, status, accounts.post_dates(session, run_id,
                                                                      account.name), as_of))
    chart = activity_chart_html(rows, warn_days=settings.checks.account_warn_days,
                                veto_days=settings.checks.account_veto_days) if rows else ""
    return {"activity": tuple(rows), "activity_chart": Markup(chart)}
