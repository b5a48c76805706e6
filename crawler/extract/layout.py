"""Page layout: strip non-visible parts, split off footer and navigation, flatten text."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin

from lxml import etree, html

_INVISIBLE = ("script", "style", "noscript", "template", "select", "object", "embed")
_BLOCKS = frozenset(
    ["p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "table", "tbody", "thead", "tfoot", "section", "article", "header", "footer", "nav", "aside", "form", "fieldset", "blockquote", "pre", "hr", "center", "address", "caption", "iframe", "title", "option"]
)
_CELLS = frozenset({"td", "th", "span", "em", "i", "b", "strong", "font", "a", "label"})
_TABLE_CELLS = frozenset({"td", "th"})
_FOOTER = re.compile(r"foot|copyright|bottom|(?:^|[-_\s])(?:ft|db|dibu|bq|banquan)(?:$|[-_\s\d])", re.I)
_NAV = re.compile(r"nav|menu|daohang|(?:^|[-_\s])(?:dh)(?:$|[-_\s\d])", re.I)
_CRUMB = re.compile(r"crumb|position|location|weizhi|wz|dqwz|path|current|curmb", re.I)
_FOOTER_WORDS = re.compile(r"ICP|备案|网站标识码|版权所有|主办单位|主办：|承办|技术支持|公网安备|党政机关")
_SPACES = re.compile(r"[ \t\f\v\xa0\u3000\u200b]+")
_LINES = re.compile(r"\s*\n\s*")
_CONAC = re.compile(r"conac|dzjg|jiucuo|govwza|zfwzgl", re.I)


_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)[\"']", re.S | re.I)
_DATASTORE_BODY = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?<datastore\b", re.I)


def datastore_page(text: str) -> str:
    """A Hanweb dataproxy.jsp answer (an XML ``<datastore>`` of CDATA records) as a page
    whose script holds it, so it is read like the column page it continues; other text as is."""
    if not _DATASTORE_BODY.match(text[:300]):
        return text
    body = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    return f'<html><body><script type="text/xml">{body}</script></body></html>'


def expand_embedded_records(root: html.HtmlElement) -> int:
    """Put the rows Hanweb-style CMSs ship inside <script type="text/xml"><datastore> into the page.

    The browser's script writes those records into the list container; doing it here lets
    list detection and link extraction see the same rows without rendering.
    """
    expanded = 0
    for script in list(root.iter("script")):
        text = script.text or ""
        if "<record" not in text or script.getparent() is None:
            continue
        records = _RECORD.findall(text)
        if not records:
            continue
        holder = html.Element("div", {"class": "xw-records", "data-xw-records": str(len(records))})
        nextgroup = _NEXTGROUP.search(text)
        if nextgroup:  # the jpage pager's link to the proxy (crawler.extract.script_pager)
            holder.set("data-xw-nextgroup", nextgroup.group(1).replace("&amp;", "&"))
        try:
            for fragment in html.fragments_fromstring("".join(records)):
                if isinstance(fragment, str):
                    continue
                holder.append(fragment)
        except (etree.ParserError, ValueError):
            continue
        holder.tail = script.tail
        script.getparent().replace(script, holder)
        expanded += len(records)
    return expanded


_QUOTED_CJK = re.compile(r"""(["'])((?:(?!\1).)*[\u4e00-\u9fff](?:(?!\1).)*)\1""")


def script_written_titles(root: html.HtmlElement) -> None:
    """Give links whose text a script writes (TRS: document.write(title)) that text.

    The longest quoted string with Chinese in the link's own script is what the browser
    shows; without it the row has no title and the list looks empty.
    """
    for script in list(root.iter("script")):
        link = script.getparent()
        if link is None or link.tag != "a" or not script.text:
            continue
        if collapse(link.text_content().replace(script.text, "")):
            continue
        quoted = [m.group(2) for m in _QUOTED_CJK.finditer(script.text)]
        if quoted:
            script.tail = max(quoted, key=len) + (script.tail or "")


def _label(el: html.HtmlElement) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def collapse(text: str) -> str:
    """One space between words, one newline between blocks."""
    return _LINES.sub("\n", _SPACES.sub(" ", text)).strip()


def line_text(el: html.HtmlElement) -> str:
    """An element's text on one line (a title, a date cell, a link)."""
    return collapse(el.text_content()).replace("\n", " ")


def block_text(el: html.HtmlElement) -> str:
    """The text of an article body: blocks on their own lines, sentences unbroken.

    Marks the element's tails in place (``mark_blocks(prose=True)``); run it on visible
    content only (after ``drop_invisible``).
    """
    mark_blocks(el, prose=True)
    return collapse(el.text_content())


def drop_invisible(root: html.HtmlElement) -> list[str]:
    """Remove script/style/comments in place; return the inline script texts (for later hints),
    and for each external script a line ``//src URL`` (a list or pager plugin says by its
    name what it does: mricode.pagination.js, mustache.js)."""
    scripts = [el.text if el.text else f"//src {el.get('src')}" for el in root.iter("script")
               if el.text or el.get("src")]
    for el in list(root.iter(*_INVISIBLE, etree.Comment, etree.ProcessingInstruction)):
        parent = el.getparent()
        if parent is None:
            continue
        if isinstance(el.tag, str):
            el.drop_tree()
        else:
            _drop_keep_tail(el, parent)
    return scripts


def _drop_keep_tail(el: etree._Element, parent: etree._Element) -> None:
    tail = el.tail or ""
    previous = el.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def mark_blocks(root: html.HtmlElement, *, prose: bool = False) -> None:
    """Put a newline after block elements and a space after cells, so text keeps its shape.

    ``prose=True`` spaces only table cells: in an article body a styled span or link sits
    inside a sentence (WeChat styles words one span at a time), and a space there would
    split the words the text rules look for.
    """
    cells = _TABLE_CELLS if prose else _CELLS
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
        elif tag in cells:
            el.tail = " " + (el.tail or "")
        if tag == "br":
            el.tail = "\n" + (el.tail or "")


@lru_cache(maxsize=8)
def _labelled(tags: tuple[str, ...]) -> etree.XPath:
    """Labelled elements and the named tags: compiled once, not on every page."""
    return etree.XPath("//*[@class or @id] | " + " | ".join(f"//{tag}" for tag in tags))


def _outermost(root: html.HtmlElement, match: re.Pattern[str], tags: tuple[str, ...]) -> list[html.HtmlElement]:
    found: list[html.HtmlElement] = []
    inside: set[html.HtmlElement] = set()
    # XPath filters in C: only labelled elements (and the named tags) reach Python
    candidates: Any = _labelled(tags)(root)
    for el in candidates:
        if el.tag in ("html", "body"):
            continue
        wanted = el.tag in tags or bool(match.search(_label(el)))
        if wanted and not any(a in inside for a in el.iterancestors()):
            found.append(el)
            inside.add(el)
    return found


def footer_blocks(root: html.HtmlElement, body_len: int) -> list[html.HtmlElement]:
    """Footer elements: <footer>, or class/id like footer/copyright/bottom holding footer words.

    A "footer" holding most of the page is a mislabelled wrapper, not a footer.
    """
    found = []
    for el in _outermost(root, _FOOTER, ("footer",)):
        text = el.text_content()
        if len(text) > max(3000, body_len * 0.4):
            continue
        if el.tag == "footer" or _FOOTER_WORDS.search(text):
            found.append(el)
    return found


def identity_marks(root: html.HtmlElement) -> list[str]:
    """Site-identity scripts (the 网站标识码 sitecode of the 纠错 script), read before scripts go."""
    marks: list[str] = []
    for el in root.iter("script"):
        if el.get("sitecode"):
            marks.append(f"sitecode={el.get('sitecode')}")
        if _CONAC.search(el.get("src") or "") or "jiucuo" in (el.get("id") or ""):
            marks.append(el.get("src") or "")
    return marks


def footer_text(
    blocks: list[html.HtmlElement], root: html.HtmlElement, body_text: str, marks: list[str]
) -> str:
    """Footer text plus image alt/title, badge links and site codes (the 网站标识码 script)."""
    parts = [collapse(el.text_content()) for el in blocks]
    if not blocks:
        lines = body_text.splitlines()
        tail = [line for line in lines[-40:] if _FOOTER_WORDS.search(line)]
        parts.append("\n".join(tail or lines[-8:]))
    scope = blocks or [root]
    for block in scope:
        for el in block.iter("img", "a", "script", "span"):
            for attr in ("alt", "title"):
                if el.get(attr) and (blocks or _CONAC.search(el.get(attr, "") + el.get("src", ""))):
                    parts.append(el.get(attr, ""))
            for attr in ("href", "src"):
                value = el.get(attr) or ""
                if _CONAC.search(value):
                    parts.append(value)
    parts.extend(marks)
    return "\n".join(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def nav_blocks(root: html.HtmlElement, body_len: int) -> list[html.HtmlElement]:
    """Navigation/menu blocks; never a breadcrumb, never something holding most of the page."""
    blocks = _outermost(root, _NAV, ("nav",))
    found = [
        el
        for el in blocks
        if not _CRUMB.search(_label(el)) and len(el.text_content()) < max(2000, body_len * 0.4)
    ]
    if not found:
        menu = _unlabelled_menu(root)
        found = [menu] if menu is not None else []
    return found


def _unlabelled_menu(root: html.HtmlElement) -> html.HtmlElement | None:
    """The first run of 5-30 short links (2-8 characters each) when no block is labelled nav."""
    for el in root.iter("ul", "div", "table", "p", "td"):
        links = el.findall(".//a")
        if not 5 <= len(links) <= 30:
            continue
        texts = [collapse(a.text_content()) for a in links]
        if all(2 <= len(t) <= 8 for t in texts) and len(el.text_content().strip()) <= 12 * len(links):
            return el
    return None


def nav_links(blocks: list[html.HtmlElement], base: str) -> tuple[tuple[str, str], ...]:
    """(text, absolute url) of the short links in navigation blocks."""
    found: dict[tuple[str, str], None] = {}
    for block in blocks:
        for a in block.iter("a"):
            text = collapse(a.text_content()) or (a.get("title") or "").strip()
            href = (a.get("href") or "").strip()
            if not text or len(text) > 20 or not href or href.lower().startswith(("javascript", "#")):
                continue
            found[(text, urljoin(base, href))] = None
    return tuple(found)


def detach(blocks: list[html.HtmlElement]) -> None:
    for el in blocks:
        if el.getparent() is not None:
            el.drop_tree()
