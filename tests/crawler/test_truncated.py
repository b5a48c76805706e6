"""A site larger than its page_limit is reported as truncated: patrol output, status, digest."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from core.settings import load_settings
from reports.digest_views import office_digest
from reports.summary import crawl_summary
from scheduler.patrol import run_patrol
from scheduler.status import collect_status, format_status
from store.models import Page
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, html

HTML = {"Content-Type": "text/html; charset=utf-8"}
AS_OF = date(2026, 11, 27)


def _site() -> LocalSite:
    links = "".join(f'<li><a href="/a{i}.html">第{i}篇</a><span>2026-11-{i + 1:02d}</span></li>'
                    for i in range(12))
    routes = {"/": (200, dict(HTML), html(f'<div class="list"><ul>{links}</ul></div>', "首页"))}
    routes |= {f"/a{i}.html": (200, dict(HTML), html(f"<p>第{i}篇正文</p>", f"第{i}篇"))
               for i in range(12)}
    return LocalSite(routes)


def test_a_site_past_its_page_limit_says_it_is_truncated(sqlite_url: str) -> None:
    with _site() as site:
        settings = load_settings(None, environ={}, overrides={
            "sites": [{"name": "大站", "url": site.url, "robots": "ignore", "page_limit": 5},
                      {"name": "小站", "url": site.url + "a0.html", "robots": "ignore"}],
            "db": {"url": sqlite_url},
            # loopback only: the politeness budgets are lifted
            "crawler": {"timeout_seconds": 2.0, "retries": 0, "autothrottle": False,
                        "requests_per_second": 1000}})
        result = run_patrol(settings, as_of=AS_OF, sites=["大站"], accounts=[])
    factory = make_sessionmaker(make_engine(sqlite_url))
    with factory() as session:
        stored = len(session.scalars(select(Page.url).where(Page.run_id == result.run_id)).all())
    assert stored == 5
    assert result.stats["sites"]["大站"]["truncated"] == 12 + 1 - 5  # the homepage counts
    assert "超过页面上限" in crawl_summary(result) and "另有 8 个" in crawl_summary(result)
    status = collect_status(settings, make_engine(sqlite_url), datetime(2026, 11, 27, 12))
    by_name = {s["name"]: s for s in status["sites"]}
    assert by_name["大站"]["truncated"] == 8 and by_name["小站"]["truncated"] == 0
    assert "结果不完整" in format_status(status)
    with factory() as session:
        digest = office_digest(session, settings, AS_OF)
    assert len(digest.truncated) == 1 and digest.truncated[0].startswith("大站")
