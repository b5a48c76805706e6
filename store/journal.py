"""Scheduler job executions (``job_runs``): for ``xunwang status`` and the office digest.

Functions take a Session and never commit; the scheduler's edges (``scheduler.journal``)
run each in its own retried transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from checks.model import masked
from store.models import JobRun

# Values of JobRun.status written by the scheduler.
RUNNING, OK, PARTIAL, FAILED, SKIPPED = "running", "ok", "partial", "failed", "skipped"
PROBLEM_STATUSES = (PARTIAL, FAILED)
DETAIL_CHARS = 4000


def start_job(session: Session, job: str, at: datetime) -> int:
    row = JobRun(job=job, started_at=at, status=RUNNING, detail="")
    session.add(row)
    session.flush()
    return row.id


def finish_job(session: Session, run_id: int, job: str, status: str, detail: str,
               at: datetime) -> None:
    row = session.get(JobRun, run_id)
    if row is None:  # deleted by retention while running: record it anew
        row = JobRun(job=job, started_at=at)
        session.add(row)
    row.status = status
    row.detail = masked(detail)[:DETAIL_CHARS]  # an error may quote a crawled URL
    row.finished_at = at
    row.duration_s = max((at - row.started_at).total_seconds(), 0.0)


def mark_interrupted(session: Session, at: datetime) -> int:
    """Fail every job still 'running'; only right at a scheduler's start (one per database)."""
    result = session.execute(
        update(JobRun).where(JobRun.status == RUNNING)
        .values(status=FAILED, finished_at=at,
                detail="interrupted: the service stopped while it ran")
    )
    return int(getattr(result, "rowcount", 0))


def last_runs(session: Session, job: str, limit: int = 1) -> list[JobRun]:
    rows = session.scalars(
        select(JobRun).where(JobRun.job == job)
        .order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
    )
    return list(rows)


def recent_problems(session: Session, since: datetime, limit: int = 20) -> list[JobRun]:
    """Failed or partial job runs since ``since``, newest first (the digest lists patrols)."""
    rows = session.scalars(
        select(JobRun)
        .where(JobRun.status.in_(PROBLEM_STATUSES), JobRun.started_at >= since)
        .order_by(JobRun.started_at.desc(), JobRun.id.desc())
        .limit(limit)
    )
    return list(rows)


def failed_since(session: Session, since: datetime, limit: int = 20) -> list[JobRun]:
    """Failed job runs since ``since``, newest start first."""
    return list(session.scalars(
        select(JobRun).where(JobRun.status == FAILED, JobRun.started_at >= since)
        .order_by(JobRun.started_at.desc()).limit(limit)))


def running_jobs(session: Session) -> list[str]:
    """Ids of the jobs recorded as running now."""
    return list(session.scalars(select(JobRun.job).where(JobRun.status == RUNNING)))

