"""Each job through ``execute``: recorded in job_runs with its status and detail."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.settings import Settings, load_settings
from scheduler.jobs import JobContext, execute, run_job
from store.models import Body, JobRun, Page, ProbeResult, Run
from store.session import make_engine, make_sessionmaker
from tests.scheduler.servers import scripted_server
from tests.scheduler.test_service import FakePatrol

TZ = ZoneInfo("Asia/Shanghai")
FRIDAY = datetime(2026, 11, 27, 8, 0, tzinfo=TZ)
SATURDAY = datetime(2026, 11, 28, 8, 0, tzinfo=TZ)


def _settings(db_url: str, tmp_path: Path, **extra: Any) -> Settings:
    return load_settings(None, environ={}, overrides={
        "db": {"url": db_url},
        "sites": [{"name": "区政府", "url": "http://127.0.0.1:9/"}],
        "accounts": [{"name": "区政府微信", "url": "http://127.0.0.1:9/feed"}],
        "units": [{"name": "办公室", "email": "office@example.org"}],
        "mail": {"outbox": str(tmp_path / "outbox"), "office_email": "office@example.org"},
        **extra,
    })


def _context(settings: Settings, now: datetime, **kwargs: Any) -> JobContext:
    factory = make_sessionmaker(make_engine(settings.db.url))
    return JobContext(settings, factory, lambda: now, **kwargs)


def _rows(context: JobContext) -> list[tuple[str, str, str]]:
    with context.factory() as session:
        rows = session.scalars(select(JobRun).order_by(JobRun.id))
        return [(r.job, r.status, r.detail) for r in rows]


@pytest.mark.parametrize(("status", "recorded"), [
    ("complete", "ok"), ("partial", "partial"), ("failed", "failed"),
])
def test_jobs_patrol_outcome_is_recorded(
    sqlite_url: str, tmp_path: Path, status: str, recorded: str
) -> None:
    fake = FakePatrol(status=status, reason="" if status == "complete" else "time limit 240 min")
    context = _context(_settings(sqlite_url, tmp_path), FRIDAY, patrol=fake)
    assert execute(context, "patrol:account:区政府微信")[0] == recorded
    call = fake.calls[0]
    assert (call["sites"], call["accounts"], call["as_of"]) == ([], ["区政府微信"], date(2026, 11, 27))
    assert call["now"]() == datetime(2026, 11, 27, 8, 0)  # naive wall time, like the store
    job, got, detail = _rows(context)[0]
    assert (job, got) == ("patrol:account:区政府微信", recorded)
    assert detail.startswith(f"run=1 status={status}")
    assert ("reason=time limit 240 min" in detail) == (status != "complete")


def test_jobs_a_raising_job_is_recorded_failed_in_one_line(sqlite_url: str, tmp_path: Path) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("crawler exploded\nwith a long traceback")
    context = _context(_settings(sqlite_url, tmp_path), FRIDAY, patrol=broken)
    assert execute(context, "patrol:site:区政府") == ("failed", "RuntimeError: crawler exploded")
    assert _rows(context) == [("patrol:site:区政府", "failed", "RuntimeError: crawler exploded")]


def test_jobs_patrol_of_a_removed_site_is_skipped(sqlite_url: str, tmp_path: Path) -> None:
    fake = FakePatrol()
    context = _context(_settings(sqlite_url, tmp_path), FRIDAY, patrol=fake)
    assert execute(context, "patrol:site:旧站")[0] == "skipped"
    assert fake.calls == []


def test_jobs_orphaned_store_entry_does_nothing(sqlite_url: str, tmp_path: Path) -> None:
    run_job("no-such-service", "probe")  # a job left by a previous process: logged, harmless


def test_jobs_digest_skips_a_non_working_day(sqlite_url: str, tmp_path: Path) -> None:
    calls: list[Any] = []
    context = _context(_settings(sqlite_url, tmp_path), SATURDAY,
                       digest=lambda *a, **k: calls.append(a))
    assert execute(context, "digest") == ("skipped", "2026-11-28 is not a working day")
    assert calls == []


def test_jobs_digest_writes_the_office_digest_to_the_outbox(sqlite_url: str, tmp_path: Path) -> None:
    context = _context(_settings(sqlite_url, tmp_path), FRIDAY)
    status, detail = execute(context, "digest")
    assert status == "ok", detail
    assert list((tmp_path / "outbox").rglob("*.eml")), detail


def test_jobs_probe_stores_each_probe(sqlite_url: str, tmp_path: Path) -> None:
    with scripted_server(lambda path, i: 503 if path == "/col" else 200) as base:
        settings = _settings(sqlite_url, tmp_path).with_changes(
            sites=[{"name": "区政府", "url": base + "/", "key_columns": [base + "/col"]}])
        context = _context(settings, FRIDAY)
        assert execute(context, "probe") == ("ok", "probes=2 failed=1")
    with context.factory() as session:
        probes = session.scalars(select(ProbeResult).order_by(ProbeResult.url)).all()
    assert [(p.url, p.ok, p.failure, p.at) for p in probes] == [
        (base + "/", True, None, datetime(2026, 11, 27, 8, 0)),
        (base + "/col", False, "5xx", datetime(2026, 11, 27, 8, 0)),
    ]


def test_jobs_retention_clears_old_text_and_probes_keeps_runs(
    sqlite_url: str, tmp_path: Path
) -> None:
    settings = _settings(sqlite_url, tmp_path, schedule={"retention_days": 30})
    context = _context(settings, FRIDAY)
    old, recent = datetime(2026, 10, 1, 9, 0), datetime(2026, 11, 20, 9, 0)
    with context.factory.begin() as session:
        run = Run(as_of=old.date(), started_at=old, status="complete")
        session.add(run)
        session.flush()
        for at, url in ((old, "http://a/old"), (recent, "http://a/new")):
            session.add(Page(run_id=run.id, site="区政府", url=url, fetched_at=at,
                             body=Body(text="正文")))
            session.add(ProbeResult(site="区政府", url=url, at=at, ok=True, status=200))
            session.add(JobRun(job="probe", started_at=at, status="ok"))
    status, detail = execute(context, "retention")
    assert (status, detail) == ("ok", "cutoff=2026-10-28 runs=0 page_texts=1 orphans=0 probes=1 job_runs=1 others=0 "
                                "screenshots=0")
    with context.factory() as session:
        assert session.scalars(select(Run)).one().status == "complete"
        texts = dict(session.execute(select(Page.url, Page.text)).all())
        assert texts == {"http://a/old": None, "http://a/new": "正文"}
        assert [p.url for p in session.scalars(select(ProbeResult))] == ["http://a/new"]


def test_jobs_retention_never_cuts_into_the_probe_window(sqlite_url: str, tmp_path: Path) -> None:
    settings = _settings(sqlite_url, tmp_path, schedule={"retention_days": 1})
    context = _context(settings, FRIDAY)
    with context.factory.begin() as session:
        session.add(ProbeResult(site="区政府", url="http://a/", ok=False, status=None,
                                at=datetime(2026, 11, 27, 8, 0) - timedelta(days=7)))
    execute(context, "retention")
    with context.factory() as session:
        assert len(session.scalars(select(ProbeResult)).all()) == 1
