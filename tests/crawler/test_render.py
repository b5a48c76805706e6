"""Chromium on demand (crawler.browser): never started for a site that needs no rendering,
started once for one that does, stopped when idle and started again, contexts recycled."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from scrapy import Request
from sqlalchemy import select

from core.settings import Settings, load_settings
from crawler.browser import OnDemand, skip_resource
from scheduler.patrol import run_patrol
from store.models import Page
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, html

HTML = {"Content-Type": "text/html; charset=utf-8"}
AS_OF = date(2026, 11, 27)
NEWS_JS = (b"fetch('/news.json').then(r => r.json()).then(rows => {"
           b"const ul = document.getElementById('news');"
           b"for (const r of rows) { const li = document.createElement('li');"
           b"li.innerHTML = '<a href=\"' + r.url + '\">' + r.title + '</a><span>' + r.date + '</span>';"
           b"ul.appendChild(li); } });")
NEWS = ('[{"url": "/a1.html", "title": "区政府召开专题会议研究部署工作", "date": "2026-11-25"},'
        ' {"url": "/a2.html", "title": "区领导调研城市更新项目进展情况", "date": "2026-11-24"}]')


def _settings(url: str, db_url: str) -> Settings:
    # Chromium on a loaded machine needs more than the 1 s the failure tests use.
    return load_settings(None, environ={}, overrides={
        "sites": [{"name": "测试区政府", "url": url, "render": "auto"}],
        "db": {"url": db_url},
        "crawler": {"timeout_seconds": 15.0, "retries": 1, "autothrottle": False},
    })


def _routes(home: bytes) -> dict[str, Any]:
    return {
        "/": (200, dict(HTML), home),
        "/news.js": (200, {"Content-Type": "application/javascript"}, NEWS_JS),
        "/news.json": (200, {"Content-Type": "application/json"}, NEWS.encode()),
        "/logo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"),
        "/a1.html": (200, dict(HTML), html("<h1>会议</h1><p>发布时间：2026-11-25</p>", "文章")),
        "/a2.html": (200, dict(HTML), html("<h1>调研</h1><p>发布时间：2026-11-24</p>", "文章")),
    }


@pytest.mark.browser
def test_site_that_needs_no_rendering_never_starts_the_browser(sqlite_url: str) -> None:
    home = html('<div class="news"><h2>要闻动态</h2><ul>'
                '<li><a href="/a1.html">区政府召开专题会议研究部署工作</a><span>2026-11-25</span></li>'
                '<li><a href="/a2.html">区领导调研城市更新项目进展情况</a><span>2026-11-24</span></li>'
                '</ul></div><img src="/logo.png"><script src="/news.js"></script>', "首页")
    with LocalSite(_routes(home)) as site:
        result = run_patrol(_settings(site.url, sqlite_url), as_of=AS_OF, checks=False)
    assert result.stats["crawl"]["browser_launches"] == 0
    assert site.hits[("GET", "/news.json")] == 0  # no script of the site ever ran
    assert result.stats["sites"]["测试区政府"]["pages"] == 3


@pytest.mark.browser
def test_site_with_a_script_filled_list_starts_the_browser_once(sqlite_url: str) -> None:
    home = html('<div class="news"><h2>要闻动态</h2><ul id="news"></ul></div>'
                '<img src="/logo.png"><script src="/news.js"></script>', "首页")
    with LocalSite(_routes(home)) as site:
        result = run_patrol(_settings(site.url, sqlite_url), as_of=AS_OF, checks=False)
    assert result.stats["crawl"]["browser_launches"] == 1
    assert site.hits[("GET", "/news.json")] == 1  # the browser ran the page's script
    assert site.hits[("GET", "/logo.png")] == 0  # images are not fetched by a render
    factory = make_sessionmaker(make_engine(sqlite_url))
    with factory() as session:
        rendered = [p.is_homepage for p in session.scalars(
            select(Page).where(Page.run_id == result.run_id, Page.rendered))]
    assert rendered == [True]  # the homepage only: its articles need no browser
    assert result.stats["sites"]["测试区政府"]["pages"] == 3  # the articles the script listed


@pytest.mark.browser
def test_a_failed_render_keeps_the_page_as_served(sqlite_url: str) -> None:
    home = html('<div class="news"><h2>要闻动态</h2><ul id="news"></ul></div>'
                '<p><a href="/a1.html">区政府召开专题会议研究部署工作</a></p>'
                '<script src="/news.js"></script>', "首页")
    browsers = []

    def homepage() -> Any:
        if "HeadlessChrome" in site.request.headers.get("User-Agent", "") or \
                site.request.headers.get("Sec-Fetch-Mode") == "navigate":
            browsers.append(1)  # the browser's request: the connection drops, the render fails
            raise ConnectionResetError("render refused")
        return 200, dict(HTML), home

    routes: dict[str, Any] = {**_routes(home), "/": homepage}
    with LocalSite(routes) as site:
        result = run_patrol(_settings(site.url, sqlite_url), as_of=AS_OF, checks=False)
    assert result.stats["crawl"]["browser_launches"] == 1
    assert browsers  # the render was tried and failed
    factory = make_sessionmaker(make_engine(sqlite_url))
    with factory() as session:
        pages = {p.url.rsplit("/", 1)[1]: p for p in session.scalars(
            select(Page).where(Page.run_id == result.run_id))}
    assert pages[""].status == 200 and not pages[""].rendered  # the homepage, unrendered
    assert "a1.html" in pages  # its links were followed
    assert result.stats["sites"]["测试区政府"]["verdicts"].get("broken", 0) == 0


# --- the lifecycle, with a stand-in for scrapy-playwright's handler -----------------------

class _Context:
    def __init__(self) -> None:
        self.closed = False

    async def close(self) -> None:
        self.closed = True


class _Wrapper:
    def __init__(self) -> None:
        self.context = _Context()


class _Renderer:
    """Records what the browser would have done; ``gate`` holds a render open."""

    def __init__(self) -> None:
        self.context_wrappers: dict[str, _Wrapper] = {}
        self.rendered: list[str] = []
        self.closed = False
        self.gate: asyncio.Event | None = None

    async def download_request(self, request: Request) -> str:
        name = request.meta["playwright_context"]
        self.context_wrappers.setdefault(name, _Wrapper())
        if self.gate is not None:
            await self.gate.wait()
        self.rendered.append(name)
        return name

    async def close(self) -> None:
        self.closed = True


def _on_demand(per_context: int = 50, gate: asyncio.Event | None = None
               ) -> tuple[OnDemand, list[_Renderer]]:
    started: list[_Renderer] = []

    async def start() -> _Renderer:
        started.append(_Renderer())
        started[-1].gate = gate
        return started[-1]

    return OnDemand(start, idle_s=3600, pages=2, per_context=per_context), started


def _render(browser: OnDemand) -> Any:
    return browser.render(Request("http://127.0.0.1/x.html", meta={"playwright": True}))


def test_browser_stopped_when_idle_and_started_again_for_the_next_render() -> None:
    async def scenario() -> tuple[OnDemand, list[_Renderer]]:
        browser, started = _on_demand()
        await _render(browser)
        assert browser.idle is not None  # the idle stop is armed once nothing renders
        await browser.stop_if_idle()
        assert started[0].closed and browser.renderer is None
        await _render(browser)
        await browser.close()
        return browser, started

    browser, started = asyncio.run(scenario())
    assert browser.launches == 2 and len(started) == 2
    assert all(r.closed for r in started)


def test_browser_not_stopped_while_a_page_renders() -> None:
    async def scenario() -> _Renderer:
        gate = asyncio.Event()
        browser, started = _on_demand(gate=gate)
        first = asyncio.ensure_future(_render(browser))
        while not started[0:1] or browser.busy == 0:
            await asyncio.sleep(0)
        await browser.stop_if_idle()
        assert not started[0].closed
        gate.set()
        await first
        await browser.close()
        return started[0]

    assert asyncio.run(scenario()).closed


def test_context_recycled_after_its_pages_and_closed_when_done() -> None:
    async def scenario() -> _Renderer:
        browser, started = _on_demand(per_context=2)
        for _ in range(5):
            await _render(browser)
        renderer = started[0]
        await browser.close()
        return renderer

    renderer = asyncio.run(scenario())
    assert renderer.rendered == ["xw-1", "xw-1", "xw-2", "xw-2", "xw-3"]
    assert renderer.context_wrappers["xw-1"].context.closed
    assert renderer.context_wrappers["xw-2"].context.closed
    assert not renderer.context_wrappers["xw-3"].context.closed  # closed with the browser


def test_render_skips_images_media_and_fonts_only() -> None:
    kinds = {k: skip_resource(type("R", (), {"resource_type": k})()) for k in
             ("document", "script", "xhr", "fetch", "stylesheet", "image", "media", "font")}
    assert [k for k, skipped in kinds.items() if skipped] == ["image", "media", "font"]
