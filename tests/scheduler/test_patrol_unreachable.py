"""A site whose homepage the patrol cannot fetch is reported, never passed as 未发现问题."""

from __future__ import annotations

import socket
from datetime import date

from core.settings import load_settings
from scheduler.patrol import run_patrol
from tests.crawler.localsite import LocalSite

AS_OF = date(2026, 11, 27)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_patrol_reports_refused_and_failing_homepages_as_unreachable(sqlite_url: str) -> None:
    routes = {"/": (503, {"Content-Type": "text/html; charset=utf-8"}, b"<html>busy</html>")}
    with LocalSite(routes) as failing:
        settings = load_settings(None, environ={}, overrides={
            "sites": [{"name": "拒绝连接站", "url": f"http://127.0.0.1:{_closed_port()}/"},
                      {"name": "服务器错误站", "url": failing.url}],
            "db": {"url": sqlite_url},
            "crawler": {"timeout_seconds": 5, "retries": 0, "autothrottle": False},
        })
        result = run_patrol(settings, as_of=AS_OF)
    found = {f.site: f for f in result.findings if f.rule == "site-unreachable"}
    assert set(found) == {"拒绝连接站", "服务器错误站"}
    assert found["拒绝连接站"].evidence["patrol_failure"] == "refused"
    assert found["服务器错误站"].evidence["patrol_failure"] == "5xx"
    assert all(f.severity == "warn" and "无法打开首页" in f.message for f in found.values())
