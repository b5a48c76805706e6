"""The scheduler service: APScheduler 3 with its job store in Xunwang's own database.

Jobs have explicit ids and are re-added at every start (``replace_existing``) from the
current configuration, so a changed cron string or a removed site takes effect on
restart. One thing is kept from the stored job: a next run time still pending under an
unchanged trigger. That is how a service stopped over 02:00 and started at 02:05 still
runs the 02:00 patrol: the run is overdue, within the misfire grace, and coalesced to
one execution (``coalesce=True``, ``max_instances=1``). Past the grace, it is skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from sqlalchemy import Engine

from core.clock import Clock, system_clock, wall_time, zone
from core.settings import Settings
from crawler.children import end_children
from scheduler import journal
from scheduler.jobs import JobContext, register_context, run_job, unregister_context
from scheduler.lock import SchedulerLock
from scheduler.logs import log_event
from scheduler.plan import PATROL, PROBE, JobSpec, planned_jobs
from store import runs
from store.migrate import upgrade
from store.retry import in_transaction
from store.session import make_engine, make_sessionmaker

log = logging.getLogger("xunwang.scheduler")

JOBS_TABLE = "apscheduler_jobs"
OTHER_WORKERS = 4


def job_store(engine: Engine) -> SQLAlchemyJobStore:
    return SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)


class XunwangScheduler(BackgroundScheduler):  # type: ignore[misc]
    """BackgroundScheduler that looks for due jobs only while running.

    APScheduler 3 wakes its thread once more after ``shutdown()`` and processes due jobs
    with the executors already closed: a job due at that instant fails to submit, yet its
    next run time moves on, so a patrol due as the service stops would be lost. Skipping
    that last pass leaves it due in the store, for the next start to run.
    """

    def _process_jobs(self) -> float | None:
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()  # type: ignore[no-any-return]


class Service:
    """One scheduler process: ``start()``, then ``stop()`` on SIGTERM."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine | None = None,
        clock: Clock | None = None,
        patrol: Callable[..., Any] | None = None,
        digest: Callable[..., Any] | None = None,
    ) -> None:
        self.settings = settings
        self.jobs = planned_jobs(settings)  # validates cron strings before anything starts
        tz = zone(settings.schedule.timezone)
        self._own_engine = engine is None
        self.engine = engine or make_engine(settings.db.url)
        self.factory = make_sessionmaker(self.engine)
        self.lock = SchedulerLock(self.engine)
        self.clock = clock or system_clock(settings.schedule.timezone)
        self.key = register_context(
            JobContext(settings, self.factory, self.clock, patrol=patrol, digest=digest,
                       retry=self._retry_later)
        )
        self.scheduler = XunwangScheduler(
            jobstores={"default": job_store(self.engine)},
            executors={
                "default": ThreadPoolExecutor(OTHER_WORKERS),
                PATROL: ThreadPoolExecutor(settings.schedule.patrol_workers),
            },
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": settings.schedule.misfire_grace_seconds,
            },
            timezone=tz,
        )

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def start(self) -> None:
        """Take the one-scheduler lock, migrate, start paused, align the stored jobs, run."""
        self.lock.acquire()
        try:
            upgrade(self.engine)
            self._mark_interrupted(wall_time(self.clock(), self.settings.schedule.timezone))
            self.scheduler.start(paused=True)
            self._sync_jobs()
            self.scheduler.resume()
        except BaseException:
            self.stop()
            raise
        log_event(log, "scheduler_started", jobs=len(self.jobs), tz=self.settings.schedule.timezone)

    def _mark_interrupted(self, now: datetime) -> None:
        """Jobs and patrol runs that a dead process left 'running' are recorded as failed."""
        interrupted = journal.mark_interrupted(self.factory, now)
        if interrupted:
            log_event(log, "jobs_interrupted", level=logging.WARNING, count=interrupted)
        gone = in_transaction(self.factory, lambda session: runs.mark_interrupted(session, now))
        if gone:
            log_event(log, "runs_interrupted", level=logging.WARNING, runs=",".join(map(str, gone)))

    def stop(self, *, wait: bool = True, grace_s: float = 10.0) -> None:
        """Stop taking jobs, end running crawls (and their browsers), wait for jobs to record."""
        log_event(log, "scheduler_stopping")
        # Jobs already handed to the executor but not started yet find no context and skip.
        unregister_context(self.key)
        if self.scheduler.running:
            self.scheduler.pause()
            ended = end_children(grace_s)
            if ended:
                log_event(log, "children_ended", pids=",".join(map(str, ended)))
            self.scheduler.shutdown(wait=wait)
        self.lock.release()
        if self._own_engine:
            self.engine.dispose()
        log_event(log, "scheduler_stopped")

    def next_run_times(self) -> dict[str, datetime | None]:
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs()}

    def _retry_later(self, job_id: str) -> None:
        """A failed patrol runs again after ``patrol_retry_minutes``, not only tomorrow."""
        minutes = self.settings.schedule.patrol_retry_minutes
        if not minutes or not self.scheduler.running:
            return
        when = datetime.now(self.scheduler.timezone) + timedelta(minutes=minutes)
        self.scheduler.add_job(
            run_job, trigger="date", run_date=when, id=_retry_id(job_id), name=_retry_id(job_id),
            kwargs={"service": self.key, "job_id": job_id}, executor=PATROL,
            replace_existing=True,
        )
        log_event(log, "job_retry_scheduled", job=job_id, at=when)

    def _sync_jobs(self) -> None:
        stored: dict[str, Job] = {job.id: job for job in self.scheduler.get_jobs()}
        now = datetime.now(self.scheduler.timezone)  # APScheduler runs on real time
        for spec in self.jobs:
            self._add(spec, stored.pop(spec.id, None), now)
        for stale in stored:
            self.scheduler.remove_job(stale)
            log_event(log, "job_removed", job=stale)

    def _add(self, spec: JobSpec, old: Job | None, now: datetime) -> None:
        options: dict[str, Any] = {}
        if old is not None and repr(old.trigger) == repr(spec.trigger) and old.next_run_time:
            options["next_run_time"] = old.next_run_time  # an overdue run stays due
        elif old is None and spec.kind == PROBE:
            options["next_run_time"] = now  # a new install measures availability at once
        job = self.scheduler.add_job(
            run_job,
            trigger=spec.trigger,
            kwargs={"service": self.key, "job_id": spec.id},
            id=spec.id,
            name=spec.id,
            executor=PATROL if spec.kind == PATROL else "default",
            replace_existing=True,
            **options,
        )
        log_event(log, "job_scheduled", job=spec.id, next_run=job.next_run_time)


def _retry_id(job_id: str) -> str:
    return f"retry:{job_id}"


def create_service(settings: Settings, *, clock: Clock | None = None) -> Service:
    """The service for ``settings`` with the real patrol and digest, not yet started."""
    return Service(settings, clock=clock)
