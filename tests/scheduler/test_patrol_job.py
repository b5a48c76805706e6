"""The service with the real patrol on the demo site: a crawl stopped mid-way."""

from __future__ import annotations

import os
import signal
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core.settings import load_settings
from crawler.children import descendant_pids
from scheduler.service import Service
from store.models import FindingRow, Item, JobRun, Page, Run
from store.session import make_engine, make_sessionmaker
from tests.scheduler.test_service import wait_for
from xunwang.demo import DemoSite

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.slow
def test_patrol_job_stopped_mid_crawl_is_partial_and_leaves_no_process(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'xunwang.db'}"
    # Large enough that the crawl cannot finish between the first pages and the stop.
    with DemoSite(as_of=date.today(), articles=1500) as site:
        config = tmp_path / "xunwang.toml"
        config.write_text(site.config_toml(db_url=db_url, outbox=str(tmp_path / "outbox")),
                          encoding="utf-8")
        settings = load_settings(config, environ={}, overrides={
            "schedule": {"probe": "0 0 1 1 *", "patrol_spread_minutes": 0},
            "crawler": {"concurrency_per_host": 2},
        })
        portal = settings.sites[0].name
        service = Service(settings)
        try:
            service.start()
            service.scheduler.modify_job(f"patrol:site:{portal}", next_run_time=datetime.now(TZ))
            engine = make_engine(db_url)
            factory = make_sessionmaker(engine)

            def pages() -> int:
                with factory() as session:
                    return int(session.scalar(select(func.count()).select_from(Page)))

            wait_for(lambda: pages() >= 20 and bool(descendant_pids()), "the crawl to fetch pages",
                     timeout=90)
        finally:
            service.stop(grace_s=10)
        assert descendant_pids() == []
        with factory() as session:
            run = session.scalars(select(Run)).one()
            job = session.scalars(select(JobRun).where(JobRun.job == f"patrol:site:{portal}")).one()
            fetched = session.scalar(select(func.count()).select_from(Page))
        engine.dispose()
    assert run.status == "partial", (run.status, run.reason)
    assert job.status == "partial" and f"run={run.id} status=partial" in job.detail
    assert fetched and fetched < site.articles


@pytest.mark.slow
def test_patrol_job_crawler_killed_then_next_patrol_completes_consistently(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'xunwang.db'}"
    with DemoSite(as_of=date.today(), articles=150) as site:
        config = tmp_path / "xunwang.toml"
        config.write_text(site.config_toml(db_url=db_url, outbox=str(tmp_path / "outbox")),
                          encoding="utf-8")
        settings = load_settings(config, environ={}, overrides={
            "schedule": {"probe": "0 0 1 1 *", "patrol_spread_minutes": 0},
            "crawler": {"concurrency_per_host": 2},
        })
        job_id = f"patrol:site:{settings.sites[0].name}"
        engine = make_engine(db_url)
        factory = make_sessionmaker(engine)

        def count(model: type) -> int:
            with factory() as session:
                return int(session.scalar(select(func.count()).select_from(model)))

        def finished() -> list[JobRun]:
            with factory() as session:
                return list(session.scalars(select(JobRun).where(
                    JobRun.job == job_id, JobRun.status != "running").order_by(JobRun.id)))

        service = Service(settings)
        try:
            service.start()
            service.scheduler.modify_job(job_id, next_run_time=datetime.now(TZ))
            wait_for(lambda: count(Page) >= 20 and bool(descendant_pids()),
                     "the crawl to fetch pages", timeout=90)
            crawler = min(descendant_pids())
            os.killpg(os.getpgid(crawler), signal.SIGKILL)  # the crawl dies mid-patrol
            wait_for(lambda: len(finished()) == 1, "the killed patrol to be recorded", timeout=60)
            with factory() as session:
                after_kill = {i.fingerprint: i.state for i in session.scalars(select(Item))}
            service.scheduler.modify_job(job_id, next_run_time=datetime.now(TZ))
            wait_for(lambda: len(finished()) == 2, "the next patrol", timeout=240)
        finally:
            service.stop()
        with factory() as session:
            runs = session.scalars(select(Run).order_by(Run.id)).all()
            items = {i.fingerprint: i.state for i in session.scalars(select(Item))}
            found = set(session.scalars(select(FindingRow.fingerprint)))
            latest = set(session.scalars(
                select(FindingRow.fingerprint).where(FindingRow.run_id == runs[-1].id)))
        jobs = finished()
        engine.dispose()
    assert [r.status for r in runs] == ["partial", "complete"], [r.reason for r in runs]
    assert "signal 9" in runs[0].reason
    assert [j.status for j in jobs] == ["partial", "ok"]
    assert "closed" not in after_kill.values()  # nothing closed by absence after a partial run
    assert set(after_kill) <= set(items)  # nothing found before was lost
    assert set(items) == found  # one item per problem across both patrols, no duplicates
    assert latest and all(items[f] != "closed" for f in latest)
