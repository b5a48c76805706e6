"""Data retention: old page text, probes and job records go; findings, items and runs stay.

Page rows are kept (links, dates and evidence point at them); only their text, the
bulk of the database, is cleared. Probes are never cut inside the availability window
the ``site-unreachable`` rule reads, whatever ``retention_days`` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from core.settings import Settings
from store import retention


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime
    page_texts: int
    probes: int
    job_runs: int

    def detail(self) -> str:
        return (
            f"cutoff={self.cutoff:%Y-%m-%d} page_texts={self.page_texts} "
            f"probes={self.probes} job_runs={self.job_runs}"
        )


def retention_cutoff(settings: Settings, now: datetime) -> datetime:
    """Naive wall time before which data goes; never inside the probe window."""
    days = max(settings.schedule.retention_days, settings.checks.probe_window_days + 1)
    return now.replace(tzinfo=None) - timedelta(days=days)


def apply_retention(session: Session, settings: Settings, now: datetime) -> RetentionResult:
    """Clear old page text and delete old probes and job records (``now`` is wall time)."""
    cutoff = retention_cutoff(settings, now)
    return RetentionResult(
        cutoff,
        retention.clear_page_texts(session, cutoff),
        retention.delete_probes(session, cutoff),
        retention.delete_job_runs(session, cutoff),
    )
