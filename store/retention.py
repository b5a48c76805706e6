"""What data retention removes: old page text, probes and job records."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from store.journal import RUNNING
from store.models import JobRun, Page, ProbeResult


def clear_page_texts(session: Session, cutoff: datetime) -> int:
    """Forget the text of pages fetched before ``cutoff``; the rows stay (links point at them)."""
    result = session.execute(
        update(Page).where(Page.fetched_at < cutoff, Page.text.is_not(None)).values(text=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0))


def delete_probes(session: Session, cutoff: datetime) -> int:
    result = session.execute(
        delete(ProbeResult).where(ProbeResult.at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0))


def delete_job_runs(session: Session, cutoff: datetime) -> int:
    """Job records started before ``cutoff``, except those still running."""
    result = session.execute(
        delete(JobRun).where(JobRun.started_at < cutoff, JobRun.status != RUNNING)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0))
