"""Copy what the previous run stored for an unchanged page into the current run."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from crawler.items import UnchangedItem
from store.models import ColumnEntry, ColumnPage, Letter, Link, Page, Target

PAGE_COPIED = (
    "site", "url", "final_url", "status", "kind", "content_type", "encoding", "title", "text",
    "published", "dates", "content_hash", "etag", "last_modified", "size", "rendered",
    "is_homepage", "footer", "redirects", "note",
)


def _rows(conn: Connection, table: Any, *where: Any) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(select(table).where(*where))]


def copy_page(
    conn: Connection, item: UnchangedItem, run_id: int, column_ids: dict[str, int]
) -> dict[Any, list[dict[str, Any]]]:
    """Rows to buffer for this run (page, target, links, letters); columns are inserted here."""
    prev = item.previous_run
    pages = _rows(conn, Page, Page.run_id == prev, Page.url == item.url)
    if not pages:
        return {}
    page = {k: pages[0][k] for k in PAGE_COPIED}
    page.update(fetched_at=item.fetched_at, elapsed_ms=item.elapsed_ms, unchanged=True)
    target = {
        "site": item.site, "url": item.url, "in_scope": True, "status": 200, "verdict": "ok",
        "failure": None, "attempts": 1, "redirects": [], "checked_at": item.fetched_at,
    }
    out: dict[Any, list[dict[str, Any]]] = {Page: [page], Target: [target]}
    for table, where in ((Link, Link.source), (Letter, Letter.source)):
        rows = _rows(conn, table, table.run_id == prev, where == item.url)
        for row in rows:
            row.pop("id", None)
        out[table] = rows
    for column in _rows(conn, ColumnPage, ColumnPage.run_id == prev, ColumnPage.url == item.url):
        old_id = column.pop("id")
        column["run_id"] = run_id
        new_id = conn.execute(insert(ColumnPage).returning(ColumnPage.id), column).scalar_one()
        column_ids[item.url] = new_id
        entries = _rows(conn, ColumnEntry, ColumnEntry.column_id == old_id)
        for entry in entries:
            entry["column_id"] = new_id
        _insert_copies(conn, ColumnEntry, entries, run_id)
    return out


def _insert_copies(conn: Connection, table: Any, rows: list[dict[str, Any]], run_id: int) -> None:
    if not rows:
        return
    for row in rows:
        row.pop("id", None)
        row["run_id"] = run_id
    conn.execute(insert(table), rows)
