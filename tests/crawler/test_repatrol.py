"""Re-patrols: what an unchanged site costs, and what is still fetched (crawler.previous)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from checks.links import verdict
from core.clock import local_now
from core.settings import Settings, load_settings
from scheduler.patrol import run_patrol
from store import crawl
from store.items import add_item
from store.models import ColumnEntry, ColumnPage, Page, PageLinks, Target
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, docx_bytes, html

HTML = {"Content-Type": "text/html; charset=utf-8"}
AS_OF = date(2026, 11, 27)
ARTICLES = 30  # 20 on the list's first page, 10 on its second


def _day(i: int) -> str:
    """Article i's date: 100 + i days before the patrol (none is recent)."""
    return (AS_OF - timedelta(days=100 + i)).isoformat()


def _article_url(i: int) -> str:
    return f"/news/t{i:03d}.html"


def _list(rows: range, more: str | None) -> bytes:
    items = "".join(f'<li><a href="{_article_url(i)}">第{i}号工作动态</a><span>{_day(i)}</span></li>'
                    for i in rows)
    pager = f'<div class="page"><a href="{more}">下一页</a></div>' if more else ""
    return html(f'<div class="crumb">首页 &gt; 工作动态</div><div class="list"><ul>{items}</ul>'
                f'</div>{pager}', "工作动态")


def _article(i: int, ext: str) -> bytes:
    return html(f'<h1>第{i}号工作动态</h1><p>发布时间：{_day(i)}</p><p>会议研究了有关事项。</p>'
                f'<p><a href="/files/a{i}.docx">附件</a> <a href="{ext}ok{i}.html">外部</a>'
                f' <img src="/logo.png"></p>', "文章")


@pytest.fixture
def sites(request: pytest.FixtureRequest) -> Iterator[tuple[LocalSite, LocalSite]]:
    etags = bool(getattr(request, "param", True))
    ext = LocalSite({f"/ok{i}.html": (200, dict(HTML), html("<p>外部页面</p>"))
                     for i in range(ARTICLES)})
    routes: dict[str, Any] = {
        "/": (200, dict(HTML), html(
            '<div class="nav"><a href="/news/index.html">工作动态</a></div><p>首页</p>',
            "测试区人民政府")),
        "/news/index.html": (200, dict(HTML), _list(range(20), "/news/index_1.html")),
        "/news/index_1.html": (200, dict(HTML), _list(range(20, ARTICLES), None)),
        "/logo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG"),
    }
    for i in range(ARTICLES):
        routes[_article_url(i)] = (200, dict(HTML), _article(i, ext.url))
        routes[f"/files/a{i}.docx"] = (200, {
            "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml"
                            ".document"}, docx_bytes(f"附件{i}正文。"))
    site = LocalSite(routes, etags=etags)
    with ext, site:
        yield site, ext


def _settings(url: str, db_url: str, **crawler: Any) -> Settings:
    return load_settings(None, environ={}, overrides={
        "sites": [{"name": "测试区政府", "url": url, "robots": "ignore"}],
        "db": {"url": db_url},
        # loopback servers only: the politeness budgets are lifted
        "crawler": {"timeout_seconds": 2.0, "retries": 0, "autothrottle": False,
                    "requests_per_second": 1000, "external_requests_per_second": 1000,
                    "external_concurrency": 8, **crawler},
    })


def _rows(db_url: str, run_id: int) -> dict[str, Any]:
    """What a run stored, as the checks would read it (ids and times aside)."""
    factory = make_sessionmaker(make_engine(db_url))
    with factory() as session:
        def count(model: Any) -> int:
            return int(session.scalar(select(func.count()).select_from(model)
                                      .where(model.run_id == run_id)) or 0)
        return {
            "counts": {m.__tablename__: count(m) for m in (Page, PageLinks, Target, ColumnPage,
                                                           ColumnEntry)},
            "links": sorted(link for site in session.scalars(select(Page.site).distinct()
                                                             .where(Page.run_id == run_id))
                            for link in crawl.references(session, run_id, site)),
            "verdicts": {t.url: (verdict(t.failure, t.in_scope), t.status) for t in
                         session.scalars(select(Target).where(Target.run_id == run_id))},
            "texts": dict(session.execute(select(Page.url, Page.text)
                                          .where(Page.run_id == run_id)).tuples().all()),
        }


def _fetched_at(db_url: str, run_id: int, path: str, site: LocalSite) -> Any:
    factory = make_sessionmaker(make_engine(db_url))
    with factory() as session:
        return session.scalar(select(Page.fetched_at).where(
            Page.run_id == run_id, Page.url == site.url.rstrip("/") + path))


def _gets(site: LocalSite, prefix: str) -> int:
    return sum(n for (_method, path), n in site.hits.items() if path.startswith(prefix))


@pytest.mark.parametrize("sites", [True, False], ids=["validators", "no-validators"],
                         indirect=True)
def test_unchanged_list_means_its_articles_are_carried_over(sites, sqlite_url: str) -> None:
    site, ext = sites
    settings = _settings(site.url, sqlite_url)
    first = run_patrol(settings, as_of=AS_OF, checks=False)
    assert _gets(site, "/news/t") == ARTICLES and _gets(site, "/files/") == ARTICLES
    site.hits.clear()
    ext.hits.clear()
    second = run_patrol(settings, as_of=AS_OF, checks=False)
    assert second.status == "complete"
    # the lists are asked again (conditionally); their articles, attachments and the
    # external and image links of those articles are not
    assert _gets(site, "/news/index") == 2
    assert _gets(site, "/news/t") == 0
    assert _gets(site, "/files/") == 0
    assert _gets(site, "/logo.png") == 0
    # outbound pages are read again on every patrol (crawler.security: hijack checks)
    assert sum(ext.hits.values()) == ARTICLES
    assert _rows(sqlite_url, second.run_id) == _rows(sqlite_url, first.run_id)
    # a carried-over page keeps the time it was really fetched
    assert _fetched_at(sqlite_url, second.run_id, "/news/t005.html", site) == \
        _fetched_at(sqlite_url, first.run_id, "/news/t005.html", site)


def _a_day_passes(db_url: str) -> None:
    """Everything stored was fetched one day earlier than it says."""
    factory = make_sessionmaker(make_engine(db_url))
    with factory.begin() as session:
        for page in session.scalars(select(Page)):
            page.fetched_at -= timedelta(days=1)
        for target in session.scalars(select(Target)):
            target.checked_at -= timedelta(days=1)


def test_every_page_is_fetched_again_within_full_check_days(sites, sqlite_url: str) -> None:
    site, _ext = sites
    settings = _settings(site.url, sqlite_url, full_check_days=3)
    run_patrol(settings, as_of=AS_OF, checks=False)
    site.hits.clear()
    per_day = []
    for day in range(1, 4):
        _a_day_passes(sqlite_url)
        run_patrol(settings, as_of=AS_OF + timedelta(days=day), checks=False)
        per_day.append({path for (_m, path), _n in site.hits.items() if path.startswith("/news/t")})
        site.hits.clear()
    # spread over the days (each day some, not all at once), and every one within 3 days
    assert set().union(*per_day) == {_article_url(i) for i in range(ARTICLES)}
    assert all(0 < len(day) < ARTICLES for day in per_day[:2]), [len(d) for d in per_day]


def test_changed_list_fetches_only_what_it_lists_anew(sites, sqlite_url: str) -> None:
    site, _ext = sites
    settings = _settings(site.url, sqlite_url)
    run_patrol(settings, as_of=AS_OF, checks=False)
    site.routes["/news/index.html"] = (200, dict(HTML), html(
        '<div class="crumb">首页 &gt; 工作动态</div><div class="list"><ul>'
        '<li><a href="/news/new.html">新发布的工作动态</a><span>2026-11-27</span></li>'
        '<li><a href="/news/t001.html">标题改过的工作动态</a><span>' + _day(1) + '</span></li>'
        + "".join(f'<li><a href="{_article_url(i)}">第{i}号工作动态</a><span>{_day(i)}</span></li>'
                  for i in range(2, 20))
        + '</ul></div><div class="page"><a href="/news/index_1.html">下一页</a></div>', "工作动态"))
    site.routes["/news/new.html"] = (200, dict(HTML), html("<h1>新文章</h1><p>正文。</p>", "新文章"))
    site.hits.clear()
    second = run_patrol(settings, as_of=AS_OF, checks=False)
    fetched = {path for (_m, path), _n in site.hits.items() if path.startswith("/news/")}
    # the new entry and the one whose title changed are fetched; the rest are not
    assert fetched == {"/news/index.html", "/news/index_1.html", "/news/new.html",
                       "/news/t001.html"}
    factory = make_sessionmaker(make_engine(sqlite_url))
    with factory() as session:
        urls = set(session.scalars(select(Page.url).where(Page.run_id == second.run_id)))
    assert {site.url + "news/new.html", site.url + "news/t002.html",
            site.url + "news/t025.html"} <= urls


def test_pages_of_live_items_are_always_fetched(sites, sqlite_url: str) -> None:
    site, _ext = sites
    settings = _settings(site.url, sqlite_url)
    run_patrol(settings, as_of=AS_OF, checks=False)
    factory = make_sessionmaker(make_engine(sqlite_url))
    page = site.url + "news/t007.html"
    now = local_now(settings.schedule.timezone)
    closed = site.url + "news/t008.html"  # fixed lately: a regression must be seen
    long_closed = site.url + "news/t009.html"
    with factory.begin() as session:
        add_item(session, fingerprint="f" * 64, rule="wording-forbidden", severity="veto",
                 site="测试区政府", url=page, message="测试", state="open", unit="",
                 first_seen=AS_OF, last_seen=AS_OF, updated_at=now)
        add_item(session, fingerprint="e" * 64, rule="wording-typo", severity="warn",
                 site="测试区政府", url=closed, message="测试", state="closed", unit="",
                 first_seen=AS_OF, last_seen=AS_OF, updated_at=now, closed_at=now)
        add_item(session, fingerprint="d" * 64, rule="wording-typo", severity="warn",
                 site="测试区政府", url=long_closed, message="测试", state="closed", unit="",
                 first_seen=AS_OF, last_seen=AS_OF, updated_at=now,
                 closed_at=now - timedelta(days=30))
    site.hits.clear()
    run_patrol(settings, as_of=AS_OF, checks=False)
    assert {path for (_m, path), _n in site.hits.items() if path.startswith("/news/t")} == {
        "/news/t007.html", "/news/t008.html"}


def test_recent_articles_are_fetched_on_every_patrol(sites, sqlite_url: str) -> None:
    site, _ext = sites
    settings = _settings(site.url, sqlite_url, recent_days=103)
    run_patrol(settings, as_of=AS_OF, checks=False)
    site.hits.clear()
    run_patrol(settings, as_of=AS_OF, checks=False)
    assert {path for (_m, path), _n in site.hits.items() if path.startswith("/news/t")} == {
        _article_url(i) for i in range(4)}


def test_further_list_pages_keep_the_column_page_limit(sites, sqlite_url: str) -> None:
    site, _ext = sites
    settings = _settings(site.url, sqlite_url, column_page_limit=1)
    first = run_patrol(settings, as_of=AS_OF, checks=False)
    second = run_patrol(settings, as_of=AS_OF, checks=False)
    # probed once (the limit), then carried over as that probe: never crawled
    assert _gets(site, "/news/index_1.html") == 1
    assert _rows(sqlite_url, second.run_id) == _rows(sqlite_url, first.run_id)
