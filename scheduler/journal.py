"""Every job execution in ``job_runs``: each record in its own retried transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from store import journal
from store.journal import FAILED, OK, PARTIAL, PROBLEM_STATUSES, RUNNING, SKIPPED
from store.retry import in_transaction

__all__ = ["FAILED", "OK", "PARTIAL", "PROBLEM_STATUSES", "RUNNING", "SKIPPED", "finish_job",
           "mark_interrupted", "start_job"]


def start_job(factory: sessionmaker[Session], job: str, at: datetime) -> int:
    return in_transaction(factory, lambda session: journal.start_job(session, job, at))


def finish_job(
    factory: sessionmaker[Session], run_id: int, job: str, status: str, detail: str, at: datetime
) -> None:
    in_transaction(
        factory, lambda session: journal.finish_job(session, run_id, job, status, detail, at))


def mark_interrupted(factory: sessionmaker[Session], at: datetime) -> int:
    """Runs left 'running' by a process that died: one scheduler per database, so at its
    start every such row is stale."""
    return in_transaction(factory, lambda session: journal.mark_interrupted(session, at))
