"""Home redirect, health check, patrol run history and the per-site scorecard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import and_, case, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from rectification.actor import Actor
from rectification.queries import visible
from rectification.views import ACTIVE_STATES, LIVE_STATES, SEVERITY_ORDER, rule_title
from store.models import Item, Run
from web.context import web_context
from xunwang.errors import StoreError

router = APIRouter()
RUNS_SHOWN = 100


@dataclass(frozen=True)
class RunView:
    id: int
    kind: str
    as_of: date
    started_at: datetime
    finished_at: datetime | None
    status: str
    reason: str
    targets: tuple[str, ...]


@dataclass(frozen=True)
class ScoreLine:
    rule: str
    rule_title: str
    severity: str
    open: int
    overdue: int


@dataclass(frozen=True)
class Scorecard:
    site: str
    lines: tuple[ScoreLine, ...]
    vetoes: int
    deducts: int
    warns: int

    @property
    def verdict(self) -> str:
        return "不合格" if self.vetoes else "合格"


@router.get("/")
def home() -> Response:
    return RedirectResponse("/items", status_code=303)


@router.get("/healthz")
def healthz(request: Request) -> Response:
    ctx = web_context(request)
    try:
        with ctx.transaction() as session:
            session.execute(text("SELECT 1"))
    except (StoreError, SQLAlchemyError) as error:
        return JSONResponse({"status": "error", "db": str(error).splitlines()[0]}, 503)
    return JSONResponse({"status": "ok", "db": "ok"})


@router.get("/runs")
def runs(request: Request) -> Response:
    ctx = web_context(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        rows = session.scalars(select(Run).order_by(Run.id.desc()).limit(RUNS_SHOWN))
        views = [
            RunView(r.id, r.kind, r.as_of, r.started_at, r.finished_at, r.status, r.reason,
                    tuple(str(t) for t in r.targets or ()))
            for r in rows
        ]
    return ctx.page("runs.html", viewer, runs=views)


def scorecard(session: Session, site: str, actor: Actor, as_of: date) -> Scorecard:
    """Live items of one site (or account) by rule; any veto item fails the site."""
    late = and_(Item.state.in_(ACTIVE_STATES), Item.deadline < as_of)
    overdue = func.sum(case((late, 1), else_=0))
    stmt: Any = visible(
        select(Item.rule, Item.severity, func.count(), overdue)
        .where((Item.site == site) | (Item.account == site), Item.state.in_(LIVE_STATES))
        .group_by(Item.rule, Item.severity),
        actor,
    )
    lines = sorted(
        (ScoreLine(rule, rule_title(rule), severity, count, int(late or 0))
         for rule, severity, count, late in session.execute(stmt)),
        key=lambda line: (SEVERITY_ORDER.get(line.severity, 9), line.rule),
    )

    def total(severity: str) -> int:
        return sum(line.open for line in lines if line.severity == severity)

    return Scorecard(site, tuple(lines), total("veto"), total("deduct"), total("warn"))


@router.get("/sites/{name}")
def site_page(request: Request, name: str) -> Response:
    ctx = web_context(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        card = scorecard(session, name, viewer.actor, ctx.as_of())
    return ctx.page("site.html", viewer, card=card)
