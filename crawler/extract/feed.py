"""Feeds of account mirrors: RSS, Atom (through feedparser) and JSON Feed, to ``MirrorResult``.

An entry with only a short summary (under 200 characters, or ending in an ellipsis) and
no full content has ``needs_fetch``: the crawler fetches the post's page.

A feed that is not well-formed XML but from which feedparser's lenient parser still reads
entries with links (a truncated download, one stray ``&``) is ``ok``: its posts are real,
and the parse problem is kept in ``notes``. Dropping them would report a posting account
as broken or silent.
"""

from __future__ import annotations

import html
import json
import re
import xml.sax
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

import feedparser

from crawler.extract.layout import block_text, collapse, drop_invisible
from crawler.extract.model import MirrorPost, MirrorResult
from crawler.extract.moments import parse_moment, to_wall
from crawler.extract.references import content_links
from crawler.extract.tree import parse_fragment

_FULL_TEXT_CHARS = 200


def fragment_text(markup: str, *, blocks: bool = True) -> str:
    """The visible text of an HTML fragment: blocks on lines, or one line (``blocks=False``)."""
    if "<" not in markup:
        return " ".join(html.unescape(markup).split())
    body = parse_fragment(markup)
    if body is None:
        return " ".join(markup.split())
    drop_invisible(body)
    text = block_text(body) if blocks else collapse(body.text_content())
    return text if blocks else text.replace("\n", " ")


def fragment_links(markup: str, base: str) -> tuple[str, ...]:
    if "<" not in markup:
        return ()
    body = parse_fragment(markup)
    return () if body is None else content_links(body, base)


def parse_feed(body: bytes, url: str, codec: str, text: str, tz: ZoneInfo | str) -> MirrorResult:
    """Posts of an RSS/Atom feed; ``text`` is ``body`` decoded with ``codec``."""
    # The codec decode_html found is the one that decodes (headers and XML declarations
    # lie about GBK); a text/html or text/plain type on a feed would make feedparser
    # treat it as non-XML.
    ctype = f"application/xml; charset={codec}"
    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": ctype})
    kind = _feed_kind(str(parsed.get("version", "")), text)
    broken = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not isinstance(broken, xml.sax.SAXException):
        broken = None
    posts = [post for post in (_feed_post(e, url, tz) for e in parsed.entries) if post is not None]
    dropped = len(parsed.entries) - len(posts)
    notes = [f"{dropped} 条条目没有链接，已跳过"] if dropped else []
    if broken is not None and not posts:
        return MirrorResult("malformed", f"订阅源 XML 格式错误：{_sax_message(broken)}", (), kind)
    if broken is not None:
        notes.append(f"订阅源 XML 格式错误（{_sax_message(broken)}），已宽松读取 {len(posts)} 篇")
    if not parsed.get("version") and not posts:
        return MirrorResult("malformed", "不是有效的 RSS/Atom 订阅源", (), kind)
    feed = parsed.get("feed") or {}
    title = " ".join(fragment_text(str(feed.get("title", "")), blocks=False).split())
    # RSSHub writes the time it built the feed as lastBuildDate; elsewhere a feed's updated
    # time is often its newest entry's (Atom), which says nothing about the mirror.
    rsshub = "rsshub" in str(feed.get("generator", "")).lower()
    built = _struct_time(feed.get("updated_parsed"), tz) if rsshub else None
    if not posts:
        return MirrorResult("empty", "订阅源中没有任何文章", (), kind, notes=tuple(notes),
                            title=title, built=built)
    return MirrorResult("ok", "", tuple(posts), kind, notes=tuple(notes), title=title,
                        built=built)


def _struct_time(value: Any, tz: ZoneInfo | str) -> datetime | None:
    """A feedparser UTC struct_time as wall time of ``tz`` (naive), as the store keeps it."""
    if not value:
        return None
    try:
        return to_wall(datetime(*value[:6]).replace(tzinfo=UTC), tz)
    except (TypeError, ValueError):
        return None


def parse_json_feed(body: bytes, url: str, tz: ZoneInfo | str) -> MirrorResult:
    """JSON Feed 1.x (RSSHub ``?format=json``, WeWe RSS), which feedparser 6.0 cannot read."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return MirrorResult("malformed", f"镜像返回的 JSON 无法解析：{error}", (), "json")
    if not isinstance(data, dict) or "jsonfeed.org" not in str(data.get("version", "")):
        return MirrorResult("malformed", "镜像返回的 JSON 不是 JSON Feed 订阅源", (), "json")
    items = data.get("items") or []
    posts = [post for post in (_json_post(item, url, tz) for item in items) if post is not None]
    title = " ".join(html.unescape(str(data.get("title") or "")).split())
    if not posts:
        return MirrorResult("empty", "订阅源中没有任何文章", (), "json", title=title)
    return MirrorResult("ok", "", tuple(posts), "json", title=title)


def _json_post(item: Any, feed_url: str, tz: ZoneInfo | str) -> MirrorPost | None:
    link = (item.get("url") or item.get("external_url")) if isinstance(item, dict) else None
    if not link:
        return None
    url = urljoin(feed_url, str(link))
    markup = item.get("content_html") or html.escape(item.get("content_text") or "")
    full = fragment_text(markup)
    when = item.get("date_published") or item.get("date_modified") or ""
    return MirrorPost(
        url=url,
        # JSON Feed titles are plain text, but mirrors copy them from HTML still escaped
        title=" ".join(html.unescape(str(item.get("title") or "")).split()),
        published=parse_moment(str(when), tz),
        text=full or str(item.get("summary") or ""),
        links=fragment_links(markup, url),
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


def _feed_post(entry: Any, feed_url: str, tz: ZoneInfo | str) -> MirrorPost | None:
    link = entry.get("link") or ""
    if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
        link = entry["id"]
    if not link:
        return None
    url = urljoin(feed_url, link.strip())
    detail = entry.get("title_detail") or {}
    title = entry.get("title", "")
    if "html" in detail.get("type", ""):
        title = fragment_text(title, blocks=False)
    contents = [c.get("value", "") for c in entry.get("content", [])]
    full = max(contents, key=len) if contents else ""
    markup = full or entry.get("summary", "")
    text = fragment_text(markup)
    short = len(text) < _FULL_TEXT_CHARS or text.rstrip().endswith(("...", "…"))
    return MirrorPost(
        url=url,
        title=" ".join(title.split()),
        published=_entry_time(entry, tz),
        text=text,
        links=fragment_links(markup, url),
        needs_fetch=not full and short,
    )


def _entry_time(entry: Any, tz: ZoneInfo | str) -> datetime | None:
    for key in ("published", "updated", "created", "date"):
        raw = entry.get(key)
        if raw:
            parsed = parse_moment(str(raw), tz)
            if parsed is not None:
                return parsed
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        moment = entry.get(key)
        if moment:  # feedparser normalises to UTC
            return to_wall(datetime(*moment[:6]).replace(tzinfo=UTC), tz)
    return None
