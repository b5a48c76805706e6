"""The year's numbers as a page, /yearbook/YYYY, with server-side SVG bar charts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from reports.yearbook import FORM_LABELS, PLATFORM_LABELS, build_yearbook
from web.app_state import app_state
from web.svg import bars

router = APIRouter()


@router.get("/yearbook/{year}")
def yearbook_page(request: Request, year: int, site: str | None = None) -> Response:
    ctx = app_state(request)
    if not 2000 <= year <= 2100:
        return ctx.page("error.html", None, status=404, message="没有这个年度。")
    with ctx.transaction() as session:
        viewer = ctx.require_viewer(request, session)
        known = {s.name for s in ctx.settings.sites}
        book = build_yearbook(session, ctx.settings, year, site if site in known else None)
    months = [f"{m}月" for m in range(1, 13)]
    total_by_month = [sum(s.by_month[m] for s in book.sites) for m in range(12)]
    charts = [
        bars(list(zip(months, total_by_month, strict=True)), "各月发布条目（全部网站）"),
        bars([(s.site, s.entries) for s in book.sites], "各网站发布条目"),
        bars(list(zip(months, book.found_by_month, strict=True)), "各月发现问题"),
        bars([(unit, g.found) for unit, g in book.by_unit.items()], "各单位发现问题"),
    ]
    return ctx.page("yearbook.html", viewer, book=book, charts=charts, data=book.to_json(),
                    FORM_LABELS=FORM_LABELS, PLATFORM_LABELS=PLATFORM_LABELS)
