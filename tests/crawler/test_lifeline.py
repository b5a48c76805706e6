"""The crawler child dies with its patrol and keeps the patrol's time limit by itself.

Each test runs a patrol in a parent process of its own, finds the ``python -m crawler``
child (and its browser), then kills or freezes the parent and polls until they are gone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from crawler.children import child_pids, descendant_pids
from store.models import Run
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, Route, html

ROOT = Path(__file__).resolve().parents[2]
HTML = {"Content-Type": "text/html; charset=utf-8"}
PARENT = """
import sys
from datetime import date
from core.settings import load_settings
from scheduler.patrol import run_patrol
run_patrol(load_settings(sys.argv[1], environ={}), as_of=date(2026, 11, 27), checks=False,
           timeout_s=float(sys.argv[2]))
"""


def _chain_site(pages: int = 400) -> LocalSite:
    """Pages that each link the next one, slowly: a crawl that outlasts any test."""
    routes: dict[str, Route | Callable[[], Route]] = {
        f"/p{i}.html": (200, dict(HTML), html(f'<p>第{i}页</p><a href="/p{i + 1}.html">下一篇</a>'))
        for i in range(pages)}
    routes["/"] = (200, dict(HTML), html('<a href="/p0.html">第一篇</a>', "首页"))
    return LocalSite(routes, slow={"*": 0.3})


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _poll(what: str, check: Callable[[], bool], limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not within {limit_s} s")
        time.sleep(0.1)


@contextmanager
def _patrol(tmp_path: Path, url: str, *, render: str, time_limit: float) -> Iterator[
        tuple[subprocess.Popen[bytes], str]]:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    config = tmp_path / "xunwang.toml"
    config.write_text(f'[db]\nurl = "{db}"\n\n[crawler]\nrequests_per_second = 20.0\n\n'
                      f'[[sites]]\nname = "测试站"\nurl = "{url}"\nrender = "{render}"\n',
                      encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(config), str(time_limit)],
                              env=env, cwd=tmp_path, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield parent, db
    finally:
        for pid in [parent.pid, *descendant_pids(parent.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        parent.wait()


def _crawler_of(parent: int) -> int | None:
    return next((p for p in child_pids(parent) if "-m crawler" in _cmdline(p)), None)


def _wait_for_crawler(parent: int, *, browser: bool) -> tuple[int, list[int]]:
    found: list[int] = []

    def ready() -> bool:
        child = _crawler_of(parent)
        if child is None:
            return False
        found[:] = [child]
        tree = descendant_pids(child)
        return not browser or any("chrom" in _cmdline(p) for p in tree)
    _poll("the crawler child (and its browser)", ready, 90)
    return found[0], descendant_pids(found[0])


def _gone(pids: list[int]) -> Callable[[], bool]:
    return lambda: not any(_alive(p) for p in pids)


def test_lifeline_crawler_dies_with_its_killed_patrol(tmp_path: Path) -> None:
    with _chain_site() as site, _patrol(tmp_path, site.url, render="never",
                                        time_limit=600) as (parent, _db):
        child, _tree = _wait_for_crawler(parent.pid, browser=False)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        _poll("the orphaned crawler's end", _gone([child]), 15)


@pytest.mark.browser
def test_lifeline_crawler_and_browser_die_with_their_killed_patrol(tmp_path: Path) -> None:
    with _chain_site() as site, _patrol(tmp_path, site.url, render="always",
                                        time_limit=600) as (parent, _db):
        child, tree = _wait_for_crawler(parent.pid, browser=True)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        _poll("the orphaned crawler and its browser's end", _gone([child, *tree]), 20)


def test_lifeline_crawler_keeps_the_time_limit_when_its_patrol_is_frozen(tmp_path: Path) -> None:
    limit = 6.0
    with _chain_site() as site, _patrol(tmp_path, site.url, render="never",
                                        time_limit=limit) as (parent, db):
        child, _tree = _wait_for_crawler(parent.pid, browser=False)
        started = time.monotonic()
        os.kill(parent.pid, signal.SIGSTOP)  # a patrol that can no longer enforce anything
        _poll("the crawler's own stop at the time limit", _gone([child]), limit + 20)
        stopped_after = time.monotonic() - started
        os.kill(parent.pid, signal.SIGCONT)
        assert parent.wait(timeout=60) == 0
    assert stopped_after <= limit + 15  # closed itself at the limit, before the hard stop
    with make_sessionmaker(make_engine(db))() as session:
        run = session.scalars(select(Run)).one()
    assert (run.status, run.reason) == ("partial", "time limit reached; crawl stopped")
