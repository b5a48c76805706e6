"""What a crawl stores, and what it reads back of the last complete run of a site.

The store pipeline writes in batches with Core statements on the session's connection
(no ORM objects per row: a crawl stores hundreds of thousands of links). Several spiders
or crawler processes of one run may store the same page first: tables with a per-run
unique key skip such a row instead of failing the batch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Insert, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store import bodies
from store.models import (
    AccountRun,
    Base,
    ColumnEntry,
    ColumnPage,
    Letter,
    LinkSet,
    Page,
    PageLinks,
    Post,
    Target,
    Visit,
)

# Per run: a page, a target, an account's read, a post are stored once.
UNIQUE_KEYS: dict[type[Base], tuple[str, ...]] = {
    Page: ("url",),
    Target: ("url",),
    AccountRun: ("account",),
    Post: ("account", "url"),
    Visit: ("url", "visitor"),
    PageLinks: ("site", "source"),
}


def unique_insert(model: type[Base], dialect: str) -> Insert:
    if model not in UNIQUE_KEYS:
        return insert(model)
    if dialect == "postgresql":
        return pg_insert(model).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite_insert(model).on_conflict_do_nothing()
    return insert(model)


def insert_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` of ``model``; a row whose per-run key is already stored is skipped.

    Page rows carry their body fields and link rows their list of links: both are stored
    once per distinct content (``store.bodies``).
    """
    conn = session.connection()
    if model is PageLinks:
        bodies.store_links(conn, rows)
        return
    if model is Page:
        rows = bodies.with_bodies(conn, rows)
    conn.execute(unique_insert(model, conn.dialect.name), list(rows))


def add_column(session: Session, row: dict[str, Any]) -> int:
    """Store a column (its first page); returns its id."""
    return int(session.connection().execute(
        insert(ColumnPage).returning(ColumnPage.id), row).scalar_one())


def column_of(session: Session, run_id: int, url: str) -> tuple[int, str] | None:
    """(id, site) of the column whose first page is ``url`` in run ``run_id``."""
    row = session.connection().execute(select(ColumnPage.id, ColumnPage.site).where(
        ColumnPage.run_id == run_id, ColumnPage.url == url)).first()
    return None if row is None else (int(row.id), str(row.site))


def add_entries(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    session.connection().execute(insert(ColumnEntry), list(rows))


def extend_column(session: Session, column_id: int, newest: date | None, entries: int) -> None:
    """One more page of a column, with ``entries`` entries, the newest dated ``newest``."""
    conn = session.connection()
    row = conn.execute(select(ColumnPage.newest, ColumnPage.entry_count, ColumnPage.pages)
                       .where(ColumnPage.id == column_id)).one()
    latest = max([d for d in (row.newest, newest) if d], default=None)
    conn.execute(update(ColumnPage).where(ColumnPage.id == column_id).values(
        newest=latest, entry_count=row.entry_count + entries, pages=row.pages + 1,
        blank=False if entries else ColumnPage.blank,
    ))


def letters_by_url(session: Session, run_id: int, urls: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The letters run ``run_id`` stored under ``urls``, as column dicts."""
    rows = session.connection().execute(select(Letter).where(
        Letter.run_id == run_id, Letter.url.in_(list(urls))))
    return {row.url: dict(row._mapping) for row in rows}


def update_letter(session: Session, letter_id: int, values: dict[str, Any]) -> None:
    session.connection().execute(update(Letter).where(Letter.id == letter_id).values(values))


def add_letters(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    session.connection().execute(insert(Letter), list(rows))


def page_validators(session: Session, run_id: int,
                    site: str) -> list[tuple[str, str, str, str, str, datetime]]:
    """(url, kind, etag, last_modified, content_hash, fetched_at) of the pages and
    attachments ``site`` answered 200 to."""
    return list(session.execute(
        select(Page.url, Page.kind, Page.etag, Page.last_modified, Page.content_hash,
               Page.fetched_at).where(
            Page.run_id == run_id, Page.site == site, Page.status == 200)
    ).tuples())


def pager_roots(session: Session, run_id: int, site: str) -> dict[str, str]:
    """Further pages of lists of ``site`` in run ``run_id``: url -> the list's first page."""
    rows = session.execute(select(Page.url, Page.column_root).where(
        Page.run_id == run_id, Page.site == site, Page.column_root.is_not(None))).tuples()
    return {url: root for url, root in rows if root}


def column_urls(session: Session, run_id: int, site: str) -> set[str]:
    """First pages of the columns run ``run_id`` found on ``site``."""
    return set(session.scalars(select(ColumnPage.url).where(
        ColumnPage.run_id == run_id, ColumnPage.site == site)))


def entries(session: Session, run_id: int, site: str) -> list[tuple[str, str, date | None]]:
    """(url, title, published) of the entries of columns and of the homepage of ``site``."""
    return list(session.execute(select(ColumnEntry.url, ColumnEntry.title, ColumnEntry.published)
                                .where(ColumnEntry.run_id == run_id, ColumnEntry.site == site))
                .tuples())


def fine_targets(session: Session, run_id: int, site: str) -> list[tuple[str, datetime]]:
    """(url, checked_at) of the targets of ``site`` that were requested and answered fine."""
    return list(session.execute(
        select(Target.url, Target.checked_at).where(
            Target.run_id == run_id, Target.site == site, Target.failure.is_(None),
            Target.attempts > 0, Target.status.is_not(None), Target.status < 300)
    ).tuples())


def link_set_ids(session: Session, run_id: int, site: str) -> list[tuple[str, int]]:
    """(source, link set id) of the pages of ``site`` in run ``run_id``."""
    return list(session.execute(select(PageLinks.source, PageLinks.set_id).where(
        PageLinks.run_id == run_id, PageLinks.site == site)).tuples())


def link_sets(session: Session, set_ids: Sequence[int]) -> dict[int, list[bodies.Link]]:
    """The links of each of these link sets, in document order (a set gone is left out)."""
    rows = session.connection().execute(
        select(LinkSet.id, LinkSet.links).where(LinkSet.id.in_(list(set_ids)))).tuples()
    return {set_id: bodies.decode_links(text) for set_id, text in rows}


def references(session: Session, run_id: int, site: str) -> Iterator[tuple[str, str, str]]:
    """(source, target, tag) of every link the run found on ``site``."""
    for _site, source, links in bodies.link_lists(session.connection(), run_id, site):
        for target, tag, _anchor in links:
            yield source, target, tag
