"""Pure extraction for the crawler: bytes/str/lxml trees in, frozen dataclasses out.

No network, no database, no Scrapy. One package for every page the crawler reads:

- site pages: ``analyse`` (``page``), the one call the site spider makes per HTML page;
  the other functions exported here are the pieces it is built from, for attachments,
  column typing and soft-404 detection;
- account mirrors: ``crawler.extract.mirror.parse_mirror`` (feeds in ``feed``, HTML list
  pages in ``listing``) and a post's own page, ``crawler.extract.post.parse_post_page``
  (WeChat's markup in ``wechat``).

All of them share the same dates (``dates``; times of day, machine formats, epochs and
relative dates in ``moments``), parser (``tree``), text and noise stripping (``layout``)
and links (``references``). Times are wall time of a zone the caller passes.
"""

from crawler.extract.attachments import attachment_kind, attachment_text
from crawler.extract.dates import parse_date
from crawler.extract.encoding import decode_html
from crawler.extract.model import (
    ColumnInfo,
    DateInfo,
    LetterInfo,
    ListEntry,
    PageAnalysis,
    Reference,
)
from crawler.extract.notfound import NotFoundProfile
from crawler.extract.page import analyse
from crawler.extract.references import css_references

__all__ = [
    "ColumnInfo",
    "DateInfo",
    "LetterInfo",
    "ListEntry",
    "NotFoundProfile",
    "PageAnalysis",
    "Reference",
    "analyse",
    "attachment_kind",
    "attachment_text",
    "css_references",
    "decode_html",
    "parse_date",
]
