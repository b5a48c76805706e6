"""Column (栏目) pages: the dominant dated list, its name, pagination, or why it is blank."""

from __future__ import annotations

import re
from datetime import date

from lxml import html

from crawler.extract import script_pager
from crawler.extract.layout import collapse
from crawler.extract.model import ColumnInfo, ListEntry
from crawler.extract.pager import pager_links
from crawler.extract.rows import Block, find_blocks

PLACEHOLDER = re.compile(
    r"暂无(?:相关)?(?:信息|内容|数据|记录|文章|公告|新闻|资料|动态|文件)|没有(?:相关|找到)?(?:的)?(?:记录|信息|数据|内容)"
    r"|无相关(?:信息|内容|记录)|(?:信息|内容|栏目)(?:正在)?(?:更新|建设|完善)中|正在建设中|敬请期待|no (?:data|records)"
)
# an empty element labelled like this is an empty list (not an empty "content" wrapper)
_CONTAINER = re.compile(
    r"list|(?:^|[-_\s])(?:lb|ul|items?|news|articles?|wzlb|xxgk|data|record)(?:$|[-_\s\d])", re.I
)
_FILL_SCRIPT = re.compile(
    r"\$\.(?:ajax|get|post|getJSON)|\bajax\s*\(|fetch\s*\(|XMLHttpRequest|axios|\.json\b|innerHTML"
    r"|\.append\s*\(|\.html\s*\(|template|v-for|ng-repeat|laypage|jpage|loadData|getList|pageList"
    r"|\{\{",  # a client-side template (<script type="text/template">{{title}}</script>)
    re.I,
)
# External scripts (``//src URL`` hints of layout.drop_invisible) that fill lists, by file
# name: template engines and pager plugins (Epoint WebBuilder: mustache.js + #showList).
_FILL_SRC = re.compile(
    r"mustache|handlebars|art-?template|template-web|jsrender|pagination|jqpaginator|laypage|jpage",
    re.I)


def _fills(script: str) -> bool:
    """Whether an inline script, or an external one by its file name, looks like it fills a list."""
    if script.startswith("//src "):
        return bool(_FILL_SRC.search(script.rsplit("/", 1)[-1].split("?")[0]))
    return bool(_FILL_SCRIPT.search(script))
_CRUMB = re.compile(r"crumb|position|location|weizhi|dqwz|curmb|(?:^|[-_\s])(?:wz|path|current)(?:$|[-_\s])", re.I)
_CRUMB_TEXT = re.compile(r"^\s*(?:当前位置|您的位置|您现在的位置|所在位置|现在位置)\s*[:：]?")
_GENERIC_CRUMBS = frozenset({"正文", "列表", "详情", "内容", "当前页", "文章列表", "信息列表", "列表页"})
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|＞|»|›|→|/|\\|-{1,2}>|—|\n)\s*")
_TITLE_SPLIT = re.compile(r"\s*(?:[-_|｜—–]+|::)\s*")
_ASIDE = re.compile(
    r"(?:^|[-_\s])(?:side|aside|sidebar|hot|rank|related|relate|xgwz|xgxx|xgwj|tuijian|recommend|remen|paihang)"
    r"[a-z]{0,6}(?:$|[-_\s\d])",
    re.I,
)
_SITE_NAME = re.compile(r"(?:人民政府|政府网|门户网站|网站|官网|政府|\.gov\.cn)$|^(?:首页|主页)$")
_HEADING = re.compile(r"tit|title|hd|head|lm|name|bt|column", re.I)


def find_dated_links(
    root: html.HtmlElement, base: str, *, as_of: date | None, blocks: list[Block] | None = None
) -> tuple[ListEntry, ...]:
    """Every (link, date) pair in list-shaped places of the page, each URL once."""
    seen: dict[str, ListEntry] = {}
    for block in blocks if blocks is not None else find_blocks(root, base, as_of=as_of):
        for row in block.rows:
            seen.setdefault(row.entry.url, row.entry)
    return tuple(seen.values())


def breadcrumb(root: html.HtmlElement) -> str:
    """The last crumb of a 当前位置 breadcrumb, or ''."""
    for el in root.iter("div", "p", "span", "td", "nav", "ol", "ul"):
        label = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not _CRUMB.search(label) and "位置" not in (el.text or "")[:20]:
            continue
        text = collapse(el.text_content())
        if len(text) > 200 or not text:
            continue
        if _CRUMB.search(label) or _CRUMB_TEXT.match(text):
            crumbs = [c.strip() for c in _CRUMB_SPLIT.split(_CRUMB_TEXT.sub("", text)) if c.strip()]
            while len(crumbs) > 1 and crumbs[-1] in _GENERIC_CRUMBS:
                crumbs.pop()  # "… > 通知公告 > 列表": the column is the crumb before
            if crumbs and len(crumbs[-1]) <= 30:
                return crumbs[-1]
    return ""


def _heading(block: html.HtmlElement) -> str:
    """A short heading right before the block, or on one of its near ancestors."""
    el: html.HtmlElement | None = block
    for _ in range(4):
        if el is None:
            break
        for sib in el.itersiblings(preceding=True):
            if not isinstance(sib.tag, str):
                continue
            label = f"{sib.get('class') or ''} {sib.get('id') or ''}"
            if sib.tag in ("h1", "h2", "h3", "h4") or _HEADING.search(label):
                text = collapse(sib.text_content()).split("\n")[0]
                text = re.sub(r"\s*(?:更多|more|MORE)\s*[>»+]*\s*$", "", text).strip()
                if 2 <= len(text) <= 20:
                    return text
            break
        el = el.getparent()
    return ""


_TAB_BOX = re.compile(r"tab|lm|nav|menu|column|channel|sub|side|left|cate|lanmu|dh", re.I)
_CURRENT = re.compile(
    r"(?:^|[-_\s])(?:on|cur|curr|current|active|selected|select|sel|now|this|hover)(?:$|[-_\s\d])"
    r"|(?:current|active|selected)", re.I)
_HAN = re.compile(r"[\u4e00-\u9fff]")


def current_tab(root: html.HtmlElement) -> str:
    """The item a tab or navigation block marks as current (li.on, a.cur, .active), the last
    one on the page (the innermost level of the navigation), or ''. Read it before the
    navigation blocks are taken out of the tree."""
    found = ""
    for el in root.iter("li", "a", "span", "div", "td", "dd", "h2", "h3"):
        if not _CURRENT.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            continue
        if not any(_TAB_BOX.search(f"{a.get('class') or ''} {a.get('id') or ''}")
                   for a in el.iterancestors()):
            continue
        text = collapse(el.text_content()).split("\n")[0].strip()
        if 2 <= len(text) <= 20 and _HAN.search(text) and not _SITE_NAME.search(text):
            found = text
    return found


def column_name(root: html.HtmlElement, block: html.HtmlElement | None, title: str,
                tab: str = "") -> str:
    """The column's name: breadcrumb, else the list's heading, else the current item of the
    page's tabs or navigation (``tab``), else the page title's first part that is not the
    site's name."""
    name = breadcrumb(root) or (_heading(block) if block is not None else "") or tab
    if not name:
        parts = [p for p in _TITLE_SPLIT.split(title) if p]
        own = [p for p in parts if not _SITE_NAME.search(p)]  # "某某县人民政府-通知公告"
        name = (own or parts or [title])[0]
    return name[:100]


def next_pages(root: html.HtmlElement, base: str, scripts: list[str],
               page_url: str | None = None) -> tuple[str, ...]:
    """Every other page of the list: the pagers its scripts build (TRS createPageHTML, pager
    plugins, Hanweb jpage record groups; see ``script_pager``), then its pager's links."""
    found = [*script_pager.trs_pages(scripts, base), *script_pager.plugin_pages(scripts, base),
             *script_pager.dataproxy_pages(root, scripts, base), *pager_links(root, base, page_url)]
    return tuple(dict.fromkeys(found))


def _aside(el: html.HtmlElement) -> bool:
    """Inside a sidebar, hot list or related-articles box (never the page's own list)."""
    for node in (el, *el.iterancestors()):
        if node.tag == "aside" or _ASIDE.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
    return False


def _link_text_len(root: html.HtmlElement) -> int:
    return sum(len(collapse(a.text_content())) for a in root.iter("a"))


def _dominant(blocks: list[Block], text_len: int, link_len: int) -> Block | None:
    """The list that makes the page a column.

    It must outweigh the page's prose (text outside links: an article's body; menus are
    links and do not count) and the other lists (a portal page has many equal ones).
    """
    candidates = [b for b in blocks if not _aside(b.parent)]
    if not candidates:
        return None
    main = max(candidates, key=lambda b: (len(b.rows), b.text_len))
    listed = sum(b.text_len for b in blocks)
    prose = max(text_len - link_len, 0)
    if main.text_len >= 0.5 * prose and main.text_len >= 0.4 * listed:
        return main
    return None


def _signature(block: Block) -> tuple[str, ...]:
    """Tag and class of a list and its two nearest ancestors: the groups of one list share it."""
    out = []
    el: html.HtmlElement | None = block.parent
    for _ in range(3):
        if el is None:
            break
        out.append(f"{el.tag}.{el.get('class') or ''}")
        el = el.getparent()
    return tuple(out)


_MAX_GROUPS = 3


def _grouped(blocks: list[Block], text_len: int, link_len: int) -> list[Block]:
    """A list split into groups of the same markup, each under its own heading (the
    sub-columns of an overview page, 卫生健康 / 教育), when together they are the page's list."""
    groups: dict[tuple[str, ...], list[Block]] = {}
    for block in blocks:
        if not _aside(block.parent):
            groups.setdefault(_signature(block), []).append(block)
    best = max(groups.values(), key=lambda g: sum(len(b.rows) for b in g), default=[])
    if not 2 <= len(best) <= _MAX_GROUPS or not all(_heading(b.parent) for b in best):
        return []  # more equal boxes than a split list has: a portal page of many columns
    if not breadcrumb(best[0].parent.getroottree().getroot()):
        return []  # equal lists under headings without a breadcrumb: a portal page
    total = sum(b.text_len for b in best)
    inside = {a for b in best for a in b.parent.iterancestors()}
    # a block around the groups (their rows seen from a common ancestor) is not another list
    listed = total + sum(b.text_len for b in blocks if b not in best and b.parent not in inside)
    prose = max(text_len - link_len, 0)
    return best if total >= 0.5 * prose and total >= 0.6 * listed else []


def scripted_lists(root: html.HtmlElement, scripts: list[str], text: str) -> bool:
    """An empty list container on a page whose scripts (or templates) look like they fill it."""
    if "{{" not in text and not any(_fills(s) for s in scripts):
        return False
    return "{{" in text or _empty_container(root) is not None


def _empty_container(root: html.HtmlElement) -> html.HtmlElement | None:
    for el in root.iter("ul", "ol", "table", "div", "tbody", "dl"):
        label = f"{el.get('class') or ''} {el.get('id') or ''}"
        if not _CONTAINER.search(label) or el.getparent() is None:
            continue
        text = collapse(el.text_content())
        if len(text) <= 10 and next(el.iter("a", "img", "iframe", "video", "embed"), None) is None:
            return el
    return None


def _placeholder(root: html.HtmlElement, text: str) -> tuple[str, html.HtmlElement] | None:
    """The placeholder phrase and the short element showing it (prose mentioning it does not count)."""
    if not PLACEHOLDER.search(text):
        return None
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for own, owner in ((el.text, el), (el.tail, el.getparent())):
            m = PLACEHOLDER.search(own or "")
            if m and owner is not None and len(collapse(owner.text_content())) <= 60:
                return m.group(0), owner
    return None


def find_column(
    root: html.HtmlElement, base: str, *, title: str, text: str, scripts: list[str],
    as_of: date | None, blocks: list[Block] | None = None, article: bool = False,
    page_url: str | None = None, pages: tuple[str, ...] | None = None, tab: str = "",
) -> ColumnInfo | None:
    """ColumnInfo when the page is a column list page (full or blank), else None.

    ``article`` says the page shows its own publish-date label: such a page is never a
    blank column, whatever its sidebars hold.
    """
    blocks = blocks if blocks is not None else find_blocks(root, base, as_of=as_of)
    if pages is None:
        pages = next_pages(root, base, scripts, page_url)
    link_len = _link_text_len(root)
    main = _dominant(blocks, len(text), link_len) if blocks else None
    if main is not None and (len(main.rows) >= 2 or pages):
        entries = tuple({r.entry.url: r.entry for r in main.rows}.values())
        return ColumnInfo(column_name(root, main.parent, title, tab), entries, False, None, pages, False)
    groups = _grouped(blocks, len(text), link_len) if blocks and not article else []
    if groups:
        # the column is the page (breadcrumb or title), not the first group's heading
        entries = tuple({r.entry.url: r.entry for b in groups for r in b.rows}.values())
        return ColumnInfo(column_name(root, None, title, tab), entries, False, None, pages, False)
    if article or len(text) > 3000:
        return None
    shown = _placeholder(root, text)
    if shown is not None:
        return ColumnInfo(column_name(root, shown[1], title, tab), (), True, shown[0], pages, False)
    if blocks or len(text) > 1500:
        return None
    container = _empty_container(root)
    # a long page needs a breadcrumb to say it is a column, or its text is content
    if container is None or (len(text) > 400 and not breadcrumb(root)):
        return None
    fill = any(_fills(s) for s in scripts) or "{{" in text
    # a list container that a script fills is never blank: only rendering shows its entries
    return ColumnInfo(column_name(root, container, title, tab), (), not fill, None, pages, fill)
