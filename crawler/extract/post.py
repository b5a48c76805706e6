"""A post's own page (an account's article): title, publish time, full text and links.

A WeChat article's time is its script timestamp, else its visible date (a relative one
against the page's server time). Any other page gets the crawler's publish-date choice
(``analyse``: visible date first, then meta, then URL) at the time of day a same-day
candidate states, else the first date on the page. Text and links come from the WeChat
content block, else the page's main text as ``analyse`` reads it.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from lxml import html

from crawler.extract import wechat
from crawler.extract.encoding import decode_html, header_charset
from crawler.extract.layout import block_text, drop_invisible, line_text
from crawler.extract.model import MirrorPost
from crawler.extract.moments import parse_moment, parse_shown
from crawler.extract.page import analyse, page_title
from crawler.extract.references import content_links
from crawler.extract.tree import parse_document


def parse_post_page(
    body: bytes, url: str, content_type: str = "", *, tz: ZoneInfo | str
) -> MirrorPost:
    """The post on one page, its time as wall time of ``tz``."""
    raw, _codec = decode_html(body, header_charset(content_type))
    root = parse_document(raw)
    if root is None or root.find("body") is None:
        return MirrorPost(url, "", wechat.publish_time(raw, tz), "", (), False)
    title = _title(root)
    published = wechat.publish_time(raw, tz)
    shown = wechat.shown_date(root)
    if published is None and shown is not None:
        published = parse_shown(shown, wechat.server_time(raw, tz), tz)
    drop_invisible(root)
    article = wechat.content(root)
    if article is not None:
        return MirrorPost(url, title, published, block_text(article),
                          content_links(article, url), False)
    analysis = analyse(raw.encode("utf-8"), url, header_charset="utf-8", tz=tz)
    if published is None and analysis.dates.published is not None:
        published = datetime.combine(analysis.dates.published,
                                     analysis.dates.time_of_day or time())
    if published is None:  # no date the crawler trusts: the first one the text shows
        published = parse_moment(analysis.text, tz)
    content = _content_element(root)
    text = _without_title(analysis.text or block_text(content), title)
    return MirrorPost(url, title, published, text, content_links(content, url), False)


def _title(root: html.HtmlElement) -> str:
    """The article's own headline (WeChat's, else the first <h1>), else og:title, else <title>."""
    heading = wechat.title(root) or next((t for t in map(line_text, root.iter("h1")) if t), "")
    if heading:
        return heading
    og = root.xpath("//meta[@property='og:title' or @name='og:title']/@content")
    return (" ".join(str(og[0]).split()) if og else "") or page_title(root)


def _without_title(text: str, title: str) -> str:
    """The page text repeats the title (<title>, <h1>); the post keeps it in ``title`` once."""
    lines = text.split("\n")
    while lines and title and lines[0].strip() == title:
        lines.pop(0)
    return "\n".join(lines)


def _content_element(root: html.HtmlElement) -> html.HtmlElement:
    for path in ("//article", "//*[@id='content']", "//body"):
        found = root.xpath(path)
        if found:
            return found[0]
    return root
