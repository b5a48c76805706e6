"""What data retention removes, table by table (``scheduler.retention`` runs it nightly).

Bounded by ``retention_days`` (the cutoff):

- runs' crawl rows (``pages``, ``page_links``, ``targets``, ``columns``, ``entries``,
  ``letters``, ``visits``, ``account_runs``, ``posts``) of runs started before the cutoff,
  except the runs still needed (``kept_runs``); the run row and its findings stay, as the
  findings history (trends, the yearbook, known typos);
- ``bodies`` and ``link_sets`` no page row refers to; the text of bodies only pages fetched
  before the cutoff refer to;
- ``probes``, ``certificates``, ``job_runs`` (not running), sent or superseded
  ``digests``, ``revoked_sessions`` expired before the cutoff (``screenshots``: see
  ``scheduler.retention``).

Not bounded by time, and not by the size of a site: ``runs`` and ``findings`` (one row a
patrol, one a finding), ``items`` and ``item_events`` (problems and what people did),
``script_hosts`` (hosts), ``users``, ``api_tokens``, ``login_addresses``, ``allow_rules``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session

from store.journal import RUNNING
from store.models import (
    AccountRun,
    Body,
    Certificate,
    ColumnEntry,
    ColumnPage,
    Digest,
    Item,
    JobRun,
    Letter,
    LinkSet,
    Page,
    PageLinks,
    Post,
    ProbeResult,
    RevokedSession,
    Run,
    Target,
    Visit,
)

LIVE = ("to_confirm", "open", "fixed_pending", "sent_back")
FINISHED = ("complete", "partial")
RUN_TABLES: tuple[Any, ...] = (ColumnEntry, ColumnPage, Page, PageLinks, Target, Letter, Visit,
                               Post, AccountRun)
CHUNK = 500


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def kept_runs(session: Session) -> set[int]:
    """Runs whose rows stay whatever their age: the newest complete run of each site (the
    next patrol's base) and of each account, the last finished patrol of each site in each
    year (the yearbook's snapshot), and the last run of each live item."""
    kept = set(session.scalars(
        select(func.max(Page.run_id)).join(Run, Run.id == Page.run_id)
        .where(Run.status == "complete").group_by(Page.site)))
    kept |= set(session.scalars(
        select(func.max(AccountRun.run_id)).join(Run, Run.id == AccountRun.run_id)
        .where(Run.status == "complete").group_by(AccountRun.account)))
    yearly: dict[tuple[str, int], tuple[Any, int]] = {}
    for site, run_id, as_of in session.execute(
            select(ColumnPage.site, Run.id, Run.as_of).distinct()
            .join(Run, Run.id == ColumnPage.run_id)
            .where(Run.kind == "patrol", Run.status.in_(FINISHED))):
        key = (site, as_of.year)
        yearly[key] = max(yearly.get(key, (as_of, run_id)), (as_of, run_id))
    kept |= {run_id for _as_of, run_id in yearly.values()}
    kept |= {run_id for run_id in session.scalars(
        select(Item.last_run_id).where(Item.state.in_(LIVE)).distinct()) if run_id is not None}
    return {run_id for run_id in kept if run_id is not None}


def prune_runs(session: Session, cutoff: datetime) -> int:
    """Delete the crawl rows of runs started before ``cutoff`` (finished ones, not kept);
    returns how many runs had rows."""
    kept = kept_runs(session)
    old = [run_id for run_id in session.scalars(
        select(Run.id).where(Run.started_at < cutoff, Run.status != "running"))
        if run_id not in kept]
    pruned = 0
    for start in range(0, len(old), CHUNK):
        chunk = old[start:start + CHUNK]
        with_rows: set[int] = set()
        for model in RUN_TABLES:
            with_rows |= set(session.scalars(
                select(model.run_id).where(model.run_id.in_(chunk)).distinct()))
            session.execute(delete(model).where(model.run_id.in_(chunk))
                            .execution_options(synchronize_session=False))
        pruned += len(with_rows)
    return pruned


def delete_orphans(session: Session) -> int:
    """Bodies and link lists no page row of any run refers to any more."""
    bodies = session.execute(
        delete(Body).where(~exists().where(Page.body_id == Body.id))
        .execution_options(synchronize_session=False))
    sets = session.execute(
        delete(LinkSet).where(~exists().where(PageLinks.set_id == LinkSet.id))
        .execution_options(synchronize_session=False))
    return _count(bodies) + _count(sets)


def clear_page_texts(session: Session, cutoff: datetime) -> int:
    """Forget the text of bodies that only pages fetched before ``cutoff`` refer to; the
    rows stay (links, dates and evidence point at them). Such a body no longer stands for
    its content (its digest goes), so a page seen again with it gets a body of its own."""
    recent = select(Page.body_id).where(Page.fetched_at >= cutoff, Page.body_id.is_not(None))
    old = select(Page.body_id).where(Page.fetched_at < cutoff)
    result = session.execute(
        update(Body).where(Body.text.is_not(None), Body.id.in_(old), Body.id.not_in(recent))
        .values(text=None, digest=None).execution_options(synchronize_session=False))
    return _count(result)


def delete_probes(session: Session, cutoff: datetime) -> int:
    result = session.execute(
        delete(ProbeResult).where(ProbeResult.at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return _count(result)


def delete_certificates(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(Certificate).where(Certificate.at < cutoff)
                             .execution_options(synchronize_session=False))
    return _count(result)


def delete_job_runs(session: Session, cutoff: datetime) -> int:
    """Job records started before ``cutoff``, except those still running."""
    result = session.execute(
        delete(JobRun).where(JobRun.started_at < cutoff, JobRun.status != RUNNING)
        .execution_options(synchronize_session=False)
    )
    return _count(result)


def delete_digests(session: Session, cutoff: datetime) -> int:
    """Digest mails of days before ``cutoff`` that were sent or superseded (a pending,
    failed or uncertain one stays for someone to see)."""
    result = session.execute(
        delete(Digest).where(Digest.as_of < cutoff.date(),
                             Digest.status.in_(("sent", "superseded")))
        .execution_options(synchronize_session=False))
    return _count(result)


def delete_revoked_sessions(session: Session, cutoff: datetime) -> int:
    """Logged-out sessions that expired before ``cutoff``: their cookies are refused anyway."""
    result = session.execute(delete(RevokedSession).where(RevokedSession.expires_at < cutoff)
                             .execution_options(synchronize_session=False))
    return _count(result)
