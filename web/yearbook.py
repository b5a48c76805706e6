"""The year's numbers as a page, /yearbook/YYYY, with server-side SVG bar charts."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from reports.yearbook import FORM_LABELS, PLATFORM_LABELS, build_yearbook
from web.app_state import app_state

router = APIRouter()


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: float


def bar_chart(title: str, labels: list[str], values: list[int], *, width: int = 640,
              height: int = 180) -> Chart:
    """Bars scaled to the largest value, positions computed here: no script on the page."""
    top, bottom = 18.0, 22.0
    room = height - top - bottom
    step = width / max(1, len(values))
    peak = max(values, default=0) or 1
    bars = tuple(
        Bar(label, value, x=i * step + step * 0.15, y=top + room * (1 - value / peak),
            width=step * 0.7, height=room * value / peak)
        for i, (label, value) in enumerate(zip(labels, values, strict=True)))
    return Chart(title, bars, width, height, top + room)


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
        bar_chart("各月发布条目（全部网站）", months, total_by_month),
        bar_chart("各网站发布条目", [s.site for s in book.sites], [s.entries for s in book.sites]),
        bar_chart("各月发现问题", months, book.found_by_month),
        bar_chart("各单位发现问题", list(book.by_unit), [g.found for g in book.by_unit.values()]),
    ]
    return ctx.page("yearbook.html", viewer, book=book, charts=charts, data=book.to_json(),
                    FORM_LABELS=FORM_LABELS, PLATFORM_LABELS=PLATFORM_LABELS)
