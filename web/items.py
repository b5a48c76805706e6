"""The item list, its exports and JSON, and one item's page."""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from checks.registry import explanation
from checks.security import SECURITY_RULE_IDS
from rectification.actions import DISMISS_SCOPES
from rectification.queries import ItemFilter, all_items, closings, get_item, list_items
from rectification.views import LIVE_STATES, SEVERITY_LABELS, STATE_LABELS, ItemView, rule_title
from reports.export import Closing, thumbnails, write_csv, write_xlsx
from web.app_state import app_state
from web.evidence import evidence_view
from web.filters import SORT_LABELS, parse_filter, query_string
from web.screenshots import item_shot, shot_view

router = APIRouter()


@router.get("/items")
def item_list(request: Request) -> Response:
    ctx = app_state(request)
    flt = parse_filter(request.query_params, ctx.settings.web.page_size)
    as_of = ctx.as_of()
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        page = list_items(
            session, flt, viewer.actor, as_of,
            due_soon_days=ctx.settings.rectification.due_soon_days,
        )
        choices = ctx.facets.get(session, viewer.actor)
        incidents = _incidents(session, flt, viewer.actor, as_of) if flt.page == 1 else []
    return ctx.page(
        "items.html", viewer, page=page, flt=flt, facets=choices, incidents=incidents,
        qs=partial(query_string, default_size=ctx.settings.web.page_size),
        sorts=SORT_LABELS, states=STATE_LABELS, severities=SEVERITY_LABELS,
        rule_titles=rule_options(choices["rules"]),
    )


def _incidents(session: Any, flt: ItemFilter, actor: Any, as_of: Any) -> list[ItemView]:
    """Live security items within the list's site/unit filter: shown first, in a block."""
    if flt.rule is not None and flt.rule not in SECURITY_RULE_IDS:
        return []
    rules = [flt.rule] if flt.rule else sorted(SECURITY_RULE_IDS)
    found = [item for rule in rules for item in all_items(
        session, ItemFilter(rule=rule, site=flt.site, account=flt.account, unit=flt.unit),
        actor, as_of) if item.state in LIVE_STATES]
    return sorted(found, key=lambda i: (i.severity != "veto", i.first_seen, i.id))


def rule_options(rules: list[str]) -> dict[str, str]:
    """Dropdown labels for rule ids: the Chinese title, with the id where titles repeat."""
    titles = {rule: rule_title(rule) for rule in rules}
    repeated = {t for t in titles.values() if list(titles.values()).count(t) > 1}
    return {rule: f"{t}（{rule}）" if t in repeated and t != rule else t
            for rule, t in titles.items()}


def _export_items(request: Request
                  ) -> tuple[list[ItemView], dict[int, Closing], str | None, dict[int, Path]]:
    """The items to export, how the closed ones were closed, the unit they are for, and
    their screenshot thumbnails."""
    ctx = app_state(request)
    flt = parse_filter(request.query_params, ctx.settings.web.page_size)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        found = all_items(
            session, flt, viewer.actor, ctx.as_of(),
            due_soon_days=ctx.settings.rectification.due_soon_days,
        )
        closed = {k: Closing(*v) for k, v in closings(session, found).items()}
        shots = thumbnails(session, ctx.settings, [i.id for i in found])
    unit = flt.unit or (viewer.actor.unit if not viewer.actor.is_admin else None)
    return found, closed, unit, shots


def _download(data: bytes, media: str, suffix: str, request: Request) -> Response:
    name = f"整改清单-{app_state(request).as_of().isoformat()}.{suffix}"
    disposition = f"attachment; filename=\"export.{suffix}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/items.xlsx")
def export_xlsx(request: Request) -> Response:
    buffer = io.BytesIO()
    found, closed, unit, shots = _export_items(request)
    write_xlsx(found, buffer, unit=unit, as_of=app_state(request).as_of(), closings=closed,
               shots=shots)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(buffer.getvalue(), media, "xlsx", request)


@router.get("/items.csv")
def export_csv(request: Request) -> Response:
    buffer = io.BytesIO()
    found, closed, _unit, shots = _export_items(request)
    write_csv(found, buffer, closings=closed, shots=shots)
    return _download(buffer.getvalue(), "text/csv; charset=utf-8", "csv", request)


@router.get("/api/items")
def api_items(request: Request) -> Response:
    ctx = app_state(request)
    flt = parse_filter(request.query_params, ctx.settings.web.page_size)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        page = list_items(
            session, flt, viewer.actor, ctx.as_of(),
            due_soon_days=ctx.settings.rectification.due_soon_days,
        )
    return JSONResponse({
        "total": page.total, "page": page.page, "page_size": page.page_size,
        "items": [item.to_json() for item in page.items],
    })


@router.get("/api/items/{item_id}")
def api_item(request: Request, item_id: int) -> Response:
    ctx = app_state(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        detail = get_item(session, item_id, viewer.actor, ctx.as_of())
    return JSONResponse(detail.item.to_json())


DONE_MESSAGES = {
    "confirm": "已确认，整改时限已开始计算。",
    "fix": "已报告整改，等待下次巡查复核。",
    "dismiss": "已忽略。",
    "reopen": "已重新打开。",
    "close": "已人工销号。",
    "reassign": "已改派。",
    "deadline": "整改时限已调整。",
}


@router.get("/items/{item_id}")
def item_page(request: Request, item_id: int, done: str = "") -> Response:
    ctx = app_state(request)
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        detail = get_item(session, item_id, viewer.actor, ctx.as_of())
        units = ctx.facets.get(session, viewer.actor)["units"] if viewer.is_admin else []
        shot = shot_view(item_id, item_shot(session, item_id, viewer.actor))
    return ctx.page(
        "item.html", viewer, detail=detail, item=detail.item, ev=evidence_view(detail.item),
        shot=shot,
        explanation=explanation(detail.item.rule),
        units=units, scopes=DISMISS_SCOPES, done=DONE_MESSAGES.get(done, ""),
    )
