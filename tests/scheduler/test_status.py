"""``xunwang status [--json]``: jobs' last and next runs, failures, probes per site."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from sqlalchemy import Engine, select

from core.settings import load_settings
from scheduler.service import Service
from store.models import JobRun, ProbeResult
from store.session import make_sessionmaker
from tests.scheduler.test_service import FakePatrol
from xunwang.cli import main

TZ = ZoneInfo("Asia/Shanghai")

CONFIG = """
[[sites]]
name = "区政府"
url = "http://127.0.0.1:9/"

[[sites]]
name = "教育局"
url = "http://127.0.0.1:9/edu/"

[[accounts]]
name = "区政府微信"
url = "http://127.0.0.1:9/feed"

[schedule]
patrol = "0 2 * * *"
probe = "0 0 1 1 *"
"""


def _seed(engine: Engine) -> datetime:
    now = datetime.now(TZ).replace(tzinfo=None, microsecond=0)
    with make_sessionmaker(engine).begin() as session:
        for i in range(40):
            session.add(ProbeResult(
                site="区政府", url="http://127.0.0.1:9/", at=now - timedelta(hours=3 * i + 1),
                ok=i % 10 != 0, status=200 if i % 10 else None,
                failure=None if i % 10 else "timeout", elapsed_ms=12,
            ))
        session.add(ProbeResult(site="区政府", url="http://127.0.0.1:9/", ok=False,
                                at=now - timedelta(days=9), failure="refused"))  # outside 7 days
        session.add(JobRun(job="patrol:site:区政府", started_at=now - timedelta(hours=3),
                           finished_at=now - timedelta(hours=2), status="partial",
                           detail="run=4 status=partial reason=time limit"))
        session.add(JobRun(job="probe", started_at=now - timedelta(minutes=5), status="ok",
                           finished_at=now - timedelta(minutes=5), detail="probes=2 failed=0"))
    return now


def _status(config: Path, db_url: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["status", "--config", str(config), "--db", db_url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_status_json_shape_and_counts(engine: Engine, tmp_path: Path) -> None:
    config = tmp_path / "xunwang.toml"
    config.write_text(CONFIG, encoding="utf-8")
    db_url = engine.url.render_as_string(hide_password=False)
    now = _seed(engine)
    report = json.loads(_status(config, db_url, "--json"))

    assert {"jobs", "sites", "failures", "accounts"} <= set(report)
    assert report["service_scheduled"] is False
    site = {s["name"]: s for s in report["sites"]}
    assert set(site) == {"区政府", "教育局"}
    assert {"name", "probes_7d", "failed_7d", "ratio", "last_patrol", "next_patrol"} <= set(site["区政府"])
    assert (site["区政府"]["probes_7d"], site["区政府"]["failed_7d"]) == (40, 4)
    assert site["区政府"]["ratio"] == 0.1
    assert site["区政府"]["failures"] == {"timeout": 4}
    assert site["区政府"]["last_patrol"] == (now - timedelta(hours=3)).isoformat()
    assert site["区政府"]["last_patrol_status"] == "partial"
    assert (site["教育局"]["probes_7d"], site["教育局"]["ratio"], site["教育局"]["last_patrol"]) == (0, 0, None)
    next_patrol = datetime.fromisoformat(site["区政府"]["next_patrol"])
    assert now < next_patrol <= now + timedelta(days=1, hours=2)
    jobs = {j["id"]: j for j in report["jobs"]}
    assert set(jobs) == {"patrol:site:区政府", "patrol:site:教育局", "patrol:account:区政府微信",
                         "probe", "digest", "retention"}
    assert all(j["next_run"] for j in jobs.values())
    assert jobs["probe"]["last_status"] == "ok"
    assert [f["job"] for f in report["failures"]] == ["patrol:site:区政府"]
    assert report["accounts"][0]["name"] == "区政府微信"


def test_status_next_runs_come_from_the_job_store_once_served(
    sqlite_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "xunwang.toml"
    config.write_text(CONFIG, encoding="utf-8")
    settings = load_settings(config, environ={}, overrides={"db": {"url": sqlite_url}})
    service = Service(settings, patrol=FakePatrol())
    service.start()
    stored = {job_id: when.replace(tzinfo=None).isoformat(timespec="seconds")
              for job_id, when in service.next_run_times().items() if when}
    service.stop()
    report = json.loads(_status(config, sqlite_url, "--json"))
    assert report["service_scheduled"] is True
    assert {j["id"]: j["next_run"] for j in report["jobs"] if j["id"] != "probe"} == {
        k: v for k, v in stored.items() if k != "probe"}
    assert all(j["scheduled"] for j in report["jobs"])


def test_status_text_names_sites_and_failures(sqlite_url: str, tmp_path: Path) -> None:
    config = tmp_path / "xunwang.toml"
    config.write_text(CONFIG, encoding="utf-8")
    from store.session import make_engine
    engine = make_engine(sqlite_url)
    _seed(engine)
    engine.dispose()
    text = _status(config, sqlite_url)
    assert "区政府  探测 40  失败 4  10.0%  timeout=4" in text
    assert "patrol:site:区政府  partial  run=4 status=partial reason=time limit" in text


def test_status_shows_patrols_run_from_the_command_line(sqlite_url: str, tmp_path: Path) -> None:
    from store.models import Run
    from store.session import make_engine

    config = tmp_path / "xunwang.toml"
    config.write_text(CONFIG, encoding="utf-8")
    started = datetime(2026, 11, 27, 9, 30)
    with make_sessionmaker(make_engine(sqlite_url)).begin() as session:
        session.add(Run(kind="patrol", as_of=started.date(), started_at=started,
                        status="complete", targets=["教育局", "区政府微信"]))
    report = json.loads(_status(config, sqlite_url, "--json"))
    sites = {s["name"]: s for s in report["sites"]}
    assert sites["教育局"]["last_patrol"] == "2026-11-27T09:30:00"
    assert sites["教育局"]["last_patrol_status"] == "complete"
    assert sites["区政府"]["last_patrol"] is None
    assert report["accounts"][0]["last_patrol"] == "2026-11-27T09:30:00"


def test_status_marks_a_killed_patrol_interrupted_and_shows_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    from store import runs
    from store.models import Run
    from store.session import make_engine
    from tests.store.test_runs import dead_pid

    config = tmp_path / "xunwang.toml"
    config.write_text(CONFIG, encoding="utf-8")
    started = datetime.now(TZ).replace(tzinfo=None, microsecond=0) - timedelta(minutes=5)
    here = runs.this_process()
    engine = make_engine(sqlite_url)
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        killed = runs.start_run(session, kind="patrol", as_of=started.date(), now=started,
                                targets=["区政府"], process=runs.Process(dead_pid(), here.host))
        working = runs.start_run(session, kind="patrol", as_of=started.date(), now=started,
                                 targets=["教育局"], process=here)
    report = json.loads(_status(config, sqlite_url, "--json"))
    with factory() as session:
        statuses = {run.id: run.status for run in session.scalars(select(Run))}
    engine.dispose()
    assert statuses == {killed: "interrupted", working: "running"}
    assert [(f["job"], f["status"]) for f in report["failures"]] == [
        (f"patrol:run:{killed}", "interrupted")]
    assert report["failures"][0]["detail"].startswith("区政府：巡查进程 ")
    sites = {s["name"]: s for s in report["sites"]}
    assert sites["区政府"]["last_patrol_status"] == "interrupted"
    assert sites["教育局"]["last_patrol_status"] == "running"
    text = _status(config, sqlite_url)
    assert f"patrol:run:{killed}  interrupted  区政府：巡查进程 " in text
