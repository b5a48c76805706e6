"""Data retention: old page text, probes, job records and screenshots go; findings, items
and runs stay.

Page rows are kept (links, dates and evidence point at them); only their text, the
bulk of the database, is cleared. Probes are never cut inside the availability window
the ``site-unreachable`` rule reads, whatever ``retention_days`` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from core.settings import Settings, screenshot_dir
from store import retention
from store import screenshots as shots


@dataclass(frozen=True)
class RetentionResult:
    cutoff: datetime
    page_texts: int
    probes: int
    job_runs: int
    screenshots: int = 0

    def detail(self) -> str:
        return (
            f"cutoff={self.cutoff:%Y-%m-%d} page_texts={self.page_texts} "
            f"probes={self.probes} job_runs={self.job_runs} screenshots={self.screenshots}"
        )


def retention_cutoff(settings: Settings, now: datetime) -> datetime:
    """Naive wall time before which data goes; never inside the probe window."""
    days = max(settings.schedule.retention_days, settings.checks.probe_window_days + 1)
    return now.replace(tzinfo=None) - timedelta(days=days)


def apply_retention(session: Session, settings: Settings, now: datetime) -> RetentionResult:
    """Clear old page text, delete old probes, job records and screenshots (files and rows;
    ``now`` is wall time)."""
    cutoff = retention_cutoff(settings, now)
    return RetentionResult(
        cutoff,
        retention.clear_page_texts(session, cutoff),
        retention.delete_probes(session, cutoff),
        retention.delete_job_runs(session, cutoff),
        delete_screenshots(session, screenshot_dir(settings), cutoff),
    )


def delete_screenshots(session: Session, root: Path, cutoff: datetime) -> int:
    """Screenshots taken before ``cutoff``: their files (and emptied run folders), then rows.

    A file already gone is no error; a path that would leave ``root`` is never touched.
    """
    old = shots.taken_before(session, cutoff)
    base = root.resolve()
    folders = set()
    for shot in old:
        for name in (shot.path, shot.thumb):
            if not name:
                continue
            path = (base / name).resolve()
            if not path.is_relative_to(base):
                continue
            path.unlink(missing_ok=True)
            folders.add(path.parent)
    for folder in folders:
        if folder != base and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return shots.delete_rows(session, [shot.id for shot in old])
