"""References: every fetchable URL, resolved, normalised, with tag and anchor."""

from __future__ import annotations

from crawler.extract import Reference, analyse

PAGE = "http://www.example.gov.cn/col/tzgg/index.html"


def _refs(html: str, url: str = PAGE, charset: str | None = None) -> list[Reference]:
    return list(analyse(html.encode(charset or "utf-8"), url, header_charset=charset).references)


def _urls(html: str, url: str = PAGE) -> set[str]:
    return {r.url for r in _refs(html, url)}


def test_references_every_tag_and_attribute() -> None:
    html = """<html><head><link rel=stylesheet href="/css/a.css"><script src="j.js"></script>
    <meta http-equiv="refresh" content="5; URL='/next.html'">
    <style>@import "imp.css"; body{background:url( 'bg.png' )} /* url(no.png) */</style></head>
    <body style="background-image:url(body.jpg)">
    <a href="a.html">文章</a><area href="map.html" alt="地图">
    <img src="i.png" srcset="i2.png 2x, i3.png 3x" alt="图片">
    <iframe src="/frame.html"></iframe><frame src="f.html">
    <video src="v.mp4" poster="p.jpg"><source src="s.webm" srcset="s1.webp 1x"></video>
    <audio src="au.mp3"></audio><object data="o.swf" codebase="http://cab.example.com/x.cab"></object>
    <embed src="e.swf"></body></html>"""
    refs = {(r.url.rsplit("/", 1)[-1], r.tag, r.attr) for r in _refs(html)}
    expected = {
        ("a.css", "link", "href"), ("j.js", "script", "src"), ("next.html", "meta-refresh", "content"),
        ("imp.css", "css", "css"), ("bg.png", "css", "css"), ("body.jpg", "body", "style"),
        ("a.html", "a", "href"), ("map.html", "area", "href"), ("i.png", "img", "src"),
        ("i2.png", "img", "srcset"), ("i3.png", "img", "srcset"), ("frame.html", "iframe", "src"),
        ("f.html", "frame", "src"), ("v.mp4", "video", "src"), ("p.jpg", "video", "poster"),
        ("s.webm", "source", "src"), ("s1.webp", "source", "srcset"), ("au.mp3", "audio", "src"),
        ("o.swf", "object", "data"), ("x.cab", "object", "codebase"), ("e.swf", "embed", "src"),
    }
    assert expected <= refs
    assert not any(name == "no.png" for name, _, _ in refs)


def test_references_skip_script_mail_phone_data_and_fragments() -> None:
    html = """<a href="javascript:void(0)">x</a><a href="JavaScript:;">x</a><a href="mailto:a@b.cn">m</a>
    <a href="tel:12345">t</a><img src="data:image/png;base64,AAAA"><a href="#top">top</a>
    <a href="">empty</a><a href="  # ">hash</a><a>none</a><a href="ok.html#sec">ok</a>"""
    assert _urls(html) == {"http://www.example.gov.cn/col/tzgg/ok.html"}


def test_references_base_href_wins_and_only_the_first() -> None:
    html = '<head><base href="/root/sub/"><base href="http://other.cn/"></head><a href="../x.html">x</a>'
    assert _urls(html) == {"http://www.example.gov.cn/root/x.html"}
    page = analyse(html.encode(), PAGE)
    assert page.base_url == "http://www.example.gov.cn/root/sub/"


def test_references_whitespace_backslashes_and_case() -> None:
    html = '<a href="\n  ..\\..\\images\\a b.jpg\t">x</a><a href="HTTP://WWW.Example.GOV.cn/Up.html">u</a>'
    assert _urls(html) == {
        "http://www.example.gov.cn/images/a%20b.jpg",
        "http://www.example.gov.cn/Up.html",
    }


def test_references_chinese_path_utf8_and_query_in_page_encoding() -> None:
    html = '<meta charset="gbk"><a href="/附件/通知.pdf?name=通知">附件</a>'
    refs = _refs(html, charset="gbk")
    assert refs[0].url == (
        "http://www.example.gov.cn/%E9%99%84%E4%BB%B6/%E9%80%9A%E7%9F%A5.pdf?name=%CD%A8%D6%AA"
    )


def test_references_anchor_text_alt_and_limit() -> None:
    html = f'<a href="a.html">  关于  开展\n工作的通知 </a><a href="b.html"><img src="b.png" alt="党政机关"></a><a href="c.html">{"长" * 300}</a>'
    anchors = {r.url.rsplit("/", 1)[-1]: r.anchor for r in _refs(html) if r.tag == "a"}
    assert anchors["a.html"] == "关于 开展 工作的通知"
    assert anchors["b.html"] == "党政机关"
    assert len(anchors["c.html"]) == 200


def test_references_broken_markup_does_not_lose_links() -> None:
    html = '<table><tr><td><a href=one.html>一<td><a href="two.html>二</a></table><a href=three.html'
    urls = _urls(html)
    assert "http://www.example.gov.cn/col/tzgg/one.html" in urls


def test_references_meta_refresh_target() -> None:
    page = analyse(b'<meta http-equiv="Refresh" content="0;url=/portal/index.html">', PAGE)
    assert page.meta_refresh == "http://www.example.gov.cn/portal/index.html"


def test_references_friend_link_dropdown_options() -> None:
    html = """<select onchange="if(this.value!='')window.open(this.value)"><option value="">友情链接</option>
    <option value="http://www.gov.cn/">中国政府网</option><option value="/bmwz/jyj/">区教育局</option></select>
    <select name="year"><option value="/2023">2023</option></select>"""
    refs = {(r.url, r.tag, r.anchor) for r in _refs(html)}
    assert refs == {("http://www.gov.cn/", "option", "中国政府网"),
                    ("http://www.example.gov.cn/bmwz/jyj/", "option", "区教育局")}


def test_references_connection_hints_are_not_links() -> None:
    html = ('<link rel="dns-prefetch" href="//fonts.example.com"><link rel="preconnect" href="https://cdn.example.com">'
            '<link rel="stylesheet" href="/site.css">')
    assert _urls(html) == {"http://www.example.gov.cn/site.css"}


def test_references_urls_opened_by_inline_script() -> None:
    html = """<a href="javascript:window.open('/zt/2023/index.html')">专题</a>
    <a href="javascript:void(0)" onclick="location.href='detail.html?id=3'">详情</a>
    <div onclick="window.location = 'http://other.gov.cn/'">外站</div><a href="javascript:history.back()">返回</a>"""
    refs = {(r.url, r.attr) for r in _refs(html)}
    assert refs == {("http://www.example.gov.cn/zt/2023/index.html", "href"),
                    ("http://www.example.gov.cn/col/tzgg/detail.html?id=3", "onclick"),
                    ("http://other.gov.cn/", "onclick")}


def test_references_skip_template_placeholders_and_concatenations() -> None:
    html = """<img data-src="{{item.pic}}"><a href="${ctx}/list.html">x</a><a href="<%=path%>/a.jsp">y</a>
    <a href="javascript:window.open('/view.jsp?id='+id)">z</a><a href="/real.html">real</a>"""
    assert _urls(html) == {"http://www.example.gov.cn/real.html"}


def test_css_references_of_a_stylesheet_file() -> None:
    from crawler.extract import css_references

    css = b"""@import url("base.css"); @import 'print.css';
    .a { background: url(../img/bg.png) } /* url(commented.png) */
    @font-face { src: url('/fonts/x.woff2') format('woff2'), url(data:font/woff;base64,AAA) }"""
    urls = {r.url for r in css_references(css, "http://www.example.gov.cn/css/site.css")}
    assert urls == {"http://www.example.gov.cn/css/base.css", "http://www.example.gov.cn/css/print.css",
                    "http://www.example.gov.cn/img/bg.png", "http://www.example.gov.cn/fonts/x.woff2"}
