"""Home redirect, health check, patrol run history and the per-site scorecard page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from core.errors import StoreError
from store import runs as run_rows
from store.session import check_database
from web.app_state import app_state
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


@router.get("/")
def home() -> Response:
    return RedirectResponse("/items", status_code=303)


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
        rows = run_rows.recent_runs(session, RUNS_SHOWN)
        views = [
            RunView(r.id, r.kind, r.as_of, r.started_at, r.finished_at, r.status, r.reason,
                    tuple(str(t) for t in r.targets or ()))
            for r in rows
        ]
    return ctx.page("runs.html", viewer, runs=views)


@router.get("/sites/{name}")
def site_page(request: Request, name: str) -> Response:
    ctx = app_state(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        card = site_card(session, name, ctx.settings, viewer.actor, ctx.as_of())
    return ctx.page("site.html", viewer, card=card)
