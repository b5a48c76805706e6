"""HTML pages of the portal and the department site (homepage, lists, articles, letters)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from html import escape

from xunwang.demo import articles as art
from xunwang.demo import obligations, texts
from xunwang.demo.columns import PORTAL, Catalog, ColumnSpec
from xunwang.demo.layout import LOOKS, STATIC_PAGES, breadcrumb, document
from xunwang.demo.letters import LETTERS
from xunwang.demo.plan import DARK_LINKS, LINKS, NEW_SCRIPT

HOME_SECTIONS = {PORTAL: (("ywdt", 8), ("gzdt", 8), ("tzgg", 6)), "dept": (("bmdt", 8), ("tzgg", 6))}
ZCJD_JS = (
    "fetch('/zcjd/list.json').then(function(r){return r.json();}).then(function(data){"
    "var ul=document.getElementById('zcjd-list');data.items.forEach(function(it){"
    "var li=document.createElement('li');var a=document.createElement('a');a.href=it.url;"
    "a.textContent=it.title;var s=document.createElement('span');s.className='date';"
    "s.textContent=it.date;li.appendChild(a);li.appendChild(s);ul.appendChild(li);});});"
)


@dataclass(frozen=True)
class Pages:
    """Renders one site's pages for one state; ``resolve`` turns a plan target into a URL."""

    catalog: Catalog
    site: str
    as_of: date
    seed: int
    state: str
    external: str
    resolve: dict[str, str]

    def _doc(self, title: str, body: str, head: str = "", charset: str = "utf-8") -> str:
        look = LOOKS[self.site]
        return document(look, self.catalog, self.external, title=f"{title} - {look.name}"
                        if title != look.name else title, body=body, head=head, charset=charset)

    def article(self, column: ColumnSpec, index: int) -> art.Article:
        return art.build(self.catalog, column, index, as_of=self.as_of, seed=self.seed,
                         state=self.state)

    def _item(self, column: ColumnSpec, index: int) -> str:
        h = art.headline(self.catalog, column, index, self.as_of, self.seed)
        return (f'<li><a href="{h.path}" title="{escape(h.title)}">{escape(h.title)}</a>'
                f'<span class="date">{h.published:%Y-%m-%d}</span></li>')

    def home(self) -> str:
        blocks = []
        for slug, size in HOME_SECTIONS[self.site]:
            column = self.catalog.column(self.site, slug)
            assert column is not None
            items = "".join(self._item(column, i)
                            for i in range(min(size, column.entries(self.state))))
            blocks.append(f'<div class="block"><h2><a href="/{slug}/index.html">{column.name}</a>'
                          f'</h2><ul class="list">{items}</ul></div>')
        links = "".join(f'<li><a href="{self.resolve[p.target]}">{p.label}</a></li>'
                        for p in LINKS if p.site == self.site and p.page == "home"
                        and self.state in p.states)
        blocks.append(f'<div class="links"><h2>友情链接</h2><ul>{links}</ul></div>')
        head = ""
        if self.state == "attacked" and self.site == PORTAL:
            # What an intruder adds: links hidden by a class of the page's own <style>, and
            # a script from a host the site never loaded before.
            head = "<style>.ft-yq { display: none }</style>"
            dark = "".join(f'<a href="{self.resolve[target]}">{label}</a>'
                           for target, label in DARK_LINKS)
            blocks.append(f'<div class="ft-yq">{dark}</div>'
                          f'<script src="{self.resolve[NEW_SCRIPT]}"></script>')
        return self._doc(LOOKS[self.site].name, "".join(blocks), head=head)

    def column_page(self, column: ColumnSpec, page: int) -> str | None:
        pages = art.page_count(column, self.state)
        if page >= pages:
            return None
        total = column.entries(self.state)
        if column.scripted:
            listing = '<ul class="list" id="zcjd-list"></ul><script src="/js/zcjd.js"></script>'
        elif column.is_blank(self.state) and column.blank != "empty":
            listing = f'<ul class="list"><li class="empty">{column.blank}</li></ul>'
        else:
            start = page * art.PAGE_SIZE
            rows = "".join(self._item(column, i)
                           for i in range(start, min(start + art.PAGE_SIZE, total)))
            listing = f'<ul class="list">{rows}</ul>'
        body = (breadcrumb(("", column.name)) + f'<h2 class="column-title">{column.name}</h2>'
                + listing + _pager(column.slug, page, pages, total))
        charset = "gbk" if column.encoding == "gbk" else "utf-8"
        return self._doc(column.name, body, charset=charset)

    def column_json(self, column: ColumnSpec) -> str:
        heads = (art.headline(self.catalog, column, i, self.as_of, self.seed)
                 for i in range(column.entries(self.state)))
        items = [{"title": h.title, "url": h.path, "date": f"{h.published:%Y-%m-%d}"}
                 for h in heads]
        return json.dumps({"total": len(items), "items": items}, ensure_ascii=False)

    def article_page(self, a: art.Article) -> str:
        paras = "".join(f"<p>{escape(p)}</p>" for p in a.paragraphs)
        if a.column.slug == obligations.REPORT_SLUG:
            paras = "".join(a.paragraphs)  # the annual report: its own markup, tables included
        extras = "".join(f'<p>相关链接：<a href="{self.resolve[p.target]}">{p.label}</a></p>'
                         for p in a.links)
        extras += "".join(
            f'<p>附件：<a href="{art.attachment_path(a, ext)}">{art.ATTACHMENT_NAMES[ext]}</a></p>'
            for ext in a.attachments)
        charset = "gbk" if a.column.encoding == "gbk" else "utf-8"
        head = (f'<meta name="ArticleTitle" content="{escape(a.title)}">'
                f'<meta name="PubDate" content="{a.meta_published:%Y-%m-%d %H:%M}">'
                f'<meta name="ColumnName" content="{a.column.name}">')
        body = (breadcrumb((f"/{a.column.slug}/index.html", a.column.name), ("", "正文"))
                + f'<h2 class="article-title">{escape(a.title)}</h2>'
                f'<div class="info">发布时间：{a.date_line}　来源：{LOOKS[self.site].name}</div>'
                f'<div class="content">{paras}{extras}</div>')
        return self._doc(a.title, body, head=head, charset=charset)

    def letters_list(self) -> str:
        rows = "".join(
            f'<tr><td><a href="{letter.path}">{texts.letter_title(letter.number)}</a></td>'
            f"<td>{letter.asked(self.as_of):%Y-%m-%d}</td>"
            f"<td>{'已回复' if letter.replied_age is not None else '办理中'}</td></tr>"
            for letter in LETTERS)
        body = (breadcrumb(("", "领导信箱")) + '<h2 class="column-title">领导信箱</h2>'
                '<table class="letters"><tr><th>标题</th><th>来信时间</th><th>状态</th></tr>'
                f"{rows}</table>")
        return self._doc("领导信箱", body)

    def letter_page(self, number: int) -> str | None:
        letter = next((x for x in LETTERS if x.number == number), None)
        if letter is None:
            return None
        replied = letter.replied(self.as_of)
        reply = (f"<p>回复时间：{replied:%Y-%m-%d}</p><p>回复单位：区信访局</p>"
                 "<p>回复内容：您反映的问题已转交相关部门办理，感谢您的监督。</p>"
                 if replied else "<p>回复时间：</p>")
        body = (breadcrumb(("/ldxx/index.html", "领导信箱"), ("", "信件详情"))
                + f"<h2>{texts.letter_title(letter.number)}</h2>"
                f"<p>信件编号：XJ{letter.number}</p><p>来信时间：{letter.asked(self.as_of):%Y-%m-%d}</p>"
                f"<p>状态：{'已回复' if replied else '办理中'}</p>"
                "<p>来信内容：希望有关部门尽快研究解决，方便周边居民出行和生活。</p>" + reply)
        return self._doc("信件详情", body)

    def static_page(self, path: str) -> str:
        name = STATIC_PAGES[path]
        text = ("<p>云溪区位于市境东部，下辖六个街道、三个镇，区人民政府驻府前路1号。</p>"
                "<p>区人民政府办公室负责区政府日常工作的综合协调和督促检查。</p>"
                if path == "/jgjj.html" else
                "<p>地址：云溪区府前路1号</p><p>邮编：310000</p><p>值班电话：0571-88001234</p>"
                "<p>办公时间：工作日上午8:30至12:00，下午14:00至17:30</p>")
        return self._doc(name, breadcrumb(("", name)) + f"<h2>{name}</h2>{text}")

    def error_page(self) -> str:
        body = ('<div class="error"><h2>页面不存在</h2><p>抱歉，您访问的页面不存在或已被删除。</p>'
                '<p><a href="/">返回首页</a></p></div>')
        return self._doc("页面不存在", body)


def _pager(slug: str, page: int, pages: int, total: int) -> str:
    parts = [f"<span>共{total}条　第{page + 1}/{pages}页</span>"]
    if page > 0:
        parts.append(f'<a href="{art.list_page_path(slug, 0)}">首页</a>')
        parts.append(f'<a href="{art.list_page_path(slug, page - 1)}">上一页</a>')
    if page + 1 < pages:
        parts.append(f'<a href="{art.list_page_path(slug, page + 1)}">下一页</a>')
        parts.append(f'<a href="{art.list_page_path(slug, pages - 1)}">尾页</a>')
    return '<div class="pager">' + " ".join(parts) + "</div>"
