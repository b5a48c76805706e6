"""Content obligations over local sites, patrolled end to end: policy documents and their
interpretations, reposts from a feed of the level above, the annual report's tables."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from core.settings import Settings, load_settings
from scheduler.patrol import run_patrol
from tests.checks.report_html import report_html
from tests.crawler.localsite import LocalSite, html

HTML = {"Content-Type": "text/html; charset=utf-8"}
AS_OF = date(2026, 4, 10)


def _column(title: str, rows: list[tuple[str, str, str]]) -> bytes:
    items = "".join(f'<li><a href="{u}">{t}</a><span>{d}</span></li>' for u, t, d in rows)
    return html(f'<div class="crumb">首页 &gt; {title}</div><div class="list"><ul>{items}</ul></div>',
                title)


def _article(title: str, day: str, body: str = "") -> tuple[int, dict[str, str], bytes]:
    return 200, dict(HTML), html(f"<h1>{title}</h1><p>发布日期：{day}</p><p>{body}正文内容。</p>", title)


POLICIES = [
    ("/zcwj/1.html", "关于印发《测试区促进消费若干措施》的通知", "2026-03-02"),  # linked interpretation
    ("/zcwj/2.html", "测试区人民政府关于印发实施方案的通知", "2026-03-03"),  # by 文号 only
    ("/zcwj/3.html", "关于加强城市精细化管理的意见", "2026-03-04"),  # by title only, late
    ("/zcwj/4.html", "关于做好春季森林防火工作的通知", "2026-03-05"),  # no interpretation
    ("/zcwj/5.html", "关于开展安全生产大检查的通知", "2026-04-09"),  # too recent to judge
]
READINGS = [
    ("/zcjd/1.html", "一图读懂《测试区促进消费若干措施》", "2026-03-02"),
    ("/zcjd/2.html", "测政发〔2026〕8号文件解读", "2026-03-04"),
    ("/zcjd/3.html", "《加强城市精细化管理》政策问答", "2026-03-20"),
]
FEED_ITEMS = [
    ("国务院关于优化营商环境的意见", "/a/1.html", "Tue, 31 Mar 2026 08:00:00 +0800"),  # on time
    ("国务院办公厅关于做好春耕工作的通知", "/a/2.html", "Wed, 01 Apr 2026 08:00:00 +0800"),  # late
    ("国务院关于推进数字政府建设的指导意见", "/a/3.html", "Thu, 02 Apr 2026 08:00:00 +0800"),  # missing
]


def _feed() -> bytes:
    items = "".join(f"<item><title>{t}</title><link>http://www.gov.example{u}</link>"
                    f"<pubDate>{d}</pubDate></item>" for t, u, d in FEED_ITEMS)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>国务院要闻</title>'
            f"<link>http://www.gov.example/</link>{items}</channel></rss>").encode()


@pytest.fixture
def sites(shared_dir: Path) -> Iterator[tuple[LocalSite, LocalSite]]:
    seed = (shared_dir / "data/annual-report-2023-district.txt").read_text(encoding="utf-8")
    report = report_html(seed.replace("现已办结80件", "现已办结81件"),
                         title="测试区2025年政府信息公开工作年度报告")
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {
        "/": (200, dict(HTML), html(
            '<div class="nav"><a href="/zcwj/">政策文件</a><a href="/zcjd/">政策解读</a>'
            '<a href="/nb/">年报</a><a href="/zyxx/">转载信息</a></div>'
            '<ul class="news"><li><a href="/zcwj/5.html">关于开展安全生产大检查的通知</a>'
            "<span>2026-04-09</span></li></ul>"
            '<div class="footer">网站标识码：1101020001 京ICP备12345678号 京公网安备11010202000001号 '
            "党政机关网站</div>", "测试区人民政府")),
        "/zcwj/": (200, dict(HTML), _column("政策文件", [(u, t, d) for u, t, d in POLICIES])),
        "/zcjd/": (200, dict(HTML), _column("政策解读", [(u, t, d) for u, t, d in READINGS])),
        "/nb/": (200, dict(HTML), _column("年报", [
            ("/nb/2025.html", "测试区2025年政府信息公开工作年度报告", "2026-03-25")])),
        "/nb/2025.html": (200, dict(HTML), report.encode("utf-8")),
        "/zyxx/": (200, dict(HTML), _column("转载信息", [
            ("/zyxx/1.html", "【转载】国务院关于优化营商环境的意见", "2026-04-01"),
            ("/zyxx/2.html", "转载：国务院办公厅关于做好春耕工作的通知", "2026-04-06")])),
        "/zyxx/1.html": _article("【转载】国务院关于优化营商环境的意见", "2026-04-01"),
        "/zyxx/2.html": _article("国务院办公厅关于做好春耕工作的通知", "2026-04-06"),
    }
    for url, title, day in POLICIES:
        extra = ""
        if url == "/zcwj/1.html":
            extra = '<a href="/zcjd/1.html">相关解读</a>'
        if url == "/zcwj/2.html":
            extra = "测政发〔2026〕8号 成文日期：2026-02-27 "
        routes[url] = (200, dict(HTML), html(
            f"<h1>{title}</h1><p>发布日期：{day}</p><p>{extra}正文内容。</p>", title))
    for url, title, day in READINGS:
        routes[url] = _article(title, day, '<img src="/tu.png">' if "一图" in title else "")
    source = LocalSite({"/feed.xml": (200, {"Content-Type": "application/rss+xml"}, _feed())})
    site = LocalSite(routes)
    with source, site:
        yield site, source


def _settings(site: LocalSite, source: LocalSite, db_url: str) -> Settings:
    return load_settings(None, environ={}, overrides={
        "sites": [{"name": "测试区人民政府", "url": site.url,
                   "repost_from": [f"{source.url}feed.xml"]}],
        "db": {"url": db_url},
        "crawler": {"timeout_seconds": 2.0, "retries": 0, "autothrottle": False,
                    "requests_per_second": 100, "external_requests_per_second": 100},
    })


def test_content_obligations_patrolled_end_to_end(sites: tuple[LocalSite, LocalSite],
                                                  sqlite_url: str) -> None:
    site, source = sites
    result = run_patrol(_settings(site, source, sqlite_url), as_of=AS_OF)
    assert result.status == "complete", result.reason
    found = {(f.rule, f.url.replace(site.url, "/")) for f in result.findings
             if f.rule.startswith(("interpretation-", "repost-", "annual-report-"))}
    assert found == {
        ("interpretation-unlinked", "/zcwj/2.html"),  # found by 文号, no link either way
        ("interpretation-unlinked", "/zcwj/3.html"),  # found by title only
        ("interpretation-late", "/zcwj/3.html"),  # 12 working days after the document
        ("interpretation-missing", "/zcwj/4.html"),
        ("repost-late", "http://www.gov.example/a/2.html"),  # 5 days later
        ("repost-late", "http://www.gov.example/a/3.html"),  # never
        ("annual-report-inconsistent", "/nb/2025.html"),  # 办结 81 in the text, 80 in the table
        ("annual-report-incomplete", "/nb/2025.html"),  # no 社会评议 / 责任追究
    }, sorted(found)
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["annual-report-inconsistent"].evidence["relations"][0]["left"] == 81
    # the repost source is not a column of the site: no column rule looks at it
    assert not [f for f in result.findings if f.url.startswith(source.url)]
