"""The rows behind a year's numbers (``reports.yearbook``): what the patrols of a year saw.

Everything is de-duplicated across runs: an entry, a letter or a post counts once however
many patrols saw it (by site and URL, by account and URL).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, distinct, func, select
from sqlalchemy.orm import Session

from store.models import (
    ColumnEntry,
    ColumnPage,
    FindingRow,
    Item,
    ItemEvent,
    Letter,
    Post,
    Run,
)

FINISHED = ("complete", "partial")


def _span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def patrol_days(session: Session, year: int, site: str | None = None) -> list[date]:
    """The distinct check days (``as_of``) of the year's finished patrols (of one site)."""
    start, end = _span(year)
    query = select(Run.as_of).distinct().where(Run.kind == "patrol", Run.status.in_(FINISHED),
                                              Run.as_of >= start, Run.as_of <= end)
    days = sorted(d for d in session.scalars(query) if d is not None)
    if site is None:
        return days
    return [d for d in days if _patrolled(session, d, site)]


def _patrolled(session: Session, day: date, site: str) -> bool:
    query = select(Run).where(Run.kind == "patrol", Run.status.in_(FINISHED), Run.as_of == day)
    return any(site in (run.targets or ()) for run in session.scalars(query))


def runs_of_year(session: Session, year: int) -> list[int]:
    start, end = _span(year)
    return list(session.scalars(select(Run.id).where(
        Run.kind == "patrol", Run.status.in_(FINISHED), Run.as_of >= start, Run.as_of <= end)
        .order_by(Run.id)))


def latest_run_with(session: Session, year: int, site: str) -> int | None:
    """The last finished patrol of the year (or, for a past year, the first after it) that
    stored ``site``: its snapshot shows the year's documents with their links."""
    start, end = _span(year)
    stored = select(ColumnPage.run_id).where(ColumnPage.site == site)
    base = select(Run.id).where(Run.kind == "patrol", Run.status.in_(FINISHED),
                                Run.id.in_(stored))
    found = session.scalars(base.where(Run.as_of >= start, Run.as_of <= end)
                            .order_by(Run.as_of.desc(), Run.id.desc())).first()
    if found is None:
        found = session.scalars(base.where(Run.as_of > end).order_by(Run.as_of, Run.id)).first()
    return found


def run_as_of(session: Session, run_id: int) -> date | None:
    return session.scalars(select(Run.as_of).where(Run.id == run_id)).first()


@dataclass(frozen=True)
class EntryRow:
    site: str
    column: str
    title: str
    url: str
    published: date


def entries_published(session: Session, year: int) -> list[EntryRow]:
    """Every column entry dated in ``year`` that any patrol saw, once per (site, URL).

    Repost-source lists are not the site's columns; the column name is the one of the
    latest run that listed the entry.
    """
    start, end = _span(year)
    rows = session.execute(
        select(ColumnEntry.site, ColumnPage.name, ColumnEntry.title, ColumnEntry.url,
               ColumnEntry.published, ColumnEntry.run_id)
        .join(ColumnPage, ColumnPage.id == ColumnEntry.column_id)
        .where(ColumnPage.role == "", ColumnEntry.published >= start,
               ColumnEntry.published <= end)
        .order_by(ColumnEntry.run_id))
    out: dict[tuple[str, str], EntryRow] = {}
    for site, column, title, url, published, _ in rows:
        if published is not None:
            out[(site, url)] = EntryRow(site, column, title, url, published)
    return sorted(out.values(), key=lambda e: (e.site, e.published, e.url))


@dataclass(frozen=True)
class LetterRow:
    site: str
    url: str
    asked: date
    replied: date | None


def letters_asked(session: Session, year: int) -> list[LetterRow]:
    """Letters asked in ``year``, once per (site, URL); the reply date from the latest run."""
    start, end = _span(year)
    out: dict[tuple[str, str], LetterRow] = {}
    for site, url, asked, replied in session.execute(
            select(Letter.site, Letter.url, Letter.asked, Letter.replied)
            .where(Letter.asked >= start, Letter.asked <= end).order_by(Letter.run_id)):
        if asked is None:
            continue
        previous = out.get((site, url))
        out[(site, url)] = LetterRow(site, url, asked, replied or (previous.replied if previous else None))
    return sorted(out.values(), key=lambda r: (r.site, r.asked, r.url))


@dataclass(frozen=True)
class PostRow:
    account: str
    url: str
    published: datetime


def posts_published(session: Session, year: int) -> list[PostRow]:
    start = datetime(year, 1, 1)
    end = datetime(year + 1, 1, 1)
    out: dict[tuple[str, str], PostRow] = {}
    for account, url, published in session.execute(
            select(Post.account, Post.url, Post.published)
            .where(Post.published >= start, Post.published < end).order_by(Post.run_id)):
        if published is not None:
            out[(account, url)] = PostRow(account, url, published)
    return sorted(out.values(), key=lambda p: (p.account, p.published, p.url))


@dataclass(frozen=True)
class ItemRow:
    id: int
    rule: str
    site: str | None
    account: str | None
    unit: str
    state: str
    first_seen: date
    closed_at: datetime | None
    reported_fixed: bool


def items_found(session: Session, year: int) -> list[ItemRow]:
    """Rectification items first seen in ``year``, with whether a unit reported them fixed."""
    start, end = _span(year)
    fixed = select(ItemEvent.item_id).where(ItemEvent.action == "mark_fixed")
    reported = set(session.scalars(fixed))
    return [
        ItemRow(i.id, i.rule, i.site, i.account, i.unit or "", i.state, i.first_seen,
                i.closed_at, i.id in reported)
        for i in session.scalars(select(Item).where(
            and_(Item.first_seen >= start, Item.first_seen <= end)).order_by(Item.id))
    ]


def finding_counts(session: Session, year: int, prefixes: tuple[str, ...]) -> dict[str, int]:
    """Distinct places (rule, site, URL) of the year's findings whose rule has a prefix."""
    runs = runs_of_year(session, year)
    if not runs:
        return {}
    out: dict[str, int] = {}
    for rule, count in session.execute(
            select(FindingRow.rule, func.count(distinct(FindingRow.fingerprint)))
            .where(FindingRow.run_id.in_(runs)).group_by(FindingRow.rule)):
        if rule.startswith(prefixes):
            out[rule] = int(count)
    return out
