"""Copy what the previous run stored for unchanged pages into the current run, in bulk.

A page answering 304 (or the same content hash) is not parsed again; its page row (which
refers to its stored body), its link row (which refers to its stored link list), column
with entries, and letters are copied with ``INSERT … SELECT`` per batch, so an unchanged
page costs a request and no Python work per link, and neither its text nor its links are
stored again (``store.bodies``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, false, insert, literal, select, true
from sqlalchemy.orm import Session

from store.crawl import unique_insert
from store.models import ColumnEntry, ColumnPage, Letter, Page, PageLinks, Target

CHUNK = 500
PAGE_COPIED = (
    "site", "url", "final_url", "status", "kind", "content_type", "encoding", "content_hash",
    "etag", "last_modified", "size", "rendered", "is_homepage", "redirects", "note",
    "elapsed_ms", "column_root", "body_id",
)
TARGET_COPIED = (
    "site", "url", "in_scope", "status", "failure", "attempts", "redirects", "checked_at",
    "content",
)


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def copy_pages(session: Session, pages: Sequence[tuple[int, str]], run_id: int,
               column_ids: dict[str, int], now: datetime | None) -> list[dict[str, Any]]:
    """Copy (previous run, url) ``pages`` with their links and columns into run ``run_id``.

    ``now`` is their new fetch time (a 304 is a fetch); None keeps the old one (a page
    carried over without a request). ``column_ids`` gains the new id of each copied column;
    returns the letters found on the pages, for the caller to merge with what this run
    found itself.
    """
    conn = session.connection()
    by_run: dict[int, list[str]] = defaultdict(list)
    for previous_run, url in pages:
        by_run[previous_run].append(url)
    letters: list[dict[str, Any]] = []
    for prev, urls in by_run.items():
        for chunk in _chunks(urls):
            _copy_page_rows(conn, prev, chunk, run_id, now)
            _copy_links(conn, prev, chunk, run_id)
            _copy_columns(conn, prev, chunk, run_id, column_ids)
            for row in conn.execute(select(Letter).where(Letter.run_id == prev,
                                                         Letter.source.in_(chunk))):
                letters.append(dict(row._mapping))
    return letters


def _copy_page_rows(conn: Connection, prev: int, urls: Sequence[str], run_id: int,
                    now: datetime | None) -> None:
    columns = [getattr(Page, c) for c in PAGE_COPIED]
    fetched = Page.fetched_at if now is None else literal(now)
    query = select(*columns, literal(run_id), fetched, true()).where(
        Page.run_id == prev, Page.url.in_(urls))
    conn.execute(insert(Page).from_select(
        [*PAGE_COPIED, "run_id", "fetched_at", "unchanged"], query))


def copy_targets(session: Session, targets: Sequence[tuple[int, str]], run_id: int) -> None:
    """Copy the target rows of (previous run, url) ``targets`` as they were into ``run_id``."""
    conn = session.connection()
    by_run: dict[int, list[str]] = defaultdict(list)
    for previous_run, url in targets:
        by_run[previous_run].append(url)
    for prev, urls in by_run.items():
        for chunk in _chunks(urls):
            query = select(literal(run_id), *[getattr(Target, c) for c in TARGET_COPIED]).where(
                Target.run_id == prev, Target.url.in_(chunk))
            conn.execute(unique_insert(Target, conn.dialect.name).from_select(
                ["run_id", *TARGET_COPIED], query))


def _copy_links(conn: Connection, prev: int, urls: Sequence[str], run_id: int) -> None:
    query = select(literal(run_id), PageLinks.site, PageLinks.source, PageLinks.set_id).where(
        PageLinks.run_id == prev, PageLinks.source.in_(urls))
    conn.execute(unique_insert(PageLinks, conn.dialect.name).from_select(
        ["run_id", "site", "source", "set_id"], query))


def _copy_columns(conn: Connection, prev: int, urls: Sequence[str], run_id: int,
                  column_ids: dict[str, int]) -> None:
    for column in conn.execute(select(ColumnPage).where(
            ColumnPage.run_id == prev, ColumnPage.url.in_(urls))):
        row = dict(column._mapping)
        old_id = row.pop("id")
        row["run_id"] = run_id
        new_id = conn.execute(insert(ColumnPage).returning(ColumnPage.id), row).scalar_one()
        column_ids[row["url"]] = new_id
        query = select(literal(run_id), ColumnEntry.site, literal(new_id), false(),
                       ColumnEntry.title, ColumnEntry.url, ColumnEntry.published).where(
            ColumnEntry.column_id == old_id)
        conn.execute(insert(ColumnEntry).from_select(
            ["run_id", "site", "column_id", "home", "title", "url", "published"], query))
