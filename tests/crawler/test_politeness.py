"""Politeness measured at the server: request budgets, Crawl-delay, Retry-After, probe limits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select

from checks.links import verdict
from core.settings import load_settings
from crawler.politeness import retry_after
from scheduler.patrol import run_patrol
from store.models import Target
from store.session import make_engine, make_sessionmaker
from tests.crawler.hostile import peak_per_second
from tests.crawler.localsite import LocalSite, Route, html

HTML = {"Content-Type": "text/html; charset=utf-8"}
AS_OF = date(2026, 11, 27)


def _patrol(url: str, db_url: str, **crawler: Any) -> dict[str, Target]:
    settings = load_settings(None, environ={}, overrides={
        "sites": [{"name": "测试站", "url": url}], "db": {"url": db_url},
        "crawler": {"timeout_seconds": 3, "retries": 2, **crawler}})
    result = run_patrol(settings, as_of=AS_OF, checks=False, timeout_s=120)
    assert result.status == "complete", result.reason
    with make_sessionmaker(make_engine(db_url))() as session:
        return {t.url: t for t in session.scalars(select(Target))}


def _home(links: list[str]) -> Route:
    return (200, dict(HTML), html("".join(f'<a href="{u}">链接{i}</a>' for i, u in enumerate(links))))


def test_politeness_site_requests_stay_within_the_default_budget(sqlite_url: str) -> None:
    routes: dict[str, Route | Callable[[], Route]] = {
        f"/p{i}.html": (200, dict(HTML), html(f"<p>第{i}页</p>")) for i in range(30)}
    routes["/"] = _home([f"/p{i}.html" for i in range(30)])
    with LocalSite(routes) as site:
        _patrol(site.url, sqlite_url)  # default crawler.requests_per_second = 5
    assert len(site.log) >= 30
    assert peak_per_second([t for t, _m, _p in site.log]) <= 5


def test_politeness_probed_host_gets_its_own_small_budget(sqlite_url: str) -> None:
    ext = LocalSite({f"/e{i}.html": (200, dict(HTML), html("<p>外部</p>")) for i in range(8)},
                    slow={"*": 0.6})
    with ext, LocalSite({"/": _home([f"{ext.url}e{i}.html" for i in range(8)])}) as site:
        targets = _patrol(site.url, sqlite_url, external_requests_per_second=4,
                          external_concurrency=2)
    assert all(verdict(targets[f"{ext.url}e{i}.html"].failure, targets[f"{ext.url}e{i}.html"].in_scope) == "ok" for i in range(8))
    assert peak_per_second([t for t, _m, _p in ext.log]) <= 4
    assert ext.peak_inflight <= 2


def test_politeness_robots_crawl_delay_spaces_requests(sqlite_url: str) -> None:
    routes: dict[str, Route | Callable[[], Route]] = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 1\n"),
        **{f"/p{i}.html": (200, dict(HTML), html(f"<p>第{i}页</p>")) for i in range(4)}}
    routes["/"] = _home([f"/p{i}.html" for i in range(4)])
    with LocalSite(routes) as site:
        _patrol(site.url, sqlite_url, requests_per_second=50)
    times = [t for t, _m, path in site.log if path != "/robots.txt"]
    assert len(times) >= 6  # the not-found probe, the homepage, four pages
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.99


def _busy_once() -> Callable[[], Route]:
    calls = []

    def route() -> Route:
        calls.append(1)
        if len(calls) == 1:
            return (429, {**HTML, "Retry-After": "2"}, html("<p>请求过多</p>"))
        return (200, dict(HTML), html("<p>正常</p>"))
    return route


def test_politeness_retry_after_within_the_cap_pauses_the_host(sqlite_url: str) -> None:
    ext = LocalSite({"/busy.html": _busy_once(), "/other.html": (200, dict(HTML), html("<p>x</p>"))})
    home = _home([f"{ext.url}busy.html", f"{ext.url}other.html"])
    with ext, LocalSite({"/": home}) as site:
        targets = _patrol(site.url, sqlite_url, external_requests_per_second=50)
    busy = [t for t, method, path in ext.log if path == "/busy.html"]
    assert len(busy) == 2 and busy[1] - busy[0] >= 2.0
    later = [t for t, _m, path in ext.log if t > busy[0] and path != "/busy.html"]
    assert all(t - busy[0] >= 2.0 for t in later)  # the whole host waited, not just the URL
    assert (verdict(targets[f"{ext.url}busy.html"].failure, targets[f"{ext.url}busy.html"].in_scope), targets[f"{ext.url}busy.html"].status) == ("ok", 200)


def test_politeness_retry_after_past_the_cap_marks_the_host_suspect(sqlite_url: str) -> None:
    closed: Route = (429, {**HTML, "Retry-After": "3600"}, html("<p>请求过多</p>"))
    ext = LocalSite({"/robots.txt": (404, dict(HTML), b""),
                     **{f"/c{i}.html": closed for i in range(5)}})
    with ext, LocalSite({"/": _home([f"{ext.url}c{i}.html" for i in range(5)])}) as site:
        targets = _patrol(site.url, sqlite_url, external_requests_per_second=50)
    pages = [path for _t, _m, path in ext.log if path != "/robots.txt"]
    # One 429 asking for an hour: nothing more is sent, not even retries. Outbound pages are
    # read with GET (the security rules read their bodies), and up to external_concurrency
    # (2) of them may already be in flight when the first 429 comes back.
    assert 1 <= len(pages) <= 2 and len(set(pages)) == len(pages)
    verdicts = {(verdict(targets[f"{ext.url}c{i}.html"].failure, targets[f"{ext.url}c{i}.html"].in_scope), targets[f"{ext.url}c{i}.html"].failure)
                for i in range(5)}
    assert verdicts == {("suspect", "429")}


def test_politeness_retry_after_header_forms() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert retry_after(b"120") == 120.0
    assert retry_after(b"Fri, 27 Nov 2026 08:02:00 GMT", now) == 120.0
    assert retry_after(b"Fri, 27 Nov 2026 07:00:00 GMT", now) == 0.0
    assert retry_after(b"soon") is None and retry_after(None) is None
