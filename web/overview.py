"""Home redirect, health check, patrol run history and the per-site scorecard page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from core.errors import StoreError
from core.settings import Settings
from store import runs as run_rows
from store.models import Run
from store.session import check_database
from web.app_state import app_state
from web.console import site_facts
from web.scorecard import site_card

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


@router.get("/healthz")
def healthz(request: Request) -> Response:
    ctx = app_state(request)
    try:
        check_database(ctx.factory)
    except StoreError as error:
        return JSONResponse({"status": "error", "db": str(error).splitlines()[0]}, 503)
    return JSONResponse({"status": "ok", "db": "ok"})


@router.get("/runs")
def runs(request: Request) -> Response:
    ctx = app_state(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        run_rows.mark_interrupted(session, ctx.clock())  # a killed patrol is not "running"
        own = None if viewer.is_admin else _own_targets(ctx.settings, viewer.user.unit)
        rows = run_rows.recent_runs(session, RUNS_SHOWN if own is None else RUNS_SHOWN * 10)
        views = [v for v in (_run_view(r, own) for r in rows) if v is not None][:RUNS_SHOWN]
    return ctx.page("runs.html", viewer, runs=views)


def _own_targets(settings: Settings, unit: str) -> frozenset[str]:
    """The sites and accounts of ``unit``: all a unit user may see of the runs."""
    return frozenset([s.name for s in settings.sites if s.unit == unit]
                     + [a.name for a in settings.accounts if a.unit == unit])


def _run_view(run: Run, own: frozenset[str] | None) -> RunView | None:
    """The run as shown; for a unit user only its own targets (None: nothing of its own)."""
    targets = tuple(str(t) for t in run.targets or ())
    reason = run.reason
    if own is not None:
        mine = tuple(t for t in targets if t in own)
        if not mine:
            return None
        if mine != targets:  # a run of several units' sites: its reason may name others
            targets, reason = mine, ""
    return RunView(run.id, run.kind, run.as_of, run.started_at, run.finished_at, run.status,
                   reason, targets)


@router.get("/sites/{name}")
def site_page(request: Request, name: str) -> Response:
    ctx = app_state(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        card = site_card(session, name, ctx.settings, viewer.actor, ctx.as_of())
        facts = site_facts(session, ctx, name) if card is not None else {}
    if card is None:
        raise HTTPException(404, "没有这个网站或政务新媒体账号")
    return ctx.page("site.html", viewer, card=card, facts=facts)
