"""WeChat (mp.weixin.qq.com) article pages: the publish time their script carries, and their blocks.

A WeChat article page shows its date relative to the reader's clock ("昨天", "3天前"), so
the visible date of a saved page is useless on its own. The page script carries the
real publish time as a Unix timestamp (``var ct = "1581517074"``; newer templates also
``create_time``/``ori_create_time``/``createTime``) or as a date (``var publish_time =
"2017-03-03"``), and the moment it served the page (``svr_time``), the clock a visible
"昨天" refers to. Times are wall time of the zone the caller passes.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from lxml import html

from crawler.extract.layout import line_text
from crawler.extract.moments import from_epoch, parse_moment

# Ordered by trust: the creation timestamp first, a date-only publish_time last.
_SCRIPT_KEYS = ("ct", "create_time", "ori_create_time", "createTime", "publish_time", "publishTime")
_SCRIPT_VALUE = r"""["']?\b{key}["']?\s*[:=]\s*["']([^"'\n]{{1,40}})["']"""
_SCRIPT_PATTERNS = tuple(re.compile(_SCRIPT_VALUE.format(key=re.escape(key))) for key in _SCRIPT_KEYS)
_SERVER_TIME = re.compile(r"""\bsvr_time\s*=\s*["'](\d{10})["']""")


def _script_value(raw: str, tz: ZoneInfo | str) -> datetime | None:
    raw = raw.strip()
    return from_epoch(raw, tz) or parse_moment(raw, tz)


def publish_time(page: str, tz: ZoneInfo | str) -> datetime | None:
    """The publish time a WeChat article page keeps in its script, or None without one.

    Without it the caller falls back to the visible date (``shown_date``).
    """
    for pattern in _SCRIPT_PATTERNS:
        for match in pattern.finditer(page):
            found = _script_value(match.group(1), tz)
            if found is not None:
                return found
    return None


def server_time(page: str, tz: ZoneInfo | str) -> datetime | None:
    """When WeChat served the page (``svr_time``): the clock a visible "昨天" refers to."""
    match = _SERVER_TIME.search(page)
    return from_epoch(match.group(1), tz) if match else None


def shown_date(root: html.HtmlElement) -> str | None:
    """The text of the visible date (``#publish_time``; ``#post-date`` in 2017 templates)."""
    found = root.xpath("//*[@id='publish_time' or @id='post-date']")
    return line_text(found[0]) if found else None


def title(root: html.HtmlElement) -> str:
    """The article title (``#activity-name``), or "" on other pages."""
    for node in root.xpath("//*[@id='activity-name']"):
        text = line_text(node)
        if text:
            return text
    return ""


def content(root: html.HtmlElement) -> html.HtmlElement | None:
    """The article body (``#js_content``), or None on other pages."""
    found = root.xpath("//*[@id='js_content']")
    return found[0] if found else None
