"""``xunwang serve`` as a process: web answers, probes are written, SIGTERM exits 0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from store.models import JobRun, ProbeResult
from store.session import make_engine, make_sessionmaker
from tests.scheduler.servers import free_port, scripted_server
from tests.scheduler.test_service import wait_for

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, site: str, port: int) -> Path:
    path = tmp_path / "xunwang.toml"
    path.write_text(f"""
[[sites]]
name = "示例区政府"
url = "{site}/"

[db]
url = "sqlite:///{tmp_path / 'xunwang.db'}"

[schedule]
probe = "* * * * *"
probe_timeout_seconds = 3

[mail]
outbox = "{tmp_path / 'outbox'}"

[web]
host = "127.0.0.1"
port = {port}
""", encoding="utf-8")
    return path


def _healthy(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _count(factory: object, model: type) -> int:
    with factory() as session:  # type: ignore[operator]
        return int(session.scalar(select(func.count()).select_from(model)))


def test_serve_answers_probes_and_exits_zero_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUNWANG_")}
    with scripted_server(lambda path, i: 200) as site:
        config = _config(tmp_path, site, port)
        proc = subprocess.Popen(
            [sys.executable, "-c", "from xunwang.cli import main; main()",
             "serve", "--config", str(config)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        stderr: list[str] = []
        reader = threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True)  # type: ignore[arg-type]
        reader.start()
        engine = None
        try:
            wait_for(lambda: proc.poll() is None and _healthy(f"http://127.0.0.1:{port}/healthz"),
                     "the web list to answer /healthz", timeout=60)
            assert httpx.get(f"http://127.0.0.1:{port}/healthz").json()["status"] == "ok"
            engine = make_engine(f"sqlite:///{tmp_path / 'xunwang.db'}")
            factory = make_sessionmaker(engine)
            wait_for(lambda: _count(factory, ProbeResult) >= 1, "the first probe", timeout=30)
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=30)
            stopped_in = time.monotonic() - started
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        reader.join(timeout=5)
        assert code == 0, "".join(stderr[-20:])
        assert stopped_in < 15
        with factory() as session:
            probe = session.scalars(select(ProbeResult)).first()
            assert probe is not None and (probe.site, probe.ok, probe.status) == ("示例区政府", True, 200)
            jobs = session.scalars(select(JobRun).where(JobRun.job == "probe")).all()
            assert jobs and all(j.status == "ok" for j in jobs)
        engine.dispose()
    log = "".join(stderr)
    assert "event=scheduler_started" in log and "event=serve_stopped signal=15" in log
    assert all(line.startswith("ts=") for line in stderr if line.strip()), stderr[:5]
