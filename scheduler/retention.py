"""Data retention: the crawl rows of old runs, bodies and link lists nothing refers to,
old page text, probes, certificates, job records, digests and screenshots go; findings,
items and the run rows stay (``store.retention`` says which table is bounded by what).

The newest complete run of each site and account, the last patrol of each site in each
year, and the last run of each live item keep their rows. Probes are never cut inside
the availability window the ``site-unreachable`` rule reads, whatever ``retention_days``
says.
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
    runs: int = 0  # runs whose crawl rows went
    orphans: int = 0  # bodies and link lists nothing referred to any more
    others: int = 0  # certificates, digests, revoked sessions

    def detail(self) -> str:
        return (
            f"cutoff={self.cutoff:%Y-%m-%d} runs={self.runs} page_texts={self.page_texts} "
            f"orphans={self.orphans} probes={self.probes} job_runs={self.job_runs} "
            f"others={self.others} screenshots={self.screenshots}"
        )


def retention_cutoff(settings: Settings, now: datetime) -> datetime:
    """Naive wall time before which data goes; never inside the probe window."""
    days = max(settings.schedule.retention_days, settings.checks.probe_window_days + 1)
    return now.replace(tzinfo=None) - timedelta(days=days)


def apply_retention(session: Session, settings: Settings, now: datetime) -> RetentionResult:
    """Delete old runs' crawl rows, clear old page text, delete what nothing refers to,
    old probes, certificates, job records, digests and screenshots (files and rows; ``now``
    is wall time)."""
    cutoff = retention_cutoff(settings, now)
    runs = retention.prune_runs(session, cutoff)
    texts = retention.clear_page_texts(session, cutoff)
    return RetentionResult(
        cutoff, texts,
        retention.delete_probes(session, cutoff),
        retention.delete_job_runs(session, cutoff),
        delete_screenshots(session, screenshot_dir(settings), cutoff),
        runs=runs,
        orphans=retention.delete_orphans(session),
        others=retention.delete_certificates(session, cutoff)
        + retention.delete_digests(session, cutoff)
        + retention.delete_revoked_sessions(session, cutoff),
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
