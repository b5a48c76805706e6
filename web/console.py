"""The console: start page with its charts, the sites and accounts pages, one run's page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from checks.model import SEVERITY_LABELS, SEVERITY_RANK, masked
from checks.registry import REGISTRY
from core.settings import Settings
from rectification.actor import Actor
from rectification.queries import ItemFilter, all_items, visible_units
from rectification.states import LIVE_STATES, State
from rectification.views import ItemView, rule_title
from store import overview as rows
from store.models import ColumnPage
from store.probes import probes_between
from web.app_state import AppState, Viewer, app_state
from web.scorecard import SiteCard, site_card
from web.svg import COLOURS, Series, bars, line_chart, meter, stacked_bars

router = APIRouter()
SEVERITIES = ("veto", "deduct", "warn")
TREND_DAYS = (30, 90)
RUN_ROWS = 500
FAILURE_LABELS = {
    "404": "页面不存在（404）", "410": "已删除（410）", "400": "请求错误（400）",
    "403": "禁止访问（403）", "429": "请求过多（429）", "soft404": "内容已不存在（软 404）",
    "dns": "域名无法解析", "refused": "连接被拒绝", "timeout": "超时", "tls": "证书或加密连接错误",
    "5xx": "服务器错误（5xx）", "ignored": "未访问", "error": "其他错误",
}


def security_rule_ids() -> frozenset[str]:
    """Rules of the security families (checks/security*.py), plus retired ``security-*`` ids."""
    return frozenset(r.rule.id for r in REGISTRY if r.check.__module__.startswith("checks.security"))


def is_security(rule_id: str) -> bool:
    return rule_id in security_rule_ids() or rule_id.startswith("security-")


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # site | account
    unit: str
    url: str
    card: SiteCard
    live: int
    overdue: int
    facts: dict[str, Any] = field(default_factory=dict)


def _live(session: Session, actor: Actor, as_of: date, settings: Settings) -> list[ItemView]:
    found = all_items(session, ItemFilter(page_size=1), actor, as_of,
                      due_soon_days=settings.rectification.due_soon_days)
    return [i for i in found if i.state in LIVE_STATES]


def _places(session: Session, settings: Settings, actor: Actor, as_of: date,
            live: list[ItemView], kind: str) -> list[Place]:
    """Every configured site (or account), then those only the items still name."""
    configured: list[Any] = list(settings.sites if kind == "site" else settings.accounts)
    mine = [i for i in live if (i.site if kind == "site" else i.account)]
    counts = Counter(i.place for i in mine)
    late = Counter(i.place for i in mine if i.overdue)
    entries = [(e.name, e.unit or "", e.url) for e in configured]
    named = {name for name, _, _ in entries}
    entries += [(name, "", "") for name in sorted(counts) if name not in named]
    places = []
    for name, unit, url in entries:
        card = site_card(session, name, settings, actor, as_of)
        if card is None:
            continue
        places.append(Place(name, kind, unit, url, card, counts[name], late[name]))
    return places


def availability(session: Session, site: str, now: datetime, days: int) -> float | None:
    """Share of successful probes over the last ``days`` days, in percent; None without probes."""
    found = probes_between(session, site, now - timedelta(days=days), now + timedelta(seconds=1))
    if not found:
        return None
    return 100.0 * sum(1 for _, ok, _ in found if ok) / len(found)


@dataclass(frozen=True)
class ColumnLine:
    name: str
    url: str
    newest: date | None
    age: int | None
    entries: int
    blank: bool


def _column_line(column: ColumnPage, as_of: date) -> ColumnLine:
    age = (as_of - column.newest).days if column.newest else None
    # Column names and URLs are copied from the site: a personal number in them is masked.
    return ColumnLine(masked(column.name), masked(column.url), column.newest, age,
                      column.entry_count, column.blank)


def site_facts(session: Session, ctx: AppState, name: str) -> dict[str, Any]:
    """What the site page shows beside the scorecard: availability, last patrol, columns."""
    now = ctx.clock()
    is_account = any(a.name == name for a in ctx.settings.accounts)
    facts: dict[str, Any] = {"kind": "account" if is_account else "site"}
    if is_account:
        run, account_run = rows.last_run_of_account(session, name)
        facts.update(run=run, account_run=account_run,
                     posts=rows.newest_posts(session, run.id, name) if run else [])
        return facts
    facts["availability"] = {days: availability(session, name, now, days) for days in (7, 30)}
    facts["meters"] = {days: meter(value, f"{days} 天可用率")
                       for days, value in facts["availability"].items()}
    run = rows.last_run_of_site(session, name)
    facts["run"] = run
    facts["columns"] = ([_column_line(c, ctx.as_of()) for c in rows.columns_of(session, run.id, name)]
                        if run else [])
    return facts


@router.get("/")
def start_page(request: Request, days: int = 30) -> Response:
    ctx = app_state(request)
    days = days if days in TREND_DAYS else TREND_DAYS[0]
    as_of = ctx.as_of()
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        live = _live(session, viewer.actor, as_of, ctx.settings)
        sites = _places(session, ctx.settings, viewer.actor, as_of, live, "site")
        accounts = _places(session, ctx.settings, viewer.actor, as_of, live, "account")
        units = visible_units(viewer.actor)
        start = as_of - timedelta(days=days - 1)
        found = rows.found_per_day(session, units, start, as_of)
        fixed = rows.closed_per_day(session, units, start, as_of, State.CLOSED)
    return ctx.page("start.html", viewer, **start_values(viewer, live, sites, accounts, found,
                                                         fixed, start, as_of, days))


def start_values(viewer: Viewer, live: list[ItemView], sites: list[Place],
                 accounts: list[Place], found: Counter[date], fixed: Counter[date],
                 start: date, as_of: date, days: int) -> dict[str, Any]:
    by_severity = Counter(i.severity for i in live)
    per_unit: dict[str, Counter[str]] = {}
    for item in live:
        per_unit.setdefault(item.unit or "未分配", Counter())[item.severity] += 1
    unit_rows = sorted(per_unit.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    overdue = [i for i in live if i.overdue]
    late_units = Counter(i.unit or "未分配" for i in overdue).most_common()
    security = sorted((i for i in live if is_security(i.rule)),
                      key=lambda i: (SEVERITY_RANK.get(i.severity, 9), i.id))
    day_list = [start + timedelta(days=n) for n in range((as_of - start).days + 1)]
    trend = line_chart(day_list, [
        Series("新发现", [found[d] for d in day_list], COLOURS["found"]),
        Series("已销号", [fixed[d] for d in day_list], COLOURS["fixed"]),
    ], f"近 {days} 天发现与销号趋势")
    return {
        "live_total": len(live), "by_severity": by_severity, "overdue_total": len(overdue),
        "failed_places": [p for p in (*sites, *accounts) if p.card.failed],
        "places_total": len(sites) + len(accounts),
        "security": security[:20], "security_total": len(security),
        "unit_chart": stacked_bars([(u, dict(c)) for u, c in unit_rows[:15]], SEVERITIES,
                                   SEVERITY_LABELS, "各单位未销号问题（按严重程度）"),
        "late_chart": bars(late_units[:15], "各单位逾期问题", COLOURS["veto"]),
        "late_units": late_units, "trend": trend, "days": days, "trend_days": TREND_DAYS,
        "severities": SEVERITIES, "severity_chart": bars(
            [(SEVERITY_LABELS[s], by_severity[s]) for s in SEVERITIES], "按严重程度"),
    }


@router.get("/sites")
def sites_page(request: Request) -> Response:
    return _places_page(request, "site")


@router.get("/accounts")
def accounts_page(request: Request) -> Response:
    return _places_page(request, "account")


def _places_page(request: Request, kind: str) -> Response:
    ctx = app_state(request)
    as_of = ctx.as_of()
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        live = _live(session, viewer.actor, as_of, ctx.settings)
        places = _places(session, ctx.settings, viewer.actor, as_of, live, kind)
        for place in places:
            place.facts.update(site_facts(session, ctx, place.name))
    return ctx.page("places.html", viewer, places=places, kind=kind,
                    kind_label="网站" if kind == "site" else "新媒体账号")


@dataclass(frozen=True)
class FindingLine:
    rule: str
    rule_title: str
    severity: str
    place: str
    url: str
    message: str


@router.get("/runs/{run_id}")
def run_page(request: Request, run_id: int) -> Response:
    ctx = app_state(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        if not viewer.is_admin:
            # findings of a run span every unit; a unit user reads its own in the item list
            raise HTTPException(403, "巡查详情仅管理员可查看；单位用户请在问题清单中查看本单位问题。")
        run = rows.run_by_id(session, run_id)
        if run is None:
            raise HTTPException(404, f"没有编号为 {run_id} 的巡查记录。")
        total, found = rows.findings_of_run(session, run_id, RUN_ROWS)
        values: dict[str, Any] = {
            "run": run, "pages": rows.pages_per_site(session, run_id),
            "findings_total": total,
            "findings": [FindingLine(f.rule, rule_title(f.rule), f.severity,
                                     f.site or f.account or "", f.url, f.message) for f in found],
            "failed_pages": rows.failed_pages(session, run_id, RUN_ROWS),
            "failed_targets": rows.failed_targets(session, run_id, RUN_ROWS),
            "failure_labels": FAILURE_LABELS, "limit": RUN_ROWS,
            "per_rule": Counter(f.rule for f in found),
        }
        values["rule_chart"] = bars(
            [(rule_title(r), n) for r, n in values["per_rule"].most_common(12)], "按问题类型")
    return ctx.page("run.html", viewer, **values)
