"""The item filter as query parameters: parsed from a request, written back into links."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from rectification.queries import SORTS, ItemFilter

MAX_PAGE = 1_000_000
FIELDS = ("site", "account", "unit", "rule", "severity", "state", "q")
SORT_LABELS = {
    "deadline": "整改时限（早→晚）",
    "-deadline": "整改时限（晚→早）",
    "first_seen": "发现时间（早→晚）",
    "-first_seen": "发现时间（晚→早）",
    "severity": "严重程度",
    "rule": "问题类型",
    "unit": "责任单位",
    "id": "编号",
}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def parse_filter(params: QueryParams, page_size: int) -> ItemFilter:
    """An ItemFilter from ``?site=…&overdue=1&sort=…&page=…``; junk values are ignored."""
    values = {name: (params.get(name) or "").strip() or None for name in FIELDS}
    overdue = {"1": True, "0": False}.get(params.get("overdue") or "")
    sort = params.get("sort") or "deadline"
    return ItemFilter(
        **values, overdue=overdue, sort=sort if sort in SORTS else "deadline",
        # past the last page is an empty page; past MAX_PAGE the offset would overflow
        page=min(max(1, _int(params.get("page"), 1)), MAX_PAGE),
        page_size=min(max(1, _int(params.get("page_size"), page_size)), 1000),
    )


def query_string(flt: ItemFilter, *, default_size: int = 50, **changes: object) -> str:
    """The filter as a query string (without the page unless changed), for links."""
    flt = replace(flt, **changes)  # type: ignore[arg-type]
    pairs: list[tuple[str, str]] = [
        (name, str(getattr(flt, name))) for name in FIELDS if getattr(flt, name)
    ]
    if flt.overdue is not None:
        pairs.append(("overdue", "1" if flt.overdue else "0"))
    if flt.sort != "deadline":
        pairs.append(("sort", flt.sort))
    if "page" in changes and flt.page != 1:
        pairs.append(("page", str(flt.page)))
    if flt.page_size != default_size:
        pairs.append(("page_size", str(flt.page_size)))
    return urlencode(pairs)
