"""Every job execution in ``job_runs``: for ``xunwang status`` and the office digest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from scheduler.retry import in_transaction
from store.models import JobRun

# Values of JobRun.status written by the scheduler.
RUNNING, OK, PARTIAL, FAILED, SKIPPED = "running", "ok", "partial", "failed", "skipped"
PROBLEM_STATUSES = (PARTIAL, FAILED)


def start_job(factory: sessionmaker[Session], job: str, at: datetime) -> int:
    def work(session: Session) -> int:
        row = JobRun(job=job, started_at=at, status=RUNNING, detail="")
        session.add(row)
        session.flush()
        return row.id

    return in_transaction(factory, work)


def finish_job(
    factory: sessionmaker[Session], run_id: int, job: str, status: str, detail: str, at: datetime
) -> None:
    def work(session: Session) -> None:
        row = session.get(JobRun, run_id)
        if row is None:  # deleted by retention while running: record it anew
            row = JobRun(job=job, started_at=at)
            session.add(row)
        row.status = status
        row.detail = detail[:4000]
        row.finished_at = at
        row.duration_s = max((at - row.started_at).total_seconds(), 0.0)

    in_transaction(factory, work)


def mark_interrupted(factory: sessionmaker[Session], at: datetime) -> int:
    """Runs left 'running' by a process that died: one scheduler per database, so at its
    start every such row is stale."""
    def work(session: Session) -> int:
        result = session.execute(
            update(JobRun).where(JobRun.status == RUNNING)
            .values(status=FAILED, finished_at=at, detail="interrupted: the service stopped while it ran")
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    return in_transaction(factory, work)


def last_runs(session: Session, job: str, limit: int = 1) -> list[JobRun]:
    rows = session.scalars(
        select(JobRun).where(JobRun.job == job).order_by(JobRun.started_at.desc(), JobRun.id.desc())
        .limit(limit)
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
