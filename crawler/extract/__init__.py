"""Pure extraction for the crawler: bytes/str/lxml trees in, frozen dataclasses out.

No network, no database, no Scrapy. ``analyse`` is the one call the spider makes per
HTML page; the other functions are the pieces it is built from, exported for attachments,
column typing and soft-404 detection.
"""

from crawler.extract.attachments import attachment_kind, attachment_text
from crawler.extract.columns import column_type
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
    "column_type",
    "css_references",
    "decode_html",
    "parse_date",
]
