"""Reads for the console pages: trends, a site's last patrol and columns, an account's last
read, one run's pages, findings and failures. Functions take a Session and never commit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVarTuple

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import Session

from store.items import Units
from store.models import AccountRun, ColumnPage, FindingRow, Item, Page, Post, Run, Target

Ts = TypeVarTuple("Ts")


def _visible(stmt: Select[*Ts], units: Units) -> Select[*Ts]:
    """``stmt`` limited to the items of ``units`` (None: every unit)."""
    if units is None:
        return stmt
    if not units:
        return stmt.where(false())
    return stmt.where(Item.unit.in_(sorted(units)))


def found_per_day(session: Session, units: Units, start: date, end: date) -> Counter[date]:
    """Items first seen on each day of [start, end]."""
    stmt = _visible(select(Item.first_seen, func.count()).where(
        Item.first_seen >= start, Item.first_seen <= end).group_by(Item.first_seen), units)
    return Counter({day: count for day, count in session.execute(stmt).tuples()})


def closed_per_day(session: Session, units: Units, start: date, end: date,
                   state: str) -> Counter[date]:
    """Items in ``state`` (closed) by the day they were closed, within [start, end]."""
    stmt = _visible(select(Item.closed_at).where(
        Item.state == state, Item.closed_at >= datetime.combine(start, datetime.min.time()),
        Item.closed_at < datetime.combine(end, datetime.max.time())), units)
    return Counter(at.date() for at in session.scalars(stmt) if at is not None)


@dataclass(frozen=True)
class RunInfo:
    id: int
    as_of: date
    started_at: datetime
    finished_at: datetime | None
    status: str


def _info(run: Run | None) -> RunInfo | None:
    if run is None:
        return None
    return RunInfo(run.id, run.as_of, run.started_at, run.finished_at, run.status)


def last_run_of_site(session: Session, site: str) -> RunInfo | None:
    """The newest run that stored a page of ``site`` (whatever its status)."""
    run_id = session.scalar(select(func.max(Page.run_id)).where(Page.site == site))
    return _info(session.get(Run, run_id)) if run_id is not None else None


def last_run_of_account(session: Session, account: str) -> tuple[RunInfo | None, AccountRun | None]:
    row = session.scalar(select(AccountRun).where(AccountRun.account == account)
                         .order_by(AccountRun.run_id.desc()).limit(1))
    if row is None:
        return None, None
    return _info(session.get(Run, row.run_id)), row


def columns_of(session: Session, run_id: int, site: str) -> list[ColumnPage]:
    """The columns a run saw at a site, oldest newest-date first (undated first)."""
    rows = list(session.scalars(select(ColumnPage).where(
        ColumnPage.run_id == run_id, ColumnPage.site == site)))
    return sorted(rows, key=lambda c: (c.newest is not None, c.newest or date.min, c.name))


def newest_posts(session: Session, run_id: int, account: str, limit: int = 5) -> list[Post]:
    return list(session.scalars(select(Post).where(Post.run_id == run_id, Post.account == account)
                                .order_by(Post.published.desc()).limit(limit)))


def run_by_id(session: Session, run_id: int) -> Run | None:
    return session.get(Run, run_id)


def pages_per_site(session: Session, run_id: int) -> list[tuple[str, str, int]]:
    """(site, kind, pages) the run stored."""
    return list(session.execute(
        select(Page.site, Page.kind, func.count()).where(Page.run_id == run_id)
        .group_by(Page.site, Page.kind).order_by(Page.site, Page.kind)).tuples())


def failed_pages(session: Session, run_id: int, limit: int) -> list[Page]:
    """Pages the run could not fetch well (HTTP 4xx/5xx, no status, or a skip note)."""
    return list(session.scalars(select(Page).where(
        Page.run_id == run_id, (Page.status.is_(None)) | (Page.status >= 400))
        .order_by(Page.site, Page.url).limit(limit)))


def failed_targets(session: Session, run_id: int, limit: int) -> list[Target]:
    return list(session.scalars(select(Target).where(
        Target.run_id == run_id, Target.failure.is_not(None))
        .order_by(Target.site, Target.url).limit(limit)))


def findings_of_run(session: Session, run_id: int, limit: int) -> tuple[int, list[FindingRow]]:
    total = session.scalar(select(func.count()).select_from(FindingRow)
                           .where(FindingRow.run_id == run_id)) or 0
    rows = list(session.scalars(select(FindingRow).where(FindingRow.run_id == run_id)
                                .order_by(FindingRow.id).limit(limit)))
    return total, rows


def findings_per_run(session: Session, run_ids: Sequence[int]) -> dict[int, int]:
    """Findings stored by each run."""
    if not run_ids:
        return {}
    return dict(session.execute(
        select(FindingRow.run_id, func.count()).where(FindingRow.run_id.in_(list(run_ids)))
        .group_by(FindingRow.run_id)).tuples().all())
