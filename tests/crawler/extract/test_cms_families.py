"""The list markups of the CMS families of government sites, written from their structure:
Hanweb JCMS datastore records and the dataproxy.jsp pager, TRS createPageHTML signatures,
pager plugins, lists filled by an external script, list groups, tab headings, headlines."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.extract import analyse

AS_OF = date(2026, 11, 27)
BASE = "http://gov.example/col/col4424/index.html"


def _page(body: str, title: str = "某某县人民政府", head: str = "") -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body>{body}</body></html>").encode()


def _records(n: int, first: int = 1) -> str:
    return "".join(
        f'<record><![CDATA[<li><a href="/art/2026/11/{day}/art_4424_{day}.html">'
        f'关于做好第{day}项工作的通知</a><span>2026-11-{day:02d}</span></li>]]></record>'
        for day in range(first, first + n))


def _hanweb(total: int, shown: int) -> bytes:
    nextgroup = ('<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;webid=1'
                 '&amp;path=http://gov.example/&amp;columnid=4424&amp;unitid=11111&amp;'
                 'permissiontype=0"></a>]]></nextgroup>')
    return _page(
        '<div class="crumb">当前位置：首页 &gt; 通知公告</div>'
        f'<div id="11111"><script type="text/xml"><datastore>{nextgroup}<recordset>'
        f"{_records(shown)}</recordset></datastore></script></div>"
        '<script src="/module/web/jpage/jpage.js"></script>'
        f"<script>$('#11111').jpage({{totalRecord:{total},perPage:5,groupSize:3,"
        "proxyUrl:'/module/web/jpage/dataproxy.jsp',barPosition:'bottom'}});</script>")


def test_hanweb_datastore_records_are_the_columns_entries() -> None:
    column = analyse(_hanweb(total=15, shown=15), BASE, as_of=AS_OF).column
    assert column is not None and not column.blank
    assert column.name == "通知公告"
    assert len(column.entries) == 15
    assert column.entries[0].url == "http://gov.example/art/2026/11/1/art_4424_1.html"
    assert max(e.published for e in column.entries if e.published) == date(2026, 11, 15)
    assert column.next_pages == ()  # every record is on the page


def test_hanweb_dataproxy_pages_carry_the_columns_parameters() -> None:
    column = analyse(_hanweb(total=40, shown=15), BASE, as_of=AS_OF).column
    assert column is not None
    pages = [urlsplit(u) for u in column.next_pages]
    assert [p.path for p in pages] == ["/module/web/jpage/dataproxy.jsp"] * 2
    queries = [parse_qs(p.query) for p in pages]
    assert [(q["startrecord"], q["endrecord"], q["perpage"]) for q in queries] == [
        (["16"], ["30"], ["5"]), (["31"], ["40"], ["5"])]
    assert all(q["columnid"] == ["4424"] and q["unitid"] == ["11111"] for q in queries)


def test_a_dataproxy_answer_is_read_as_the_columns_further_page() -> None:
    answer = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><recordset>{_records(5, 16)}'
              "</recordset></datastore>").encode()
    page = analyse(answer, "http://gov.example/module/web/jpage/dataproxy.jsp?startrecord=16",
                   as_of=AS_OF)
    assert page.column is not None
    assert [e.published for e in page.column.entries][-1] == date(2026, 11, 20)


@pytest.mark.parametrize("call", [
    'createPageHTML(5, 0, "index", "html")',
    "createPageHTML('page_div', 5, 0, 'index', 'html', 96)",
    'createPageHTML(5, 0, "index", "shtml", "black2", 20)'.replace("shtml", "html"),
])
def test_trs_create_page_html_signatures(call: str) -> None:
    rows = "".join(f'<li><a href="./t20261{day:03d}_{day}.html">关于做好第{day}项重点工作的通知</a><span>2026-11-{day:02d}</span></li>'
                   for day in range(1, 6))
    body = _page(f'<div class="list"><ul>{rows}</ul></div><div id="page_div"></div>'
                 f"<script>{call};</script>", "通知公告_某某县人民政府")
    column = analyse(body, "http://gov.example/tzgg/index.html", as_of=AS_OF).column
    assert column is not None
    assert column.next_pages[0] == "http://gov.example/tzgg/index_1.html"


@pytest.mark.parametrize("script", [
    "layui.use('laypage',function(){laypage.render({elem:'pager',count:60,limit:15,curr:1,"
    "jump:function(obj,first){if(!first){location.href='list_'+obj.curr+'.html';}}});});",
    "$('#pager').pagination({pageCount:4,current:1,callback:function(api){"
    "window.location.href='list_'+api.getCurrent()+'.html';}});",
    "$('#pager').twbsPagination({totalPages:4,startPage:1,href:'list_{{number}}.html'});",
])
def test_pager_plugins_with_a_page_count_and_a_url_pattern(script: str) -> None:
    rows = "".join(f'<li><a href="/xw/{day}.html">全区召开第{day}次重点项目推进会议</a><span>2026-11-{day:02d}</span></li>'
                   for day in range(1, 6))
    body = _page(f'<div class="list"><ul>{rows}</ul></div><div id="pager"></div>'
                 f"<script>{script}</script>", "工作动态-某某县人民政府")
    column = analyse(body, "http://gov.example/xw/list_1.html", as_of=AS_OF).column
    assert column is not None and column.next_pages == ("http://gov.example/xw/list_2.html",)


def test_a_list_an_external_script_fills_from_a_template_is_not_blank() -> None:
    body = _page(
        '<div class="crumb">当前位置：首页 &gt; 交易信息</div>'
        '<div class="table-body" id="showList"></div><div id="pager"></div>'
        '<script src="/js/lib/pagination/mricode.pagination.js"></script>'
        '<script src="/js/mustache.js"></script><script src="/js/tradeInfo.js"></script>'
        '<script type="text/template" id="showList-tmpl">{{#list}}<li><a href="{{url}}">'
        "{{title}}</a><span>{{date}}</span></li>{{/list}}</script>", "某某省公共资源交易网")
    page = analyse(body, "http://gov.example/jyxx/index.html", as_of=AS_OF)
    assert page.column is not None
    assert not page.column.blank and page.column.needs_render
    assert page.column.name == "交易信息"


def test_an_empty_list_without_a_filling_script_is_still_blank() -> None:
    body = _page('<div class="crumb">当前位置：首页 &gt; 通知公告</div><div class="list"><ul></ul></div>'
                 '<script src="/js/jquery.min.js"></script>')
    column = analyse(body, "http://gov.example/tzgg/", as_of=AS_OF).column
    assert column is not None and column.blank and not column.needs_render


def test_several_list_groups_under_their_headings_are_one_column() -> None:
    groups = "".join(
        f'<div class="tabs"><div class="tit">{name}</div><div class="list_base"><ul>'
        + "".join(f'<li><a href="/{key}/{n}.html">{name}系统第{n}家单位信息公开目录</a><span>2023-11-0{n}</span></li>'
                  for n in range(1, 4))
        + "</ul></div></div>"
        for key, name in (("wsjk", "卫生健康"), ("jy", "教育")))
    body = _page('<div class="crumb">当前位置：首页 &gt; 政府信息公开 &gt; 公共企事业单位</div>'
                 f"<div class='main'>{groups}</div>", "公共企事业单位_某某区管委会")
    column = analyse(body, "http://gov.example/ggqsydw/", as_of=AS_OF).column
    assert column is not None and column.name == "公共企事业单位"
    assert len(column.entries) == 6


def test_column_name_from_the_current_tab_when_title_is_the_site_name() -> None:
    rows = "".join(f'<li><a href="/zcwj/{n}.html">关于印发第{n}号实施办法的通知</a><span>2026-11-0{n}</span></li>'
                   for n in range(1, 6))
    body = _page('<div class="nav"><ul><li><a href="/">首页</a></li><li class="on">'
                 '<a href="/zwgk/">政务公开</a></li></ul></div>'
                 '<div class="lm-tab"><span><a href="/tzgg/">通知公告</a></span>'
                 '<span class="current"><a href="/zcwj/">政策文件</a></span></div>'
                 f'<div class="list"><ul>{rows}</ul></div>', "某某县人民政府")
    column = analyse(body, "http://gov.example/zcwj/", as_of=AS_OF).column
    assert column is not None and column.name == "政策文件"


@pytest.mark.parametrize("title,headline_markup,expected", [
    ("某某省公共资源交易网", '<h2 class="trade-h">某某路改造工程施工招标公告</h2>', "某某路改造工程施工招标公告"),
    ("年度计划_ 某某区管委会", '<div class="article_title_group"><div class="article_title">'
     "某某片区管理局2023年工作计划</div><div class='article_title_sec'>来源：办公室</div></div>",
     "某某片区管理局2023年工作计划"),
    # a <title> that is the headline and the site: kept as it is
    ("关于做好冬季安全工作的通知_某某县人民政府", "<h1>关于做好冬季安全工作的通知</h1>",
     "关于做好冬季安全工作的通知_某某县人民政府"),
])
def test_article_title_is_the_headline_when_title_is_only_site_or_column(
    title: str, headline_markup: str, expected: str,
) -> None:
    body = _page(f"{headline_markup}<p>发布日期：2026-11-20</p><p>{'正文内容。' * 40}</p>", title)
    page = analyse(body, "http://gov.example/art/2026/11/20/art_1.html", as_of=AS_OF)
    assert page.column is None and page.title == expected
