"""The service with the real patrol on the demo site: a crawl stopped mid-way."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from scheduler.children import descendant_pids
from scheduler.service import Service
from store.models import JobRun, Page, Run
from store.session import make_engine, make_sessionmaker
from tests.scheduler.test_service import wait_for
from xunwang.demo import DemoSite
from xunwang.settings import load_settings

TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.slow
def test_patrol_job_stopped_mid_crawl_is_partial_and_leaves_no_process(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'xunwang.db'}"
    with DemoSite(as_of=date.today(), articles=1000) as site:
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
