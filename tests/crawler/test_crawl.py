"""The crawler against a local site: what it stores, every verdict, politeness, incremental runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

from checks.links import verdict
from core.settings import Settings, load_settings
from scheduler.patrol import run_patrol
from store.bodies import link_lists
from store.models import ColumnPage, Page, PageLinks, Run, Target
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, docx_bytes, free_port, html

HTML = {"Content-Type": "text/html; charset=utf-8"}
AS_OF = date(2026, 11, 27)


def _home(ext: str, closed: int) -> bytes:
    return html(f"""
<div class="nav"><a href="/xwdt/index.html">工作动态</a><a href="/tzgg/index.html">通知公告</a>
<a href="/gbk/index.html">专题</a><a href="/about.html">机构简介</a></div>
<ul class="news">
<li><a href="/xwdt/t20261120_1.html">区政府召开常务会议</a><span>2026-11-20</span></li>
<li><a href="/xwdt/t20261118_2.html">区长调研重点项目建设</a><span>2026-11-18</span></li></ul>
<p><a href="/missing.html">失效链接</a> <a href="/gone.html">已删除</a> <a href="/soft.html">软404</a>
<a href="/forbidden.html">禁止</a> <a href="/error.html">服务器错误</a> <a href="/busy.html">限流</a>
<a href="/slow.html">很慢</a> <a href="http://127.0.0.1:{closed}/x.html">拒绝连接</a>
<a href="{ext}ok.html">外部正常</a> <a href="{ext}blocked.html">外部屏蔽</a>
<a href="/redirect.html">跳转</a> <a href="/private/x.html">禁爬</a>
<a href="/files/a.docx">附件</a> <a href="mailto:a@b.cn">邮件</a> <a href="javascript:void(0)">脚本</a>
<img src="/logo.png" alt="徽标"></p>
<div class="footer">网站标识码：1101020001 京ICP备12345678号 京公网安备11010202000001号 党政机关网站</div>
""", "测试区人民政府")


def _column(rows: list[tuple[str, str, str]], title: str) -> bytes:
    items = "".join(f'<li><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in rows)
    return html(f'<div class="crumb">首页 &gt; {title}</div><div class="list"><ul>{items}</ul></div>',
                title)


def _article(day: str, text: str) -> bytes:
    return html(f"<h1>文章标题</h1><p>发布时间：{day}</p><p>{text}</p>", "文章")


@pytest.fixture
def sites() -> Iterator[tuple[LocalSite, LocalSite, int]]:
    ext = LocalSite({
        "/ok.html": (200, dict(HTML), html("<p>外部页面</p>")),
        "/blocked.html": (403, dict(HTML), html("<p>Forbidden</p>")),
    })
    closed = free_port()
    routes = {
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        "/xwdt/index.html": (200, dict(HTML), _column([
            ("t20261120_1.html", "区政府召开常务会议", "2026-11-20"),
            ("t20261118_2.html", "区长调研重点项目建设", "2026-11-18"),
            ("t20261001_3.html", "全区安全生产工作会议召开", "2026-10-01")], "工作动态")),
        "/tzgg/index.html": (200, dict(HTML), html(
            '<div class="crumb">首页 &gt; 通知公告</div><div class="list"><ul><li>暂无信息</li></ul></div>',
            "通知公告")),
        "/xwdt/t20261120_1.html": (200, dict(HTML), _article("2026-11-20", "会议研究了有关事项。")),
        "/xwdt/t20261118_2.html": (200, dict(HTML), _article("2026年11月18日", "调研项目进展。")),
        "/xwdt/t20261001_3.html": (200, dict(HTML), _article("2026/10/01 09:30", "部署安全生产。")),
        "/about.html": (200, dict(HTML), html("<h1>机构简介</h1><p>本局负责全区教育工作。</p>", "机构简介")),
        "/gbk/index.html": (200, {"Content-Type": "text/html"},
                            html("<h1>专题专栏</h1><p>这是国标编码的页面内容。</p>", "专题专栏", "gbk")),
        "/gone.html": (410, dict(HTML), html("<p>gone</p>")),
        "/soft.html": (200, dict(HTML), html("<h1>404 页面不存在</h1>", "页面不存在")),
        "/forbidden.html": (403, dict(HTML), html("<p>forbidden</p>")),
        "/error.html": (500, dict(HTML), html("<p>error</p>")),
        "/busy.html": (429, dict(HTML), html("<p>busy</p>")),
        "/slow.html": (200, dict(HTML), html("<p>slow</p>")),
        "/redirect.html": (301, {"Location": "/about.html", **HTML}, b""),
        "/private/x.html": (200, dict(HTML), html("<p>private</p>")),
        "/files/a.docx": (200, {"Content-Type": "application/vnd.openxmlformats-officedocument"
                                ".wordprocessingml.document"},
                          docx_bytes("附件正文：联系人电话 13912345678。")),
        "/logo.png": (200, {"Content-Type": "image/png", "X-Refuse-Head": "1"}, b"\x89PNG"),
    }
    site = LocalSite(routes, slow={"/slow.html": 2.5})
    routes["/"] = (200, dict(HTML), _home(ext.url, closed))
    with ext, site:
        yield site, ext, closed


def _settings(url: str, db_url: str, timeout: float = 1.0) -> Settings:
    return load_settings(None, environ={}, overrides={
        "sites": [{"name": "测试区政府", "url": url}],
        "db": {"url": db_url},
        "crawler": {"timeout_seconds": timeout, "retries": 1, "autothrottle": False},
    })


def _verdicts(db_url: str, run_id: int) -> dict[str, tuple[str, str | None]]:
    factory = make_sessionmaker(make_engine(db_url))
    with factory() as session:
        return {t.url: (verdict(t.failure, t.in_scope), t.failure)
                for t in session.scalars(select(Target).where(Target.run_id == run_id))}


def test_crawl_classifies_every_failure_and_stores_pages(sites, db_url: str) -> None:
    site, ext, closed = sites
    result = run_patrol(_settings(site.url, db_url), as_of=AS_OF, checks=False)
    assert result.status == "complete"
    verdicts = _verdicts(db_url, result.run_id)
    u = site.url
    expected = {
        f"{u}missing.html": ("broken", "404"),
        f"{u}gone.html": ("broken", "410"),
        f"{u}soft.html": ("broken", "soft404"),
        f"{u}forbidden.html": ("broken", "403"),
        f"{u}error.html": ("suspect", "5xx"),
        f"{u}busy.html": ("suspect", "429"),
        f"{u}slow.html": ("suspect", "timeout"),
        f"http://127.0.0.1:{closed}/x.html": ("broken", "refused"),
        f"{ext.url}ok.html": ("ok", None),
        f"{ext.url}blocked.html": ("suspect", "403"),
        f"{u}redirect.html": ("ok", None),
        f"{u}private/x.html": ("skipped", "robots"),
        f"{u}logo.png": ("ok", None),
        f"{u}files/a.docx": ("ok", None),
    }
    for url, wanted in expected.items():
        assert verdicts.get(url) == wanted, url
    assert not any(v.startswith(("mailto:", "javascript:")) for v in verdicts)
    assert site.hits[("GET", "/private/x.html")] == 0
    assert site.hits[("GET", "/xwdt/index.html")] == 1
    assert site.hits[("GET", "/logo.png")] == 1  # HEAD refused with 405, confirmed by GET


def test_crawl_stores_columns_dates_encodings_and_attachments(sites, db_url: str) -> None:
    site, _ext, _closed = sites
    result = run_patrol(_settings(site.url, db_url), as_of=AS_OF, checks=False)
    factory = make_sessionmaker(make_engine(db_url))
    with factory() as session:
        pages = {p.url: p for p in session.scalars(select(Page).where(Page.run_id == result.run_id))}
        columns = {c.name: c for c in session.scalars(
            select(ColumnPage).where(ColumnPage.run_id == result.run_id))}
        redirect = session.scalars(select(Target).where(
            Target.run_id == result.run_id, Target.url == f"{site.url}redirect.html")).one()
        links = [(source, tag, target) for _site, source, found in
                 link_lists(session.connection(), result.run_id) for target, tag, _a in found]
    assert pages[f"{site.url}gbk/index.html"].title == "专题专栏"
    assert "国标编码" in (pages[f"{site.url}gbk/index.html"].text or "")
    assert pages[f"{site.url}xwdt/t20261118_2.html"].published == date(2026, 11, 18)
    assert pages[f"{site.url}xwdt/t20261001_3.html"].published == date(2026, 10, 1)
    assert "13912345678" in (pages[f"{site.url}files/a.docx"].text or "")
    assert pages[f"{site.url}files/a.docx"].kind == "attachment"
    assert pages[site.url].is_homepage and "京ICP备" in pages[site.url].footer
    news = columns["工作动态"]
    assert (news.blank, news.newest, news.top_level) == (False, date(2026, 11, 20), True)
    assert news.entry_count == 3
    assert columns["通知公告"].blank
    assert "机构简介" not in columns
    assert redirect.redirects == [f"{site.url}about.html"]
    assert {(tag, target) for source, tag, target in links if source == site.url} >= {
        ("img", f"{site.url}logo.png"), ("a", f"{site.url}files/a.docx")}


def test_second_crawl_uses_conditional_requests_and_keeps_results(sites, db_url: str) -> None:
    site, _ext, _closed = sites
    settings = _settings(site.url, db_url)
    first = run_patrol(settings, as_of=AS_OF, checks=False)
    second = run_patrol(settings, as_of=AS_OF, checks=False)
    factory = make_sessionmaker(make_engine(db_url))
    with factory() as session:
        def count(model, run_id):  # type: ignore[no-untyped-def]
            return len(session.scalars(select(model).where(model.run_id == run_id)).all())
        unchanged = session.scalars(select(Page.url).where(
            Page.run_id == second.run_id, Page.unchanged)).all()
        runs = session.scalars(select(Run.status)).all()
        for model in (Page, PageLinks, ColumnPage, Target):
            assert count(model, second.run_id) == count(model, first.run_id), model
    assert f"{site.url}xwdt/index.html" in unchanged
    assert runs == ["complete", "complete"]
    assert _verdicts(db_url, second.run_id) == _verdicts(db_url, first.run_id)


@pytest.mark.browser
def test_homepage_news_filled_by_script_is_rendered(sqlite_url: str) -> None:
    from store.models import ColumnEntry

    script = (b"fetch('/news.json').then(r => r.json()).then(rows => {"
              b"const ul = document.getElementById('news');"
              b"for (const r of rows) { const li = document.createElement('li');"
              b"li.innerHTML = '<a href=\"' + r.url + '\">' + r.title + '</a><span>' + r.date + '</span>';"
              b"ul.appendChild(li); } });")
    rows = ('[{"url": "/a1.html", "title": "区政府召开专题会议研究部署工作", "date": "2026-11-25"},'
            ' {"url": "/a2.html", "title": "区领导调研城市更新项目进展情况", "date": "2026-11-24"},'
            ' {"url": "/a3.html", "title": "全区秋冬季安全生产工作会议召开", "date": "2026-11-20"}]')
    routes = {
        "/": (200, dict(HTML), html('<div class="news"><h2>要闻动态</h2><ul id="news"></ul></div>'
                                    '<script src="/news.js"></script>', "首页")),
        "/news.js": (200, {"Content-Type": "application/javascript"}, script),
        "/news.json": (200, {"Content-Type": "application/json"}, rows.encode()),
    }
    with LocalSite(routes) as site:
        # Chromium on a loaded machine needs more than the 1 s the failure tests use.
        result = run_patrol(_settings(site.url, sqlite_url, timeout=15.0), as_of=AS_OF,
                            checks=False)
    factory = make_sessionmaker(make_engine(sqlite_url))
    with factory() as session:
        home = session.scalars(select(Page).where(Page.run_id == result.run_id,
                                                  Page.is_homepage)).one()
        dates = sorted(e.published for e in session.scalars(
            select(ColumnEntry).where(ColumnEntry.home)))
    assert home.rendered
    assert dates == [date(2026, 11, 20), date(2026, 11, 24), date(2026, 11, 25)]


def test_homepage_linked_from_another_configured_site_is_still_crawled(sqlite_url: str) -> None:
    slow_home = html('<a href="/a.html">区政府常务会议召开</a><span>2026-11-25</span>', "慢站")
    with LocalSite({"/": (200, dict(HTML), slow_home),
                    "/a.html": (200, dict(HTML), _article("2026-11-25", "正文"))},
                   slow={"*": 0.5}) as slow_site:
        fast_home = html(f'<a href="{slow_site.url}">慢站首页</a>', "快站")
        with LocalSite({"/": (200, dict(HTML), fast_home)}) as fast_site:
            settings = load_settings(None, environ={}, overrides={
                "sites": [{"name": "慢站", "url": slow_site.url},
                          {"name": "快站", "url": fast_site.url}],
                "db": {"url": sqlite_url}, "crawler": {"retries": 0, "autothrottle": False}})
            result = run_patrol(settings, as_of=AS_OF, checks=False)
    assert result.stats["sites"]["慢站"]["homepage"] is True
    assert result.stats["sites"]["慢站"]["pages"] == 2
