"""``xunwang crawl``: the summary, and Ctrl-C stopping cleanly while keeping what was stored."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from store.models import Page, Run
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, html
from xunwang.cli import main

HTML = {"Content-Type": "text/html; charset=utf-8"}


def _chain(n: int) -> dict[str, tuple[int, dict[str, str], bytes]]:
    """Pages that each link the next: a crawl that takes a while, one page at a time."""
    routes = {f"/p{i}.html": (200, dict(HTML), html(f'<p>第{i}页</p><a href="/p{i + 1}.html">下一篇</a>'))
              for i in range(n)}
    routes["/"] = (200, dict(HTML), html('<a href="/p0.html">开始</a>', "首页"))
    return routes


def test_crawl_prints_summary(tmp_path: Path) -> None:
    with LocalSite(_chain(3)) as site:
        result = CliRunner().invoke(main, ["crawl", site.url, "--db",
                                           f"sqlite:///{tmp_path / 'x.db'}"])
    assert result.exit_code == 0, result.output
    assert "完成" in result.output and "页面 4" in result.output  # home, p0..p2
    assert "不可用 1" in result.output  # p3 is a 404


def test_crawl_bad_url_is_one_line() -> None:
    result = CliRunner().invoke(main, ["crawl", "ftp://example.org/"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "ftp://example.org/" in result.output


def test_ctrl_c_stops_cleanly_and_keeps_pages(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    with LocalSite(_chain(400), slow={f"/p{i}.html": 0.1 for i in range(400)}) as site:
        proc = subprocess.Popen([sys.executable, "-m", "xunwang", "crawl", site.url, "--db", db],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        factory = make_sessionmaker(make_engine(db))
        stored = 0
        deadline = time.monotonic() + 60
        while stored < 10 and time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                with factory() as session:
                    stored = session.scalar(select(func.count()).select_from(Page)) or 0
            except Exception:
                stored = 0  # the schema may not exist yet
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert stored >= 10, err
    with factory() as session:
        run = session.scalars(select(Run)).one()
        kept = session.scalar(select(func.count()).select_from(Page))
    assert run.status == "partial" and "Ctrl-C" in run.reason
    assert kept is not None and kept >= stored
    assert kept < 400
    assert "未完成" in out
