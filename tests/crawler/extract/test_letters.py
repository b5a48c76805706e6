"""Letters: detail pages and letter list tables/rows."""

from __future__ import annotations

from datetime import date

from crawler.extract import analyse

AS_OF = date(2024, 1, 10)


def _analyse(html: str, url: str = "http://www.example.gov.cn/hdjl/xjxx/index.html"):  # noqa: ANN202
    return analyse(html.encode("utf-8"), url, as_of=AS_OF)


def test_letters_detail_page_with_asked_replied_and_status() -> None:
    html = """<html><head><title>县长信箱</title></head><body><h1>关于小区路灯不亮的问题</h1>
    <table><tr><td>来信人</td><td>张**</td><td>来信时间</td><td>2023-10-01 09:12</td></tr>
    <tr><td>办理状态</td><td>已办结</td></tr><tr><td>来信内容</td><td>小区路灯坏了很久。</td></tr>
    <tr><td>回复单位</td><td>县住建局</td><td>回复时间</td><td>2023-10-20</td></tr></table></body></html>"""
    letters = _analyse(html, "http://www.example.gov.cn/hdjl/letter.jsp?id=9").letters
    assert len(letters) == 1
    letter = letters[0]
    assert (letter.asked, letter.replied, letter.status) == (date(2023, 10, 1), date(2023, 10, 20), "已办结")
    assert letter.title == "关于小区路灯不亮的问题"
    assert letter.url == "http://www.example.gov.cn/hdjl/letter.jsp?id=9"


def test_letters_detail_page_unanswered() -> None:
    html = "<html><body><h2>咨询社保办理</h2><p>留言时间：2023年12月01日</p><p>状态：未回复</p></body></html>"
    (letter,) = _analyse(html).letters
    assert letter.asked == date(2023, 12, 1) and letter.replied is None and letter.status == "未回复"


def test_letters_list_table_with_header_columns() -> None:
    html = """<html><head><title>领导信箱</title></head><body><table class="xxlb">
    <tr><th>信件标题</th><th>来信时间</th><th>办理状态</th><th>回复时间</th></tr>
    <tr><td><a href="d.jsp?id=1">关于道路维修</a></td><td>2023-09-01</td><td>已回复</td><td>2023-09-10</td></tr>
    <tr><td><a href="d.jsp?id=2">关于学校招生</a></td><td>2023-12-20</td><td>办理中</td><td></td></tr>
    </table></body></html>"""
    letters = _analyse(html).letters
    assert [(lt.title, lt.asked, lt.replied, lt.status) for lt in letters] == [
        ("关于道路维修", date(2023, 9, 1), date(2023, 9, 10), "已回复"),
        ("关于学校招生", date(2023, 12, 20), None, "办理中"),
    ]
    assert letters[0].url == "http://www.example.gov.cn/hdjl/xjxx/d.jsp?id=1"


def test_letters_list_rows_on_a_mailbox_page() -> None:
    html = """<html><head><title>网上留言</title></head><body><ul>
    <li><a href="v/1.html">噪音扰民问题</a><span>2023-11-02</span><span>已回复</span><span>2023-11-09</span></li>
    <li><a href="v/2.html">公交线路调整建议</a><span>2023-12-30</span><span>待回复</span></li></ul></body></html>"""
    letters = _analyse(html).letters
    assert [(lt.asked, lt.replied, lt.status) for lt in letters] == [
        (date(2023, 11, 2), date(2023, 11, 9), "已回复"), (date(2023, 12, 30), None, "待回复")]


def test_letters_none_on_an_ordinary_article() -> None:
    html = "<html><body><h1>通知</h1><p>发布时间：2023-11-01</p><p>各单位：请做好工作。</p></body></html>"
    assert _analyse(html, "http://x.gov.cn/a.html").letters == ()


def test_letters_not_from_an_announcement_mentioning_submission_times() -> None:
    html = """<html><head><title>关于申报项目的通知</title></head><body><h1>关于申报项目的通知</h1>
    <p>咨询时间：2023年12月1日至12月5日。提交时间：2023年12月10日前。</p></body></html>"""
    assert _analyse(html, "http://x.gov.cn/tzgg/t20231120_1.html").letters == ()


def test_letters_not_from_a_generic_status_table() -> None:
    html = """<html><head><title>招标公告</title></head><body><table>
    <tr><th>项目名称</th><th>时间</th><th>状态</th></tr>
    <tr><td><a href="p1.html">道路工程招标</a></td><td>2023-09-01</td><td>已结束</td></tr></table></body></html>"""
    assert _analyse(html, "http://x.gov.cn/zbgg/index.html").letters == ()


def test_letters_subject_is_not_the_site_logo_heading() -> None:
    page = ('<html><head><meta charset="utf-8"><title>信件详情 - 某区人民政府</title></head><body>'
            '<div class="header"><a href="/"><h1 class="logo">某区人民政府门户网站</h1></a></div>'
            '<div class="main"><h2>关于雨污管网改造的建议</h2><p>来信时间：2026-07-30</p>'
            '<p>状态：已回复</p><p>回复时间：2026-10-18</p></div></body></html>').encode()
    letters = analyse(page, "http://x.gov.cn/ldxx/xj_1.html", as_of=date(2026, 11, 27)).letters
    assert [(x.title, x.asked, x.replied) for x in letters] == [
        ("关于雨污管网改造的建议", date(2026, 7, 30), date(2026, 10, 18))]
