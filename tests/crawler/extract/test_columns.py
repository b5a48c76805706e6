"""Columns: dominant dated lists in several CMS markups, blank columns, pagination, types."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.extract import analyse

AS_OF = date(2024, 1, 10)
BASE = "http://www.example.gov.cn/col/col123/index.html"


def _analyse(html: str, url: str = BASE):  # noqa: ANN202
    return analyse(html.encode("utf-8"), url, as_of=AS_OF)


def _shell(content: str, title: str = "通知公告_某某县人民政府") -> str:
    return f"""<html><head><title>{title}</title></head><body>
    <div class="header"><div class="nav"><a href="/">首页</a><a href="/col/col123/index.html">通知公告</a>
    <a href="/col/col124/index.html">政务动态</a></div></div>
    <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a> &gt; 通知公告</div>
    {content}
    <div class="footer">主办：某某县人民政府 网站标识码：1234567890 赣ICP备12345678号
    <a href="http://bszs.conac.cn/sitename?method=show&id=1"><img src="/red.png" alt="党政机关"></a></div>
    </body></html>"""


TRS = _shell("""<table class="list"><tr><td class="bt_content"><a href="./202311/t20231120_1.html" title="关于开展安全生产大检查的通知">关于开展安全生产大...</a></td><td>2023-11-20</td></tr>
<tr><td class="bt_content"><a href="./202311/t20231115_2.html">关于做好冬季防火工作的通知</a></td><td>2023-11-15</td></tr>
<tr><td class="bt_content"><a href="./202310/t20231008_3.html">关于国庆假期安排的通知</a></td><td>2023-10-08</td></tr></table>
<script>createPageHTML(5, 0, "index", "html");</script>""")

HANWEB = _shell("""<div class="default_pgContainer"><ul>
<li><a href="/art/2023/12/1/art_1_1.html" target="_blank">县政府召开常务会议研究部署工作</a><span class="bt_time">[12-01]</span></li>
<li><a href="/art/2023/11/28/art_1_2.html" target="_blank">县领导调研重点项目建设情况</a><span class="bt_time">[11-28]</span></li>
</ul></div><div class="default_pgToolbar"><a href="?uid=1&pageNum=2">下一页</a></div>""", "政务动态 某某县")

HANDMADE = _shell("""<div id="main"><h3 class="lm_title">政务动态</h3>
<p><a href="news1.htm">春节前安全生产检查工作部署会召开</a> (2024.01.05)</p>
<p><a href="news2.htm">县委理论学习中心组开展集中学习</a> (2023.12.28)</p>
<p><a href="news3.htm">全县经济工作会议召开</a> (2023.12.20)</p></div>""")


def test_column_trs_table_rows_with_title_attribute_and_page_script() -> None:
    column = _analyse(TRS).column
    assert column is not None and not column.blank
    assert column.name == "通知公告"
    assert [e.published for e in column.entries] == [date(2023, 11, 20), date(2023, 11, 15), date(2023, 10, 8)]
    assert column.entries[0].title == "关于开展安全生产大检查的通知"
    assert column.entries[0].url == "http://www.example.gov.cn/col/col123/202311/t20231120_1.html"
    assert column.next_pages == ("http://www.example.gov.cn/col/col123/index_1.html",)


def test_column_hanweb_short_dates_use_as_of_year_and_pagination() -> None:
    column = _analyse(HANWEB).column
    assert column is not None
    assert [e.published for e in column.entries] == [date(2023, 12, 1), date(2023, 11, 28)]
    assert column.next_pages == ("http://www.example.gov.cn/col/col123/index.html?uid=1&pageNum=2",)


def test_column_handmade_paragraph_rows() -> None:
    page = _analyse(HANDMADE)
    assert page.column is not None and len(page.column.entries) == 3
    assert page.column.entries[0].published == date(2024, 1, 5)
    assert page.nav and ("通知公告", "http://www.example.gov.cn/col/col123/index.html") in page.nav


def test_column_article_with_related_sidebar_is_not_a_column() -> None:
    body = "<p>" + "为进一步做好安全生产工作，现将有关事项通知如下。" * 40 + "</p>"
    html = _shell(f"""<div class="article"><h1>关于做好安全生产工作的通知</h1><div>发布日期：2023-11-20</div>{body}</div>
    <div class="related"><ul><li><a href="a.html">相关文章一的标题</a> 2023-11-01</li>
    <li><a href="b.html">相关文章二的标题</a> 2023-10-01</li></ul></div>""")
    page = _analyse(html)
    assert page.column is None
    assert len(page.dated_links) == 2


@pytest.mark.parametrize("placeholder", ["暂无信息", "暂无内容", "暂无数据", "没有记录"])
def test_column_blank_with_placeholder(placeholder: str) -> None:
    column = _analyse(_shell(f'<div class="list"><ul><li>{placeholder}</li></ul></div>')).column
    assert column is not None and column.blank and column.placeholder == placeholder
    assert not column.entries and not column.needs_render
    assert column.name == "通知公告"


def test_column_empty_container_with_filling_script_needs_render() -> None:
    html = _shell('<ul class="news-list" id="list"></ul><script>$.ajax({url:"/api/list.json"})</script>')
    column = _analyse(html).column
    # a list container filled by script is never blank: only rendering shows its entries
    assert column is not None and not column.blank and column.needs_render


def test_column_empty_container_without_script_is_blank() -> None:
    column = _analyse(_shell('<div class="list-con"><ul></ul></div>')).column
    assert column is not None and column.blank and not column.needs_render


@pytest.mark.parametrize(
    "content",
    [
        "<div class='content'><h1>机构职能</h1><p>" + "负责全县的政务公开工作，组织协调。" * 20 + "</p></div>",
        "<div class='con'><p>联系电话：0795-1234567</p><p>地址：某某县人民路1号</p><p>邮编：336000</p></div>",
    ],
)
def test_column_intro_and_contact_pages_are_not_columns(content: str) -> None:
    assert _analyse(_shell(content, "机构职能")).column is None


def test_dated_links_collects_homepage_items_from_several_blocks() -> None:
    blocks = "".join(
        f'<div class="box{i}"><h3>栏目{i}</h3><ul>'
        + "".join(f'<li><a href="/a{i}{j}.html">第{i}栏目的第{j}条信息标题</a><span>2023-12-{10 + j}</span></li>' for j in range(3))
        + "</ul></div>"
        for i in range(4)
    )
    page = _analyse(_shell(blocks + "<p>" + "首页介绍文字" * 400 + "</p>", "某某县人民政府"))
    assert len(page.dated_links) == 12
    assert max(e.published for e in page.dated_links if e.published) == date(2023, 12, 12)


def test_dated_links_date_inside_the_link() -> None:
    html = _shell('<ul class="list"><li><a href="1.html"><span>关于某项工作的公告</span><span>2023-12-01</span></a></li>'
                  '<li><a href="2.html"><span>关于另一项工作的公告</span><span>2023-11-01</span></a></li></ul>')
    column = _analyse(html).column
    assert column is not None
    assert [(e.title, e.published) for e in column.entries] == [
        ("关于某项工作的公告", date(2023, 12, 1)), ("关于另一项工作的公告", date(2023, 11, 1))]


def test_column_hanweb_datastore_records_are_read_without_rendering() -> None:
    records = "".join(
        f'<record><![CDATA[<li><a href="/art/2023/12/{d}/art_5_{d}.html">部门工作动态第{d}条信息</a><span>2023-12-{d:02d}</span></li>]]></record>'
        for d in (5, 3, 1)
    )
    html = _shell(f'<div id="4235"><script type="text/xml"><datastore><recordset>{records}</recordset></datastore></script></div>')
    page = _analyse(html)
    assert page.column is not None and not page.column.blank and not page.column.needs_render
    assert [e.published for e in page.column.entries] == [date(2023, 12, 5), date(2023, 12, 3), date(2023, 12, 1)]
    assert "http://www.example.gov.cn/art/2023/12/5/art_5_5.html" in {r.url for r in page.references}


def test_column_flat_links_with_dates_and_no_row_wrappers() -> None:
    html = _shell('<div class="news"><a href="1.htm">关于春节放假的通知</a> <font>2024-01-05</font><br>'
                  '<a href="2.htm">关于元旦放假的通知</a> (2023-12-25)<br>'
                  '<a href="3.htm">关于国庆放假的通知</a><span>[09-20]</span><br></div>')
    column = _analyse(html).column
    assert column is not None
    assert [e.published for e in column.entries] == [date(2024, 1, 5), date(2023, 12, 25), date(2023, 9, 20)]


def test_column_next_pages_all_pager_links_next_first() -> None:
    rows = "".join(f'<li><a href="a{i}.html">第{i}条通知的标题</a><span>2023-12-0{i}</span></li>' for i in range(1, 4))
    html = _shell(f'<ul class="list">{rows}</ul><div class="page"><a href="index.html">首页</a>'
                  '<a href="index_1.html">上一页</a><a href="index_3.html">下一页</a><a href="index_9.html">尾页</a></div>')
    column = _analyse(html, "http://www.example.gov.cn/col/tzgg/index_2.html").column
    assert column is not None
    assert column.next_pages == tuple(f"http://www.example.gov.cn/col/tzgg/{n}.html"
                                      for n in ("index_3", "index", "index_1", "index_9"))
    assert "http://www.example.gov.cn/" not in column.next_pages  # the header's 首页


def test_column_blank_placeholder_beside_a_dated_sidebar() -> None:
    sidebar = '<div class="side"><h3>热点信息</h3><ul>' + "".join(
        f'<li><a href="/hot{i}.html">热点信息第{i}条标题</a> 2023-12-0{i}</li>' for i in range(1, 6)) + "</ul></div>"
    column = _analyse(_shell(sidebar + '<div class="main"><h2>财政预决算</h2><ul class="list"><li>暂无相关信息</li></ul></div>')).column
    assert column is not None and column.blank and column.placeholder == "暂无相关信息"


def test_column_article_mentioning_a_placeholder_is_not_blank() -> None:
    html = _shell('<h1>关于数据共享的通知</h1><div class="info">发布日期：2023-11-20</div>'
                  '<div class="related"><h3>相关文章</h3><ul><li>暂无信息</li></ul></div><p>各单位：请做好工作。</p>')
    assert _analyse(html).column is None


def test_column_trs_titles_written_by_script() -> None:
    rows = "".join(
        f'<li><a href="./2023{m:02d}/t2023{m:02d}10_{m}.html"><script>var t = "关于第{m}月安全检查的通知"; '
        f'document.write(t.length > 30 ? t.substr(0, 30) : t);</script></a><span>2023-{m:02d}-10</span></li>'
        for m in (11, 10, 9))
    page = _analyse(_shell(f'<ul class="list">{rows}</ul>'))
    assert page.column is not None
    assert [e.title for e in page.column.entries] == [f"关于第{m}月安全检查的通知" for m in (11, 10, 9)]
    anchors = {r.anchor for r in page.references if "t20231110" in r.url}
    assert anchors == {"关于第11月安全检查的通知"}


@pytest.mark.parametrize(
    "title", ["某某县人民政府-财政信息", "财政信息_某某县人民政府", "财政信息 | 某某县政府门户网站"]
)
def test_column_name_from_title_skips_the_site_name(title: str) -> None:
    rows = "".join(f'<li><a href="a{i}.html">第{i}份财政预算公开文件</a><span>2023-12-0{i}</span></li>' for i in range(1, 4))
    html = f"<html><head><title>{title}</title></head><body><ul>{rows}</ul></body></html>"
    column = _analyse(html).column
    assert column is not None and column.name == "财政信息"


def test_column_blank_empty_list_beside_a_long_left_menu() -> None:
    menu = '<div class="left">' + "".join(f'<p><a href="/sub{i}/">二级栏目名称{i}号</a></p>' for i in range(40)) + "</div>"
    column = _analyse(_shell(menu + '<div class="right"><h2>人事信息</h2><ul class="list"></ul></div>')).column
    assert column is not None and column.blank and column.placeholder is None


def test_column_intro_page_with_an_empty_share_box_is_not_blank() -> None:
    body = "<div class='content'><p>" + "某某局负责全县的相关工作。" * 40 + "</p><div class='con-share'></div></div>"
    assert _analyse(_shell(body, "机构职能_某某县人民政府")).column is None


def test_column_short_list_beside_a_big_unlabelled_menu() -> None:
    menu = '<div class="left">' + "".join(f'<p><a href="/sub{i}/">二级栏目名称{i}号</a></p>' for i in range(40)) + "</div>"
    rows = "".join(f'<li><a href="a{i}.html">第{i}份人事任免文件</a><span>2023-0{i}-01</span></li>' for i in (3, 2))
    column = _analyse(_shell(menu + f'<div class="right"><ul class="list">{rows}</ul></div>')).column
    assert column is not None and len(column.entries) == 2


def test_column_not_a_portal_page_with_many_equal_lists() -> None:
    blocks = "".join(
        f'<div class="box"><h3>栏目{i}</h3><ul>' + "".join(
            f'<li><a href="/b{i}/{j}.html">第{i}栏目第{j}条信息的标题</a><span>2023-12-0{j}</span></li>' for j in range(1, 6))
        + "</ul></div>" for i in range(6))
    assert _analyse(_shell(blocks, "政务公开_某某县人民政府")).column is None


def test_column_name_skips_a_generic_last_crumb() -> None:
    rows = "".join(f'<li><a href="a{i}.html">第{i}份统计数据公开文件</a><span>2023-12-0{i}</span></li>' for i in range(1, 4))
    html = (f'<html><head><title>列表</title></head><body><div class="location">您现在的位置：首页 » 统计信息 » 列表</div>'
            f'<ul>{rows}</ul></body></html>')
    column = _analyse(html).column
    assert column is not None and column.name == "统计信息"


def test_dated_links_from_dt_dd_pairs() -> None:
    pairs = "".join(f'<dt><a href="/n{i}.html">县领导调研第{i}个重点项目</a></dt><dd>2023-12-0{i}</dd>' for i in range(1, 4))
    page = _analyse(_shell(f'<dl class="news">{pairs}</dl>', "某某县人民政府"))
    assert sorted(e.published.day for e in page.dated_links if e.published) == [1, 2, 3]


def test_dated_links_photo_news_titles_from_alt() -> None:
    items = "".join(f'<li><a href="/p{i}.html"><img src="/p{i}.jpg" alt="图片新闻第{i}条标题"></a><span>2023-12-0{i}</span></li>'
                    for i in (1, 2))
    page = _analyse(_shell(f'<ul class="pic">{items}</ul>', "某某县人民政府"))
    assert {e.title for e in page.dated_links} == {"图片新闻第1条标题", "图片新闻第2条标题"}
