"""The scheduler service with its SQLAlchemy job store: restarts, misfires, shutdown."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from core.settings import Settings, load_settings
from crawler.children import descendant_pids
from scheduler.lock import SchedulerLockedError
from scheduler.patrol import PatrolResult
from scheduler.service import Service, XunwangScheduler, job_store
from store.models import JobRun, ProbeResult
from store.session import make_engine, make_sessionmaker
from tests.scheduler.servers import closed_url, scripted_server

TZ = ZoneInfo("Asia/Shanghai")
PATROL_A = "patrol:site:a"


def wait_for(predicate: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Poll ``predicate`` until true, at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while time.monotonic() < deadline:
        if predicate():
            return
        tick.wait(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class FakePatrol:
    """Stands in for ``scheduler.patrol.run_patrol``: records each call."""

    def __init__(self, status: str = "complete", reason: str = "") -> None:
        self.calls: list[dict[str, Any]] = []
        self.status, self.reason = status, reason

    def __call__(self, settings: Settings, **kwargs: Any) -> PatrolResult:
        self.calls.append(kwargs)
        return PatrolResult(len(self.calls), self.status, self.reason, [], {})


def _settings(db_url: str, site_url: str, **schedule: Any) -> Settings:
    return load_settings(None, environ={}, overrides={
        "db": {"url": db_url},
        "sites": [{"name": "a", "url": site_url}],
        "schedule": {"patrol_spread_minutes": 0, "probe": "0 0 1 1 *", **schedule},
    })


def _set_next_run(engine: Engine, job_id: str, when: datetime) -> None:
    """What a service stopped over ``when`` leaves in the job store."""
    scheduler = XunwangScheduler(jobstores={"default": job_store(engine)}, timezone=TZ)
    scheduler.start(paused=True)
    scheduler.modify_job(job_id, next_run_time=when)
    scheduler.shutdown(wait=False)


def _job_runs(engine: Engine, job: str) -> list[JobRun]:
    with make_sessionmaker(engine)() as session:
        return list(session.scalars(select(JobRun).where(JobRun.job == job)))


@pytest.fixture
def services() -> Iterator[list[Service]]:
    started: list[Service] = []
    yield started
    for service in started:
        if service.running:
            service.stop()


@pytest.mark.parametrize(("days_down", "grace_s", "runs"), [
    (0, 6 * 3600, 1),   # stopped over today's run, back 5 minutes later
    (3, 4 * 86400, 1),  # down three days: the missed runs coalesce into one
    (0, 60, 0),         # back after the grace: skipped, next run tomorrow
])
def test_service_restart_after_missed_patrol_runs_it_once(
    engine: Engine, services: list[Service], days_down: int, grace_s: int, runs: int
) -> None:
    now = datetime.now(TZ).replace(second=0, microsecond=0)
    missed = now - timedelta(minutes=5 if runs else 10)
    settings = _settings(engine.url.render_as_string(hide_password=False), closed_url(),
                         patrol=f"{missed.minute} {missed.hour} * * *",
                         misfire_grace_seconds=grace_s)
    fake = FakePatrol()
    first = Service(settings, engine=engine, patrol=fake)
    services.append(first)
    first.start()
    assert first.scheduler.get_job(PATROL_A).next_run_time > now  # tomorrow
    first.stop()

    _set_next_run(engine, PATROL_A, missed - timedelta(days=days_down))
    second = Service(settings, engine=engine, patrol=fake)
    services.append(second)
    second.start()
    wait_for(lambda: second.scheduler.get_job(PATROL_A).next_run_time > datetime.now(TZ),
             "the overdue patrol to be processed")
    if runs:
        wait_for(lambda: len(_job_runs(engine, PATROL_A)) == runs, "the patrol's job run")
    second.stop()

    assert len(fake.calls) == runs
    rows = _job_runs(engine, PATROL_A)
    assert [(r.status, r.detail.split()[0]) for r in rows] == [("ok", "run=1")] * runs
    if runs:
        assert fake.calls[0]["sites"] == ["a"] and fake.calls[0]["accounts"] == []
        assert fake.calls[0]["timeout_s"] == settings.schedule.patrol_timeout_minutes * 60


def test_service_probe_every_minute_is_scheduled_each_minute(
    engine: Engine, services: list[Service]
) -> None:
    with scripted_server(lambda path, i: 200) as base:
        settings = _settings(engine.url.render_as_string(hide_password=False), base + "/",
                             probe="* * * * *")
        service = Service(settings, engine=engine, patrol=FakePatrol())
        services.append(service)
        before = datetime.now(TZ)
        service.start()
        # a new install probes at once, then every minute on the minute
        wait_for(lambda: any(r.status == "ok" for r in _job_runs(engine, "probe")),
                 "the first probe run")
        job = service.scheduler.get_job("probe")
        wait_for(lambda: service.scheduler.get_job("probe").next_run_time > before,
                 "the probe's next run")
        nxt = service.scheduler.get_job("probe").next_run_time
        service.stop()
    assert nxt.second == 0 and timedelta(0) < nxt - before <= timedelta(seconds=61)
    following = job.trigger.get_next_fire_time(nxt, nxt)
    assert following - nxt == timedelta(minutes=1)
    with make_sessionmaker(engine)() as session:
        probes = session.scalars(select(ProbeResult)).all()
    assert [(p.site, p.ok, p.status) for p in probes] == [("a", True, 200)]


def test_service_restart_drops_jobs_of_removed_sites(sqlite_url: str, services: list[Service]) -> None:
    two = load_settings(None, environ={}, overrides={
        "db": {"url": sqlite_url}, "schedule": {"probe": "0 0 1 1 *"},
        "sites": [{"name": "a", "url": closed_url()}, {"name": "b", "url": closed_url()}],
    })
    first = Service(two, patrol=FakePatrol())
    services.append(first)
    first.start()
    assert {"patrol:site:a", "patrol:site:b"} <= set(first.next_run_times())
    first.stop()
    one = two.with_changes(sites=[two.sites[0].model_dump()])
    second = Service(one, patrol=FakePatrol())
    services.append(second)
    second.start()
    ids = set(second.next_run_times())
    second.stop()
    assert "patrol:site:a" in ids and "patrol:site:b" not in ids
    assert {"probe", "digest", "retention"} <= ids


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _crawling_patrol(spawned: list[int]) -> Callable[..., PatrolResult]:
    """A patrol whose crawl child (own process group) runs until it is killed."""
    def patrol(settings: Settings, **_kwargs: Any) -> PatrolResult:
        # a grandchild in a session of its own, as a browser may be: orphaned if only
        # the child's group were killed
        child = subprocess.Popen(["sh", "-c", "setsid sleep 61 & exec sleep 60"],
                                 start_new_session=True)
        spawned.append(child.pid)
        code = child.wait()
        return PatrolResult(7, "partial", f"crawl ended by signal {-code}", [], {})
    return patrol


def test_service_stop_ends_the_running_crawl_and_records_partial(
    sqlite_url: str, services: list[Service]
) -> None:
    spawned: list[int] = []
    settings = _settings(sqlite_url, closed_url())
    service = Service(settings, patrol=_crawling_patrol(spawned))
    services.append(service)
    service.start()
    service.scheduler.modify_job(PATROL_A, next_run_time=datetime.now(TZ))
    wait_for(lambda: bool(spawned) and len(descendant_pids()) >= 2, "the crawl and its browser")
    tree = descendant_pids()
    started = time.monotonic()
    service.stop(grace_s=5)
    assert time.monotonic() - started < 5
    assert descendant_pids() == []
    # dead: gone, or a zombie an orphan leaves until init reaps it
    wait_for(lambda: not any(_running(pid) for pid in tree), "the crawl tree to die", timeout=5)
    engine = make_engine(sqlite_url)
    rows = _job_runs(engine, PATROL_A)
    engine.dispose()
    assert [(r.status, r.detail) for r in rows] == [
        ("partial", "run=7 status=partial findings=0 reason=crawl ended by signal 15")
    ]


def test_service_stop_keeps_a_run_that_fell_due_while_stopping(
    sqlite_url: str, services: list[Service]
) -> None:
    fake = FakePatrol()
    service = Service(_settings(sqlite_url, closed_url()), patrol=fake)
    services.append(service)
    service.start()
    service.scheduler.pause()  # what stop() does first; the job then falls due
    due = datetime.now(TZ).replace(microsecond=0) - timedelta(seconds=1)
    service.scheduler.modify_job(PATROL_A, next_run_time=due)
    service.stop()
    engine = make_engine(sqlite_url)
    restarted = XunwangScheduler(jobstores={"default": job_store(engine)}, timezone=TZ)
    restarted.start(paused=True)
    kept = restarted.get_job(PATROL_A).next_run_time
    restarted.shutdown(wait=False)
    engine.dispose()
    assert fake.calls == []
    assert kept == due


def test_service_start_marks_runs_of_a_dead_process_interrupted(
    sqlite_url: str, services: list[Service]
) -> None:
    engine = make_engine(sqlite_url)
    with make_sessionmaker(engine).begin() as session:
        session.add(JobRun(job=PATROL_A, started_at=datetime(2026, 11, 27, 2, 0), status="running"))
    service = Service(_settings(sqlite_url, closed_url()), patrol=FakePatrol())
    services.append(service)
    service.start()
    service.stop()
    (row,) = _job_runs(engine, PATROL_A)
    engine.dispose()
    assert (row.status, row.detail) == ("failed", "interrupted: the service stopped while it ran")
    assert row.finished_at is not None


def test_service_a_hanging_patrol_does_not_hold_up_the_others(
    sqlite_url: str, services: list[Service]
) -> None:
    release = threading.Event()
    done: list[str] = []

    def patrol(settings: Settings, **kwargs: Any) -> PatrolResult:
        name = kwargs["sites"][0]
        if name == "hangs":
            release.wait(30)  # a crawl stuck until its time limit
        done.append(name)
        return PatrolResult(1, "complete", "", [], {})

    settings = load_settings(None, environ={}, overrides={
        "db": {"url": sqlite_url}, "schedule": {"probe": "0 0 1 1 *"},
        "sites": [{"name": "hangs", "url": closed_url()}, {"name": "fine", "url": closed_url()}],
    })
    service = Service(settings, patrol=patrol)
    services.append(service)
    service.start()
    now = datetime.now(TZ)
    service.scheduler.modify_job("patrol:site:hangs", next_run_time=now)
    service.scheduler.modify_job("patrol:site:fine", next_run_time=now + timedelta(seconds=0.2))
    try:
        wait_for(lambda: "fine" in done, "the other site's patrol")
        assert "hangs" not in done
    finally:
        release.set()
    wait_for(lambda: "hangs" in done, "the hanging patrol to end")
    service.stop()


def test_service_job_store_holds_ids_not_settings(sqlite_url: str, services: list[Service]) -> None:
    settings = _settings(sqlite_url, closed_url()).with_changes(
        mail={"password": "s3cret-smtp"}, web={"secret_key": "s3cret-web"})
    service = Service(settings, patrol=FakePatrol())
    services.append(service)
    service.start()
    service.stop()
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        blobs = [row[0] for row in conn.exec_driver_sql("SELECT job_state FROM apscheduler_jobs")]
    engine.dispose()
    assert len(blobs) == 4
    assert not any(b"s3cret" in blob or b"Settings" in blob for blob in blobs)
    assert all(b"scheduler.jobs:run_job" in blob for blob in blobs)


def test_service_second_scheduler_on_the_same_database_refuses(
    engine: Engine, services: list[Service]
) -> None:
    settings = _settings(engine.url.render_as_string(hide_password=False), closed_url())
    first = Service(settings, patrol=FakePatrol())
    services.append(first)
    first.start()
    second = Service(settings, patrol=FakePatrol())
    services.append(second)
    with pytest.raises(SchedulerLockedError, match="one scheduler per database"):
        second.start()
    assert not second.running
    first.stop()
    third = Service(settings, patrol=FakePatrol())  # the lock went with the first
    services.append(third)
    third.start()
    assert third.running
    third.stop()


def test_service_failed_patrol_is_retried_later_once_scheduled(
    sqlite_url: str, services: list[Service]
) -> None:
    patrol = FakePatrol(status="failed", reason="crawler exited with status 1")
    service = Service(_settings(sqlite_url, closed_url(), patrol_retry_minutes=30), patrol=patrol)
    services.append(service)
    service.start()
    before = datetime.now(TZ)
    service.scheduler.modify_job(PATROL_A, next_run_time=before)
    wait_for(lambda: service.scheduler.get_job(f"retry:{PATROL_A}") is not None,
             "the retry to be scheduled")
    retry = service.scheduler.get_job(f"retry:{PATROL_A}")
    delay = retry.next_run_time - before
    assert timedelta(minutes=29) < delay < timedelta(minutes=31)
    assert retry.kwargs["job_id"] == PATROL_A
    assert len(patrol.calls) == 1


def test_service_successful_patrol_schedules_no_retry(
    sqlite_url: str, services: list[Service]
) -> None:
    patrol = FakePatrol()
    service = Service(_settings(sqlite_url, closed_url()), patrol=patrol)
    services.append(service)
    service.start()
    service.scheduler.modify_job(PATROL_A, next_run_time=datetime.now(TZ))
    wait_for(lambda: bool(patrol.calls) and bool(_job_runs(service.engine, PATROL_A))
             and _job_runs(service.engine, PATROL_A)[0].status != "running", "the patrol")
    assert service.scheduler.get_job(f"retry:{PATROL_A}") is None
