"""Repeated dated rows: the (title link, date) pairs that make list blocks and homepage items."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree, html

from crawler.extract.dates import FULL, parse_date
from crawler.extract.layout import collapse
from crawler.extract.model import ListEntry
from crawler.extract.references import normalise_url

ROW_TAGS = frozenset({"li", "tr", "div", "dd", "dt", "p", "dl", "section", "article", "td", "span"})
MAX_ROW_TEXT = 400
MAX_ROW_LINKS = 4
MIN_TITLE = 4
_DATE_AT_END = re.compile(
    r"[\[【(（]?\s*(?:(?:19|20)\d{2}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】)）]?\s*$"
)


@dataclass
class Row:
    element: html.HtmlElement
    entry: ListEntry
    text_len: int


@dataclass
class Block:
    parent: html.HtmlElement
    rows: list[Row]
    undated: int  # rows with a title link but no date

    @property
    def text_len(self) -> int:
        return sum(r.text_len for r in self.rows)


def subtree_stats(root: html.HtmlElement) -> dict[html.HtmlElement, tuple[int, int]]:
    """(text length, link count) of every element, in one post-order pass (linear time)."""
    stats: dict[html.HtmlElement, tuple[int, int]] = {}
    for _, el in etree.iterwalk(root, events=("end",)):
        if not isinstance(el.tag, str):
            continue
        length, links = len(el.text or ""), 1 if el.tag == "a" and el.get("href") else 0
        for child in el:
            sub = stats.get(child, (0, 0))
            length += sub[0] + len(child.tail or "")
            links += sub[1]
        stats[el] = (length, links)
    return stats


def _title_link(row: html.HtmlElement) -> tuple[html.HtmlElement, str] | None:
    best: tuple[html.HtmlElement, str] | None = None
    for a in row.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith("javascript"):
            continue
        text = collapse(a.text_content()).replace("\n", " ")
        title = collapse(a.get("title", "")).replace("\n", " ")
        shown = text.rstrip(".…． ")
        if len(title) > len(text) and (not shown or title.startswith(shown[:4])):
            text = title  # the list shows a cut title ("关于开展安全生产大...")
        if not text:
            img = next(a.iter("img"), None)  # photo news: the picture's alt is the title
            text = collapse(img.get("alt") or "") if img is not None else ""
        if best is None or len(text) > len(best[1]):
            best = (a, text)
    return best


def _row_date(
    row_text: str, title: str, as_of: date | None, year: int | None
) -> tuple[date | None, str]:
    """The row's date (outside its title when possible) and the title without a trailing date."""
    rest = row_text.replace(title, " ", 1) if title else row_text
    value = parse_date(rest, as_of=as_of, year=year) if _has_date(rest) else None
    if value is None:
        tail = _DATE_AT_END.search(title)
        if tail and _has_date(tail.group(0)):
            value = parse_date(tail.group(0), as_of=as_of, year=year)
            if value is not None:
                title = title[: tail.start()].strip()
    return value, title


_MONTH_DAY = re.compile(r"(?<![\d.])\d{1,2}\s*[-/.月]\s*\d{1,2}(?![\d.])")


def _has_date(text: str) -> bool:
    return bool(FULL.search(text)) or bool(_MONTH_DAY.search(text))


def read_row(
    row: html.HtmlElement, base: str, *, as_of: date | None, year: int | None = None,
    after: str = "",
) -> Row | None:
    """A (title link, date) row, or None when the element is not one.

    ``after`` is the text of a link-less sibling right after the row (<dt>title</dt><dd>date</dd>).
    """
    found = _title_link(row)
    if found is None:
        return None
    a, title = found
    if len(title) < MIN_TITLE:
        return None
    text = collapse(row.text_content()).replace("\n", " ")
    if after and not _has_date(text.replace(title, " ", 1)):
        text = f"{text} {collapse(after)}"
    published, title = _row_date(text, title, as_of, year)
    url = normalise_url(a.get("href", ""), base)
    if url is None:
        return None
    return Row(row, ListEntry(title=title[:300], url=url, published=published), len(text))


def _flat_rows(parent: html.HtmlElement, base: str, as_of: date | None) -> list[Row]:
    """Rows without wrappers: <a>title</a><span>date</span><br> repeated inside one parent."""
    links = [c for c in parent if c.tag == "a" and c.get("href")]
    if len(links) < 2:
        return []
    rows: list[Row] = []
    for a in links:
        title = collapse(a.get("title") or a.text_content()).replace("\n", " ")
        after = a.tail or ""
        sibling = a.getnext()
        if sibling is not None and sibling.tag not in ("a", "br", "p", "div", "li"):
            after += " " + sibling.text_content() + (sibling.tail or "")
        if len(title) < MIN_TITLE or not _has_date(after[:40]):
            continue
        published = parse_date(after[:40], as_of=as_of)
        url = normalise_url(a.get("href", ""), base)
        if published is not None and url is not None:
            rows.append(Row(a, ListEntry(title[:300], url, published), len(title) + 12))
    return rows


def _date_sibling(row: html.HtmlElement, stats: dict[html.HtmlElement, tuple[int, int]]) -> str:
    """The text of the next sibling when it is short and has no link (a date cell or <dd>)."""
    sibling = row.getnext()
    if sibling is None or not isinstance(sibling.tag, str):
        return ""
    length, links = stats.get(sibling, (99, 1))
    return sibling.text_content() if links == 0 and length <= 40 else ""


def find_blocks(root: html.HtmlElement, base: str, *, as_of: date | None) -> list[Block]:
    """Parents with at least two row-shaped children that have a title link."""
    stats = subtree_stats(root)
    blocks: list[Block] = []
    for parent in root.iter():
        if not isinstance(parent.tag, str) or len(parent) < 2:
            continue
        kids = [
            c for c in parent
            if isinstance(c.tag, str) and c.tag in ROW_TAGS
            and 1 <= stats.get(c, (0, 0))[1] <= MAX_ROW_LINKS
            and stats.get(c, (MAX_ROW_TEXT + 1, 0))[0] <= MAX_ROW_TEXT
        ]
        if len(kids) < 2:
            flat = _flat_rows(parent, base, as_of)
            if len(flat) >= 2:
                blocks.append(Block(parent, flat, 0))
            continue
        rows = [
            r for r in (read_row(c, base, as_of=as_of, after=_date_sibling(c, stats)) for c in kids)
            if r is not None
        ]
        dated = [r for r in rows if r.entry.published is not None]
        if dated:
            blocks.append(Block(parent, dated, len(rows) - len(dated)))
    return blocks
