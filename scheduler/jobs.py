"""The scheduler's jobs, and the one function the job store points at.

The SQLAlchemy job store pickles a job's function reference and arguments. Those are
kept to two strings, ``run_job(service, job_id)``: ``service`` names the live
``JobContext`` (settings, session factory, clock) that the running service registered
in this process, so no Settings (with its secrets) ever reaches the database. A job
left in the store by a previous process finds no context and does nothing; the
service re-adds every job with its own key at start.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from core.clock import Clock, wall_time
from core.errors import XunwangError
from core.settings import Settings
from rectification.deadline import is_workday
from reports.digest import run_digests
from scheduler import journal
from scheduler.certificates import read_certificates
from scheduler.logs import log_event
from scheduler.patrol import run_patrol
from scheduler.plan import DIGEST, PATROL, PROBE, RETENTION
from scheduler.probe import probe_sites
from scheduler.retention import apply_retention
from store import probes, security
from store.retry import in_transaction

log = logging.getLogger("xunwang.scheduler")

Outcome = tuple[str, str]  # (JobRun.status, detail)


@dataclass(frozen=True)
class JobContext:
    """What every job needs; ``patrol``/``digest`` default to the real implementations."""

    settings: Settings
    factory: sessionmaker[Session]
    clock: Clock
    patrol: Callable[..., Any] | None = None
    digest: Callable[..., Any] | None = None
    retry: Callable[[str], None] | None = None  # schedules a failed patrol once more, later


_CONTEXTS: dict[str, JobContext] = {}
_LOCK = threading.Lock()


def register_context(context: JobContext) -> str:
    key = uuid.uuid4().hex
    with _LOCK:
        _CONTEXTS[key] = context
    return key


def unregister_context(key: str) -> None:
    with _LOCK:
        _CONTEXTS.pop(key, None)


def run_job(service: str, job_id: str) -> None:
    """Entry point stored in the job store as ``scheduler.jobs:run_job``."""
    with _LOCK:
        context = _CONTEXTS.get(service)
    if context is None:
        log_event(log, "job_orphaned", level=logging.WARNING, job=job_id)
        return
    status, _detail = execute(context, job_id)
    if status == journal.FAILED and job_id.startswith(f"{PATROL}:") and context.retry:
        context.retry(job_id)


def execute(context: JobContext, job_id: str) -> Outcome:
    """Run one job, recorded in ``job_runs``; a failure is recorded and logged, never raised."""
    tz = context.settings.schedule.timezone
    started = time.monotonic()
    log_event(log, "job_start", job=job_id)
    try:
        run_id = journal.start_job(context.factory, job_id, wall_time(context.clock(), tz))
    except XunwangError as error:
        log_event(log, "job_failed", level=logging.ERROR, job=job_id, error=str(error))
        return journal.FAILED, str(error)
    try:
        status, detail = _dispatch(context, job_id)
    except Exception as error:  # the job edge: one bad run must not stop the service
        status, detail = journal.FAILED, _one_line(error)
        log_event(log, "job_error", level=logging.ERROR, exc_info=True, job=job_id)
    try:
        journal.finish_job(
            context.factory, run_id, job_id, status, detail, wall_time(context.clock(), tz)
        )
    except XunwangError as error:
        log_event(log, "job_unrecorded", level=logging.ERROR, job=job_id, error=str(error))
    level = logging.INFO if status in (journal.OK, journal.SKIPPED) else logging.WARNING
    log_event(
        log, "job_done", level=level, job=job_id, status=status,
        duration_s=round(time.monotonic() - started, 3), detail=detail,
    )
    return status, detail


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def _dispatch(context: JobContext, job_id: str) -> Outcome:
    kind, _, rest = job_id.partition(":")
    if kind == PATROL:
        target_kind, _, name = rest.partition(":")
        return patrol_job(context, target_kind, name)
    if kind == PROBE:
        return probe_job(context)
    if kind == DIGEST:
        return digest_job(context)
    if kind == RETENTION:
        return retention_job(context)
    raise ValueError(f"unknown job id {job_id!r}")


def patrol_job(context: JobContext, kind: str, name: str) -> Outcome:
    """Patrol one site or account with the configured time limit (the crawl is a child process)."""
    settings = context.settings
    names = [s.name for s in settings.sites] if kind == "site" else [a.name for a in settings.accounts]
    if name not in names:
        return journal.SKIPPED, f"{kind} {name!r} is no longer configured"
    patrol = context.patrol or run_patrol
    tz = settings.schedule.timezone

    def wall_clock() -> datetime:  # the store's DateTime columns hold naive wall time
        return wall_time(context.clock(), tz)

    result = patrol(
        settings,
        as_of=wall_clock().date(),
        now=wall_clock,
        sites=[name] if kind == "site" else [],
        accounts=[name] if kind == "account" else [],
        timeout_s=settings.schedule.patrol_timeout_minutes * 60.0,
    )
    status = {"complete": journal.OK, "partial": journal.PARTIAL}.get(result.status, journal.FAILED)
    detail = f"run={result.run_id} status={result.status} findings={len(result.findings)}"
    if result.reason:
        detail += f" reason={result.reason}"
    return status, detail


def probe_job(context: JobContext) -> Outcome:
    outcomes = probe_sites(context.settings, context.clock())
    certificates = read_certificates(context.settings, context.clock())

    def store(session: Any) -> None:
        probes.add_probes(session, outcomes)
        security.add_certificates(session, certificates)
    in_transaction(context.factory, store)
    failed = [o for o in outcomes if not o.ok]
    for outcome in failed:
        log_event(
            log, "probe_failed", level=logging.WARNING, site=outcome.site, url=outcome.url,
            failure=outcome.failure, status=outcome.status, elapsed_ms=outcome.elapsed_ms,
        )
    return journal.OK, f"probes={len(outcomes)} failed={len(failed)}"


def digest_job(context: JobContext) -> Outcome:
    settings = context.settings
    now = wall_time(context.clock(), settings.schedule.timezone)
    as_of = now.date()
    if settings.schedule.digest_workdays_only and not is_workday(as_of):
        return journal.SKIPPED, f"{as_of} is not a working day"
    digest = context.digest or run_digests
    report = digest(context.factory, settings, as_of, now)
    counts = Counter(outcome.status for outcome in report.outcomes)
    detail = " ".join(f"{status}={n}" for status, n in sorted(counts.items())) or "digests=0"
    # an uncertain send needs a person (xunwang status names it): not an OK day either
    attention = counts.get("failed") or counts.get("uncertain")
    return (journal.FAILED if attention else journal.OK), detail


def retention_job(context: JobContext) -> Outcome:
    now = wall_time(context.clock(), context.settings.schedule.timezone)
    result = in_transaction(
        context.factory, lambda session: apply_retention(session, context.settings, now)
    )
    return journal.OK, result.detail()
