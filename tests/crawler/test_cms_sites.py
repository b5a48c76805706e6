"""Patrols of local sites that serve CMS-family list markup: a Hanweb JCMS column whose first
records are in a datastore and whose older ones come only from dataproxy.jsp, and an Epoint
list filled by an external script (never reported blank)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from core.settings import load_settings
from scheduler.patrol import run_patrol
from store.models import ColumnEntry, ColumnPage
from store.session import make_engine, make_sessionmaker
from tests.crawler.localsite import LocalSite, html

HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "text/xml; charset=utf-8"}
AS_OF = date(2026, 11, 27)
TOTAL = 25
PER_GROUP = 15  # perPage 5 x groupSize 3


def _day(n: int) -> date:
    return date(2026, 11, 26) - timedelta(days=3 * n)  # record 1 newest, record 25 oldest


def _records(first: int, last: int) -> str:
    return "".join(
        f'<record><![CDATA[<li><a href="/art/{n}.html">关于做好第{n}项重点工作的通知</a>'
        f"<span>{_day(n).isoformat()}</span></li>]]></record>" for n in range(first, last + 1))


def _column() -> bytes:
    nextgroup = ('<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;webid=1'
                 '&amp;columnid=4424&amp;unitid=11111&amp;permissiontype=0"></a>]]></nextgroup>')
    return html(
        '<div class="position">当前位置：首页 &gt; 通知公告</div>'
        f'<div id="11111"><script type="text/xml"><datastore>{nextgroup}<recordset>'
        f"{_records(1, PER_GROUP)}</recordset></datastore></script></div>"
        '<script src="/module/web/jpage/jpage.js"></script>'
        f"<script>$('#11111').jpage({{totalRecord:{TOTAL},perPage:5,groupSize:3,"
        "proxyUrl:'/module/web/jpage/dataproxy.jsp'}});</script>", "测试县人民政府")


class _Routes(dict[str, Any]):
    """Exact paths, and the dataproxy answering any record range it is asked for."""

    def get(self, path: str, default: Any = None) -> Any:
        parts = urlsplit(path)
        if parts.path == "/module/web/jpage/dataproxy.jsp":
            query = parse_qs(parts.query)
            if query.get("columnid") != ["4424"] or query.get("unitid") != ["11111"]:
                return (404, dict(XML), b"<datastore/>")
            start, end = int(query["startrecord"][0]), int(query["endrecord"][0])
            body = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><recordset>'
                    f"{_records(start, min(end, TOTAL))}</recordset></datastore>")
            return (200, dict(XML), body.encode())
        return super().get(path, default)


def _article(n: int) -> bytes:
    return html(f"<h1>关于做好第{n}项重点工作的通知</h1><p>发布日期：{_day(n).isoformat()}</p>"
                "<p>正文内容。</p>", "测试县人民政府")


def test_hanweb_column_reads_datastore_records_and_dataproxy_groups(sqlite_url: str) -> None:
    routes = _Routes({
        "/": (200, dict(HTML), html(
            '<div class="nav"><a href="/col/col4424/index.html">通知公告</a>'
            '<a href="/jyxx/index.html">交易信息</a></div>'
            '<ul><li><a href="/art/1.html">关于做好第1项重点工作的通知</a> 2026-11-23</li></ul>',
            "测试县人民政府")),
        "/col/col4424/index.html": (200, dict(HTML), _column()),
        "/jyxx/index.html": (200, dict(HTML), html(
            '<div class="position">当前位置：首页 &gt; 交易信息</div>'
            '<div class="table-body" id="showList"></div>'
            '<script src="/js/mustache.js"></script><script src="/js/trade.js"></script>'
            '<script type="text/template" id="showList-tmpl">{{#rows}}<li>{{title}}</li>{{/rows}}'
            "</script>", "测试县公共资源交易网")),
        **{f"/art/{n}.html": (200, dict(HTML), _article(n)) for n in range(1, TOTAL + 1)},
    })
    with LocalSite(routes) as site:  # type: ignore[arg-type]
        settings = load_settings(None, environ={}, overrides={
            "sites": [{"name": "测试县政府", "url": site.url, "render": "never"}],
            "db": {"url": sqlite_url},
            "crawler": {"timeout_seconds": 2.0, "retries": 0, "autothrottle": False},
        })
        result = run_patrol(settings, as_of=AS_OF, checks=False)
        proxied = [p for (_, p) in site.hits if p.startswith("/module/web/jpage/dataproxy.jsp")]
    factory = make_sessionmaker(make_engine(sqlite_url))
    with factory() as session:
        columns = {c.url.split("/", 3)[-1]: c for c in session.scalars(
            select(ColumnPage).where(ColumnPage.run_id == result.run_id))}
        column = columns["col/col4424/index.html"]
        dates = sorted(e.published for e in session.scalars(select(ColumnEntry).where(
            ColumnEntry.run_id == result.run_id, ColumnEntry.column_id == column.id)) if e.published)
    assert len(proxied) == 1  # records 16-25: one group
    assert column.name == "通知公告" and not column.blank
    assert len(dates) == TOTAL and dates[0] == _day(TOTAL)
    trade = columns["jyxx/index.html"]
    assert not trade.blank  # filled by an external script: never reported blank
