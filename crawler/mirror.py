"""Read a new-media account's mirror (RSS, Atom, JSON Feed, an HTML list) and its post pages.

Pure functions of bytes: the spider fetches, these parse. Publish times are naive
Asia/Shanghai wall time (see ``crawler.wechat``), like the store's ``DateTime`` columns.

Status of a mirror (``MirrorResult.status``), so that a broken mirror is never mistaken
for a silent account:

- ``ok``: posts were read, or the page is a script shell (``needs_render``) to render.
- ``empty``: a valid feed with no entries, or a list page showing a placeholder (暂无…).
- ``malformed``: not a feed nor a readable list: XML that is not well-formed and yields
  no usable entry, binary data, an empty body, an HTML page with no dated list (or one
  the configured selectors do not match), a rendered page still without posts.

Posts from a list page, or from a feed entry with only a short summary (under 200
characters, or ending in an ellipsis) and no full content, have ``needs_fetch``: the
crawler fetches the post's page and reads it with ``parse_post_page``.

A feed that is not well-formed XML but from which feedparser's lenient parser still
reads entries with links (a truncated download, one stray ``&``) is ``ok``: its posts
are real, and the parse problem is kept in ``notes``. Dropping them would report a
posting account as broken or silent.
"""

from __future__ import annotations

import html
import json
import re
import xml.sax
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
from lxml import etree

from core.settings import MirrorSelectors
from crawler.extract import analyse
from crawler.extract.encoding import decode_html
from crawler.wechat import parse_absolute, parse_display_date, to_local, wechat_publish_time
from crawler.wechat import wechat_server_time as _server_time

_FULL_TEXT_CHARS = 200
_SHELL_TEXT_CHARS = 200
_PLACEHOLDER = re.compile(r"暂无(?:信息|内容|数据|文章|记录|相关)|没有(?:找到)?(?:相关)?(?:内容|文章|数据)")
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:rdf)\b", re.IGNORECASE)
_HTML_ROOT = re.compile(r"<(!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_DATE_LABEL = re.compile(r"(?:发布|发表|发稿|发文)(?:时间|日期)\s*[:：]?\s*(?=(?:19|20)\d{2})")
_NOISE_TAGS = ("script", "style", "noscript", "template")
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section",
               "article", "blockquote", "table", "ul", "ol", "dd", "dt", "pre"}
_META_DATES = ("article:published_time", "og:release_date", "pubdate", "publishdate",
               "publish_date", "dc.date", "dc.date.issued", "datepublished")


@dataclass(frozen=True)
class MirrorPost:
    url: str
    title: str
    published: datetime | None
    text: str
    links: tuple[str, ...]
    needs_fetch: bool  # the mirror gives no full text: fetch the post's own page


@dataclass(frozen=True)
class MirrorResult:
    status: str  # ok | malformed | empty
    error: str
    posts: tuple[MirrorPost, ...]
    kind: str  # rss | atom | json | html | unknown
    needs_render: bool = False  # an HTML shell whose list scripts fill: render, parse again
    notes: tuple[str, ...] = ()


def parse_mirror(
    body: bytes,
    url: str,
    content_type: str = "",
    *,
    selectors: MirrorSelectors | None = None,
    as_of: date | None = None,
    fetched_at: datetime | None = None,
    rendered: bool = False,
) -> MirrorResult:
    """Posts of one mirror response.

    ``as_of`` drops publish dates later than the day after it (kept as ``None``, with a
    note). ``fetched_at`` (default: noon of ``as_of``) resolves relative dates such as
    "3小时前" on HTML lists. ``rendered=True`` says the body already is Chromium's
    rendering, so an empty page is reported as such instead of asking to render again.
    """
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        result = _parse_json_feed(body, url)
        return _drop_future(result, as_of) if as_of else result
    junk = _junk_reason(body)
    if junk:
        return MirrorResult("malformed", junk, (), "unknown")
    text, codec = decode_html(body, _charset(content_type))
    if _is_feed(text, content_type):
        result = _parse_feed(body, url, codec, text)
    else:
        now = fetched_at or (datetime.combine(as_of, time(12)) if as_of else None)
        result = _parse_list_page(text, url, selectors, now, rendered)
    return _drop_future(result, as_of) if as_of else result


def _charset(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([\w\-.:]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _junk_reason(body: bytes) -> str:
    if not body.strip():
        return "镜像返回的响应正文是空的"
    head = body[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ""
    if b"\x00" in head or head.startswith(b"\x1f\x8b"):
        return f"镜像返回的不是文本，而是二进制数据（{len(body)} 字节）"
    sample = head.decode("utf-8", "replace")
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    if control * 20 > len(sample) or "<" not in body[:65536].decode("latin-1"):
        return f"镜像返回的既不是 RSS/Atom 订阅源也不是网页（{len(body)} 字节）"
    return ""


def _is_feed(text: str, content_type: str) -> bool:
    head = text[:2048].lstrip("\ufeff \t\r\n")
    feed, page = _FEED_ROOT.search(head), _HTML_ROOT.search(head)
    if feed and (not page or feed.start() < page.start()):
        return True
    if page:
        return False
    ctype = content_type.lower()
    return head.startswith("<?xml") or "xml" in ctype or "rss" in ctype or "atom" in ctype


# --- feeds -------------------------------------------------------------------------


def _parse_feed(body: bytes, url: str, codec: str, text: str) -> MirrorResult:
    # The codec decode_html found is the one that decodes (headers and XML declarations
    # lie about GBK); a text/html or text/plain type on a feed would make feedparser
    # treat it as non-XML.
    ctype = f"application/xml; charset={codec}"
    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": ctype})
    kind = _feed_kind(parsed.get("version", ""), text)
    broken = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not isinstance(broken, xml.sax.SAXException):
        broken = None
    posts, dropped = [], 0
    for entry in parsed.entries:
        post = _feed_post(entry, url)
        if post is None:
            dropped += 1
        else:
            posts.append(post)
    notes = [f"{dropped} 条条目没有链接，已跳过"] if dropped else []
    if broken is not None and not posts:
        return MirrorResult("malformed", f"订阅源 XML 格式错误：{_sax_message(broken)}", (), kind)
    if broken is not None:
        notes.append(f"订阅源 XML 格式错误（{_sax_message(broken)}），已宽松读取 {len(posts)} 篇")
    if not parsed.get("version") and not posts:
        return MirrorResult("malformed", "不是有效的 RSS/Atom 订阅源", (), kind)
    if not posts:
        return MirrorResult("empty", "订阅源中没有任何文章", (), kind, notes=tuple(notes))
    return MirrorResult("ok", "", tuple(posts), kind, notes=tuple(notes))


def _parse_json_feed(body: bytes, url: str) -> MirrorResult:
    """JSON Feed 1.x (RSSHub ``?format=json``, WeWe RSS), which feedparser 6.0 cannot read."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return MirrorResult("malformed", f"镜像返回的 JSON 无法解析：{error}", (), "json")
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        return MirrorResult("malformed", "镜像返回的 JSON 不是 JSON Feed 订阅源", (), "json")
    items = data.get("items") or []
    posts = [post for post in (_json_post(item, url) for item in items) if post is not None]
    if not posts:
        return MirrorResult("empty", "订阅源中没有任何文章", (), "json")
    return MirrorResult("ok", "", tuple(posts), "json")


def _json_post(item: Any, feed_url: str) -> MirrorPost | None:
    link = (item.get("url") or item.get("external_url")) if isinstance(item, dict) else None
    if not link:
        return None
    url = urljoin(feed_url, str(link))
    markup = item.get("content_html") or html.escape(item.get("content_text") or "")
    full = _fragment_text(markup, blocks=True)
    when = item.get("date_published") or item.get("date_modified") or ""
    return MirrorPost(
        url=url,
        # JSON Feed titles are plain text, but mirrors copy them from HTML still escaped
        title=" ".join(html.unescape(str(item.get("title") or "")).split()),
        published=parse_absolute(str(when)),
        text=full or str(item.get("summary") or ""),
        links=_fragment_links(markup, url),
        needs_fetch=not full,
    )


def _feed_kind(version: str, text: str) -> str:
    if version.startswith("atom"):
        return "atom"
    if version.startswith("json"):
        return "json"
    if version.startswith("rss") or re.search(r"<(rss|rdf:rdf)\b", text[:2048], re.I):
        return "rss"
    return "atom" if re.search(r"<feed\b", text[:2048]) else "rss"


def _sax_message(error: Exception) -> str:
    # feedparser re-encodes the document first, so SAX line numbers do not match the
    # mirror's bytes; the message alone is honest.
    return str(getattr(error, "getMessage", lambda: error)())


def _feed_post(entry: Any, feed_url: str) -> MirrorPost | None:
    link = entry.get("link") or ""
    if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
        link = entry["id"]
    if not link:
        return None
    url = urljoin(feed_url, link.strip())
    detail = entry.get("title_detail") or {}
    title = entry.get("title", "")
    if "html" in detail.get("type", ""):
        title = _fragment_text(title)
    contents = [c.get("value", "") for c in entry.get("content", [])]
    full = max(contents, key=len) if contents else ""
    markup = full or entry.get("summary", "")
    text = _fragment_text(markup, blocks=True)
    short = len(text) < _FULL_TEXT_CHARS or text.rstrip().endswith(("...", "…"))
    return MirrorPost(
        url=url,
        title=" ".join(title.split()),
        published=_entry_time(entry),
        text=text,
        links=_fragment_links(markup, url),
        needs_fetch=not full and short,
    )


def _entry_time(entry: Any) -> datetime | None:
    for key in ("published", "updated", "created", "date"):
        raw = entry.get(key)
        if raw:
            parsed = parse_absolute(str(raw))
            if parsed is not None:
                return parsed
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        moment = entry.get(key)
        if moment:  # feedparser normalises to UTC
            return to_local(datetime(*moment[:6]).replace(tzinfo=UTC))
    return None


# --- HTML -------------------------------------------------------------------------


def _tree(text: str) -> Any:
    try:
        return lxml.html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None


def _strip_noise(root: Any) -> Any:
    for bad in root.xpath("|".join(f"//{tag}" for tag in _NOISE_TAGS)):
        bad.drop_tree()
    return root


def _element_text(element: Any, blocks: bool = False) -> str:
    if blocks:
        for child in element.iter():
            if isinstance(child.tag, str) and child.tag in _BLOCK_TAGS:
                child.tail = "\n" + (child.tail or "")
    raw = html.unescape(element.text_content()) if element is not None else ""
    lines = (" ".join(line.split()) for line in raw.splitlines())
    return "\n".join(line for line in lines if line)


def _fragment_text(markup: str, blocks: bool = False) -> str:
    if "<" not in markup:
        return " ".join(html.unescape(markup).split())
    root = _tree(f"<html><body>{markup}</body></html>")
    if root is None:
        return " ".join(markup.split())
    return _element_text(_strip_noise(root).body, blocks)


def _links_in(element: Any, base: str) -> tuple[str, ...]:
    found: list[str] = []
    for node in element.iter("a", "img", "iframe", "video", "source"):
        raw = node.get("href") or node.get("data-src") or node.get("src") or ""
        raw = raw.strip()
        if not raw or raw.startswith(("#", "javascript:", "mailto:", "data:")):
            continue
        absolute = urljoin(base, raw)
        if urlsplit(absolute).scheme in ("http", "https") and absolute not in found:
            found.append(absolute)
    return tuple(found)


def _fragment_links(markup: str, base: str) -> tuple[str, ...]:
    if "<" not in markup:
        return ()
    root = _tree(f"<html><body>{markup}</body></html>")
    return () if root is None else _links_in(root, base)


def _parse_list_page(
    text: str, url: str, selectors: MirrorSelectors | None, now: datetime | None, rendered: bool
) -> MirrorResult:
    root = _tree(text)
    if root is None or root.find("body") is None:
        return MirrorResult("malformed", "镜像页面无法解析为 HTML", (), "html")
    shell = not rendered and _looks_like_shell(root)
    if selectors is not None:
        entries, error = _select_entries(root, url, selectors, now)
    else:
        entries, error = _detect_entries(text, root, url, now), ""
    if entries:
        return MirrorResult("ok", "", tuple(entries), "html")
    if shell:
        return MirrorResult("ok", "", (), "html", needs_render=True)
    page_text = _element_text(_strip_noise(root).body)
    placeholder = _PLACEHOLDER.search(page_text)
    if placeholder:
        return MirrorResult("empty", f"镜像页面显示“{placeholder.group(0)}”，没有文章", (), "html")
    hint = error or "页面上找不到带日期的文章列表；请在该账号的 selectors 中配置 CSS 选择器"
    return MirrorResult("malformed", hint, (), "html")


def _looks_like_shell(root: Any) -> bool:
    """A page whose posts scripts fill in: scripts present, almost no visible text."""
    if not root.xpath("//script"):
        return False
    body = _strip_noise(_tree(etree.tostring(root, encoding="unicode")))
    visible = "".join(_element_text(body.body).split()) if body is not None else ""
    return len(visible) < _SHELL_TEXT_CHARS


def _list_post(title: str, url: str, published: datetime | None) -> MirrorPost:
    return MirrorPost(url, " ".join(title.split()), published, "", (), True)


def _select_entries(
    root: Any, url: str, sel: MirrorSelectors, now: datetime | None
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
        href = (link.get("href") or "").strip() if link is not None else ""
        if not href:
            continue
        title_el = _first(item, sel.title)
        title = _element_text(title_el) if title_el is not None else ""
        date_el = _first(item, sel.date) if sel.date else item
        date_text = _element_text(date_el) if date_el is not None else ""
        posts.append(_list_post(title or href, urljoin(url, href),
                                parse_display_date(date_text, now)))
    return posts, ""


def _first(item: Any, selector: str) -> Any:
    found = item.cssselect(selector)
    return found[0] if found else None


def _detect_entries(text: str, root: Any, url: str, now: datetime | None) -> list[MirrorPost]:
    """The crawler's dated-list detection, completed by the mirror-only one.

    Mirrors of Weibo/Douyin show their newest posts as "3小时前" or "昨天 10:00", which
    the column detection (absolute dates only) skips; losing the newest posts would make
    a live account look silent. So when ``_fallback_entries`` reads the same list (or the
    column detection found none), its extra entries are added, and its datetimes (with
    time of day) replace same-day dates.
    """
    analysis = analyse(text.encode("utf-8"), url, header_charset="utf-8",
                       as_of=now.date() if now else None)
    column = analysis.column
    entries = column.entries if column is not None and column.entries else analysis.dated_links
    extra = {post.url: post for post in _fallback_entries(root, url, now)}
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


def _fallback_entries(root: Any, url: str, now: datetime | None) -> list[MirrorPost]:
    """Largest group of sibling elements that each hold one link and one date."""
    groups: dict[Any, list[MirrorPost]] = {}
    seen: set[Any] = set()
    for link in root.xpath("//body//a[@href]"):
        item = _dated_ancestor(link, now)
        if item is None or item[0] in seen:
            continue
        element, published = item
        seen.add(element)
        title = link.get("title") or _element_text(link)
        post = _list_post(title, urljoin(url, link.get("href").strip()), published)
        groups.setdefault((element.getparent(), element.tag), []).append(post)
    return max(groups.values(), key=len) if groups else []


def _dated_ancestor(link: Any, now: datetime | None) -> tuple[Any, datetime] | None:
    link_text = link.text_content()
    element = link
    for _ in range(4):
        element = element.getparent()
        if element is None or element.tag == "body":
            return None
        if len(element.xpath(".//a[@href]")) > 3:
            return None
        rest = element.text_content().replace(link_text, " ", 1)
        published = parse_display_date(rest, now)
        if published is not None:
            return element, published
    return None


def _drop_future(result: MirrorResult, as_of: date) -> MirrorResult:
    limit = as_of + timedelta(days=1)
    posts, notes = [], list(result.notes)
    for post in result.posts:
        if post.published is not None and post.published.date() > limit:
            notes.append(f"文章日期 {post.published:%Y-%m-%d} 晚于检查日期 {as_of}，已忽略：{post.url}")
            post = replace(post, published=None)
        posts.append(post)
    return replace(result, posts=tuple(posts), notes=tuple(notes))


# --- a post's own page -------------------------------------------------------------


def parse_post_page(body: bytes, url: str, content_type: str = "") -> MirrorPost:
    """Title, publish time, full text (no script/style) and links of a post's page.

    A WeChat article's time is its script timestamp, else its visible date (a relative
    one against the page's server time). Any other page gets the crawler's publish-date
    choice (visible date first, then meta, then URL), with the time of day taken from a
    meta tag or a labelled date of the same day. Text and links come from the WeChat
    content block, else the page's main text as ``crawler.extract`` reads it.
    """
    raw, _codec = decode_html(body, _charset(content_type))
    root = _tree(raw)
    if root is None or root.find("body") is None:
        return MirrorPost(url, "", wechat_publish_time(raw), "", (), False)
    meta = _meta(root)
    title = _page_title(root, meta)
    published = wechat_publish_time(raw)
    visible = root.xpath("//*[@id='publish_time' or @id='post-date']")
    if published is None and visible:
        published = parse_display_date(_element_text(visible[0]), _server_time(raw))
    _strip_noise(root)
    wechat = root.xpath("//*[@id='js_content']")
    if wechat:
        content = wechat[0]
        return MirrorPost(url, title, published, _element_text(content, blocks=True),
                          _links_in(content, url), False)
    analysis = analyse(raw.encode("utf-8"), url, header_charset="utf-8")
    content = _content_element(root)
    if published is None:
        published = _with_time(analysis.dates.published, meta, analysis.text)
    title = title or analysis.title
    text = _without_title(analysis.text or _element_text(content, blocks=True), title)
    return MirrorPost(url, title, published, text, _links_in(content, url), False)


def _without_title(text: str, title: str) -> str:
    """The page text repeats the title (<title>, <h1>); the post keeps it in ``title`` once."""
    lines = text.split("\n")
    while lines and title and lines[0].strip() == title:
        lines.pop(0)
    return "\n".join(lines)


def _with_time(day: date | None, meta: dict[str, str], text: str) -> datetime | None:
    """``day`` at the time a meta tag or labelled date gives for that same day."""
    precise = [found for found in (_meta_time(meta), _text_time(text)) if found is not None]
    if day is None:
        return precise[0] if precise else None
    same = [found for found in precise if found.date() == day]
    return same[0] if same else datetime.combine(day, time())


def _text_time(text: str) -> datetime | None:
    labelled = _DATE_LABEL.search(text)
    if labelled is not None:
        found = parse_absolute(text[labelled.end(): labelled.end() + 40])
        if found is not None:
            return found
    return parse_absolute(text)


def _meta(root: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in root.xpath("//meta[@content]"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        if key and key not in found:
            found[key] = node.get("content", "").strip()
    return found


def _meta_time(meta: dict[str, str]) -> datetime | None:
    for key in _META_DATES:
        if meta.get(key):
            found = parse_absolute(meta[key])
            if found is not None:
                return found
    return None


def _page_title(root: Any, meta: dict[str, str]) -> str:
    for node in root.xpath("//*[@id='activity-name'] | //h1"):
        title = " ".join(node.text_content().split())
        if title:
            return title
    fallback = meta.get("og:title") or (root.findtext(".//title") or "")
    return " ".join(html.unescape(fallback).split())


def _content_element(root: Any) -> Any:
    for path in ("//article", "//*[@id='content']", "//body"):
        found = root.xpath(path)
        if found:
            return found[0]
    return root


_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
