"""An account mirror's HTML list page: its dated posts, or why it has none.

The list is the crawler's column detection (``analyse``), completed by a detection of
posts dated the way timelines show them ("3小时前", "昨天 10:00"); an account may instead
configure CSS selectors. A page whose posts scripts fill in (scripts, almost no visible
text) asks to be rendered; a page showing a placeholder (暂无…) is ``empty``; anything
else without posts is ``malformed``, never a silent account.
"""

from __future__ import annotations

import copy
import re
from datetime import datetime, time
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from lxml import html

from core.settings import MirrorSelectors
from crawler.extract.layout import collapse, drop_invisible, line_text
from crawler.extract.model import MirrorPost, MirrorResult
from crawler.extract.moments import parse_shown
from crawler.extract.page import analyse
from crawler.extract.tree import parse_document

_SHELL_TEXT_CHARS = 200
# Timelines say "nothing here" in these words; a site column's placeholders differ.
_PLACEHOLDER = re.compile(r"暂无(?:信息|内容|数据|文章|记录|相关)|没有(?:找到)?(?:相关)?(?:内容|文章|数据)")


def parse_listing(
    text: str, url: str, selectors: MirrorSelectors | None, now: datetime | None,
    rendered: bool, tz: ZoneInfo | str,
) -> MirrorResult:
    """Posts of a list page; ``now`` (naive wall time) resolves relative dates."""
    root = parse_document(text)
    if root is None or root.find("body") is None:
        return MirrorResult("malformed", "镜像页面无法解析为 HTML", (), "html")
    shell = not rendered and _looks_like_shell(root)
    if selectors is not None:
        entries, error = _select_entries(root, url, selectors, now, tz)
    else:
        entries, error = _detect_entries(text, root, url, now, tz), ""
    if entries:
        return MirrorResult("ok", "", tuple(entries), "html")
    if shell:
        return MirrorResult("ok", "", (), "html", needs_render=True)
    placeholder = _PLACEHOLDER.search(_visible_text(root))
    if placeholder:
        return MirrorResult("empty", f"镜像页面显示“{placeholder.group(0)}”，没有文章", (), "html")
    hint = error or "页面上找不到带日期的文章列表；请在该账号的 selectors 中配置 CSS 选择器"
    return MirrorResult("malformed", hint, (), "html")


def _visible_text(root: html.HtmlElement) -> str:
    drop_invisible(root)
    body = root.find("body")
    return collapse((body if body is not None else root).text_content())


def _looks_like_shell(root: html.HtmlElement) -> bool:
    """A page whose posts scripts fill in: scripts present, almost no visible text."""
    if not root.xpath("//script"):
        return False
    visible = "".join(_visible_text(copy.deepcopy(root)).split())
    return len(visible) < _SHELL_TEXT_CHARS


def _list_post(title: str, url: str, published: datetime | None) -> MirrorPost:
    return MirrorPost(url, " ".join(title.split()), published, "", (), True)


def _select_entries(
    root: html.HtmlElement, url: str, sel: MirrorSelectors, now: datetime | None,
    tz: ZoneInfo | str,
) -> tuple[list[MirrorPost], str]:
    try:
        items = root.cssselect(sel.item)
    except Exception as error:  # cssselect raises its own SelectorError family
        return [], f"CSS 选择器 {sel.item!r} 无效：{error}"
    if not items:
        return [], f"CSS 选择器 {sel.item!r} 没有匹配到任何元素"
    posts: list[MirrorPost] = []
    for item in items:
        link = _first(item, sel.link)
        href = str(link.get("href") or "").strip() if link is not None else ""
        if not href:
            continue
        title_el = _first(item, sel.title)
        date_el = _first(item, sel.date) if sel.date else item
        title = line_text(title_el) if title_el is not None else ""
        shown = line_text(date_el) if date_el is not None else ""
        posts.append(_list_post(title or href, urljoin(url, href), parse_shown(shown, now, tz)))
    return posts, ""


def _first(item: html.HtmlElement, selector: str) -> html.HtmlElement | None:
    found = item.cssselect(selector)
    return found[0] if found else None


def _detect_entries(
    text: str, root: html.HtmlElement, url: str, now: datetime | None, tz: ZoneInfo | str
) -> list[MirrorPost]:
    """The crawler's dated-list detection, completed by the timeline one.

    Mirrors of Weibo/Douyin show their newest posts as "3小时前" or "昨天 10:00", which
    the column detection (absolute dates only) skips; losing the newest posts would make
    a live account look silent. So when ``_timeline_entries`` reads the same list (or the
    column detection found none), its extra entries are added, and its datetimes (with
    time of day) replace same-day dates.
    """
    analysis = analyse(text.encode("utf-8"), url, header_charset="utf-8",
                       as_of=now.date() if now else None, tz=tz)
    column = analysis.column
    entries = column.entries if column is not None and column.entries else analysis.dated_links
    extra = {post.url: post for post in _timeline_entries(root, url, now, tz)}
    if entries and not any(entry.url in extra for entry in entries):
        extra = {}  # another list (a sidebar): the column detection's choice stands
    posts: list[MirrorPost] = []
    for entry in entries:
        mine = extra.pop(entry.url, None)
        published = datetime.combine(entry.published, time()) if entry.published else None
        if mine is not None and mine.published is not None and (
            published is None or mine.published.date() == published.date()
        ):
            published = mine.published
        posts.append(_list_post(entry.title, entry.url, published))
    merged = posts + list(extra.values())
    if extra:  # two detections' orders interleave: newest first, undated last
        merged.sort(key=lambda post: post.published or datetime.min, reverse=True)
    return merged


def _timeline_entries(
    root: html.HtmlElement, url: str, now: datetime | None, tz: ZoneInfo | str
) -> list[MirrorPost]:
    """Largest group of sibling elements that each hold one link and one date."""
    groups: dict[tuple[html.HtmlElement | None, str], list[MirrorPost]] = {}
    seen: set[html.HtmlElement] = set()
    for link in root.xpath("//body//a[@href]"):
        item = _dated_ancestor(link, now, tz)
        if item is None or item[0] in seen:
            continue
        element, published = item
        seen.add(element)
        title = str(link.get("title") or "") or line_text(link)
        post = _list_post(title, urljoin(url, str(link.get("href")).strip()), published)
        groups.setdefault((element.getparent(), str(element.tag)), []).append(post)
    return max(groups.values(), key=len) if groups else []


def _dated_ancestor(
    link: html.HtmlElement, now: datetime | None, tz: ZoneInfo | str
) -> tuple[html.HtmlElement, datetime] | None:
    link_text = link.text_content()
    element: html.HtmlElement | None = link
    for _ in range(4):
        element = element.getparent() if element is not None else None
        if element is None or element.tag == "body":
            return None
        if len(element.xpath(".//a[@href]")) > 3:
            return None
        rest = element.text_content().replace(link_text, " ", 1)
        published = parse_shown(rest, now, tz)
        if published is not None:
            return element, published
    return None
