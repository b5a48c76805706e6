"""Read a new-media account's mirror: a JSON Feed, an RSS/Atom feed, or an HTML list page.

Pure functions of bytes: the spider fetches, these parse. Publish times are naive wall
time of the zone the caller passes (the configured ``schedule.timezone``), like the
store's ``DateTime`` columns.

Status of a mirror (``MirrorResult.status``), so that a broken mirror is never mistaken
for a silent account:

- ``ok``: posts were read, or the page is a script shell (``needs_render``) to render.
- ``empty``: a valid feed with no entries, or a list page showing a placeholder (暂无…).
- ``malformed``: not a feed nor a readable list: XML that is not well-formed and yields
  no usable entry, binary data, an empty body, an HTML page with no dated list (or one
  the configured selectors do not match), a rendered page still without posts.

Posts from a list page, or from a feed entry with only a short summary, have
``needs_fetch``: the crawler fetches the post's page and reads it with
``crawler.extract.post.parse_post_page``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.settings import MirrorSelectors
from crawler.extract.encoding import decode_html, header_charset
from crawler.extract.feed import parse_feed, parse_json_feed
from crawler.extract.listing import parse_listing
from crawler.extract.model import MirrorResult

_FEED_ROOT = re.compile(r"<(rss|feed|rdf:rdf)\b", re.IGNORECASE)
_HTML_ROOT = re.compile(r"<(!doctype\s+html|html|head|body)\b", re.IGNORECASE)


def parse_mirror(
    body: bytes,
    url: str,
    content_type: str = "",
    *,
    tz: ZoneInfo | str,
    selectors: MirrorSelectors | None = None,
    as_of: date | None = None,
    fetched_at: datetime | None = None,
    rendered: bool = False,
) -> MirrorResult:
    """Posts of one mirror response, their times as wall time of ``tz``.

    ``as_of`` drops publish dates later than the day after it (kept as ``None``, with a
    note). ``fetched_at`` (default: noon of ``as_of``) resolves relative dates such as
    "3小时前" on HTML lists. ``rendered=True`` says the body already is Chromium's
    rendering, so an empty page is reported as such instead of asking to render again.
    """
    if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        result = parse_json_feed(body, url, tz)
        return _drop_future(result, as_of) if as_of else result
    junk = _junk_reason(body)
    if junk:
        return MirrorResult("malformed", junk, (), "unknown")
    text, codec = decode_html(body, header_charset(content_type))
    if _is_feed(text, content_type):
        result = parse_feed(body, url, codec, text, tz)
    else:
        now = fetched_at or (datetime.combine(as_of, time(12)) if as_of else None)
        result = parse_listing(text, url, selectors, now, rendered, tz)
    return _drop_future(result, as_of) if as_of else result


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


def _drop_future(result: MirrorResult, as_of: date) -> MirrorResult:
    limit = as_of + timedelta(days=1)
    posts, notes = [], list(result.notes)
    for post in result.posts:
        if post.published is not None and post.published.date() > limit:
            notes.append(f"文章日期 {post.published:%Y-%m-%d} 晚于检查日期 {as_of}，已忽略：{post.url}")
            post = replace(post, published=None)
        posts.append(post)
    return replace(result, posts=tuple(posts), notes=tuple(notes))


_TITLE_NOISE = re.compile(r"(的微博|的抖音|的头条|的 ?bilibili.*|的公众号|微信公众号|公众号|"
                          r"今日头条|头条号|抖音|微博|[\s\-—|_·:：（）()【】\[\]])")


def _core(title: str) -> str:
    return _TITLE_NOISE.sub("", title)


def mirror_problem(result: MirrorResult, expected: str, fetched_at: datetime,
                   max_age_hours: float) -> tuple[str, str] | None:
    """(status, error) when a mirror that answered cannot be trusted ("we are blind").

    ``wrong_account``: the feed is titled with another account's name (``expected`` is the
    name the mirror should carry; empty: not checked). ``mirror_stale``: the feed says it was
    built more than ``max_age_hours`` before we fetched it — the mirror serves an old copy,
    so its newest post says nothing about the account.
    """
    if result.status not in ("ok", "empty"):
        return None
    if expected and result.title:
        have, want = _core(result.title), _core(expected)
        if have and want and want not in have and have not in want:
            return ("wrong_account",
                    f"镜像返回的是「{result.title}」的内容，不是「{expected}」：请检查账号 ID 或镜像地址")
    if result.built is not None and fetched_at - result.built > timedelta(hours=max_age_hours):
        return ("mirror_stale",
                f"镜像自 {result.built:%Y-%m-%d %H:%M} 起未再更新（超过 {max_age_hours:g} 小时）："
                "镜像服务可能已无法抓取该平台，不能据此判断账号是否更新")
    return None
