"""analyse(): one HTML page in, one PageAnalysis out."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime

from lxml import html

from crawler.extract import layout
from crawler.extract.columns import (
    current_tab,
    find_column,
    find_dated_links,
    next_pages,
    scripted_lists,
)
from crawler.extract.dates import (
    date_info,
    headline_date,
    in_range,
    parse_date,
    url_date,
    visible_span,
)
from crawler.extract.encoding import canonical_encoding, decode_html
from crawler.extract.letters import find_letters
from crawler.extract.model import DateInfo, PageAnalysis
from crawler.extract.moments import Zone, moment_at, parse_moment, same_day_time, timed_moment
from crawler.extract.notfound import looks_like_error
from crawler.extract.references import (
    base_url,
    extract_references,
    normalise_url,
    refresh_target,
)
from crawler.extract.rows import find_blocks
from crawler.extract.security import page_facts
from crawler.extract.tables import html_tables, wants_tables
from crawler.extract.tree import CONTROL_CHARS, parse_document

_META_DATE_NAMES = (
    "pubdate", "publishdate", "publish_date", "publishtime", "publish-date", "article:published_time",
    "og:published_time", "og:release_date", "dc.date", "dc.date.issued", "dc.date.created",
    "dcterms.created", "dcterms.issued", "firstpublishedtime", "createdate", "created", "date",
    "publication_date", "sailthru.date", "article:published", "datepublished", "releasedate",
    "pubtime", "publish_time", "release_date", "articlereleasetime", "dc.date.available",
)
_JSON_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


def _is_junk(text: str) -> bool:
    """Binary bytes served as text/html: NULs or a high share of control/replacement chars."""
    head = text[:4096]
    if not head:
        return False
    bad = len(CONTROL_CHARS.findall(head)) + head.count("\ufffd")
    return "\x00" in head or bad * 20 > len(head)


def _parse(text: str) -> html.HtmlElement:
    root = parse_document(text)
    return root if root is not None else html.document_fromstring("<html><body></body></html>")


def _meta_values(root: html.HtmlElement) -> Iterator[str]:
    """Values of publish-date meta tags and <time pubdate> elements, in document order."""
    for el in root.iter("meta"):
        key = (el.get("name") or el.get("property") or el.get("itemprop") or "").lower()
        if key in _META_DATE_NAMES and el.get("content"):
            yield el.get("content", "")
    for el in root.iter("time"):
        if el.get("pubdate") is not None or "publish" in (el.get("class") or ""):
            yield el.get("datetime") or el.text_content()


def _meta_day(raw: str, as_of: date | None, tz: Zone) -> date | None:
    """parse_date, else the day of a machine format it cannot read (RFC 822)."""
    value = parse_date(raw, as_of=as_of)
    if value is None:
        moment = parse_moment(raw, tz)
        value = in_range(moment.date(), as_of) if moment is not None else None
    return value


def _meta_date(
    root: html.HtmlElement, scripts: list[str], as_of: date | None, tz: Zone
) -> tuple[date | None, datetime | None]:
    """The publish date that meta data states, and the first time of day a meta value states."""
    values = list(_meta_values(root))
    timed = next(filter(None, (timed_moment(raw, tz) for raw in values)), None)
    for raw in values:
        value = _meta_day(raw, as_of, tz)
        if value is not None:
            return value, timed
    for script in scripts:
        m = _JSON_DATE.search(script)
        if m:
            return _meta_day(m.group(1), as_of, tz), timed_moment(m.group(1), tz)
    return None, None


def page_title(root: html.HtmlElement) -> str:
    """The <title> text, else the first <h1>'s, on one line."""
    el = root.find(".//title")
    text = el.text_content() if el is not None else ""
    if not text.strip():
        h1 = next(root.iter("h1"), None)
        text = h1.text_content() if h1 is not None else ""
    return layout.collapse(text).replace("\n", " ")[:500]


def _body_text(root: html.HtmlElement) -> str:
    body = root.find("body")
    return layout.collapse((body if body is not None else root).text_content())


def headline(root: html.HtmlElement, title: str) -> str:
    """The article headline: the h1 (or h2) text when there is one, else the title's start."""
    for tag in ("h1", "h2"):
        el = next(root.iter(tag), None)
        if el is not None:
            text = layout.collapse(el.text_content()).replace("\n", " ")
            if len(text) >= 4:
                return text
    return re.split(r"\s*[-_|｜—]+\s*", title)[0] if title else ""


_HEADLINE_LABEL = re.compile(r"(?:title|tit|biaoti|headline|(?:^|[-_\s])bt)(?:$|[-_\s\d])", re.I)
_TITLE_PARTS = re.compile(r"\s*(?:[-_|｜—–]+|::)\s*")
# what a site's name ends with (a <title> that is nothing more says nothing of the page)
_SITE_TITLE = re.compile(
    r"(?:人民政府|政府网|门户网站|网站|官网|政府|网|平台|管委会|委员会|\.gov\.cn)$|^(?:首页|主页)$")


def _own_headline(root: html.HtmlElement) -> str:
    """The headline the page shows: an h1/h2, else the innermost element labelled as a
    title (div.article_title), 5-150 characters, not a site name, not a run of links."""
    for tag in ("h1", "h2"):
        for el in root.iter(tag):
            text = layout.collapse(el.text_content()).replace("\n", " ")
            if 5 <= len(text) <= 150 and not _SITE_TITLE.search(text):
                return text
    for el in root.iter("div", "p", "span", "td", "h3", "strong"):
        if not _HEADLINE_LABEL.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            continue
        if any(_HEADLINE_LABEL.search(f"{d.get('class') or ''} {d.get('id') or ''}")
               for d in el.iterdescendants() if isinstance(d.tag, str)):
            continue  # a group of title parts: its innermost title is the headline
        text = layout.collapse(el.text_content()).replace("\n", " ")
        links = sum(len(a.text_content()) for a in el.iter("a"))
        if 5 <= len(text) <= 150 and links < len(text) / 2 and not _SITE_TITLE.search(text):
            return text
    return ""


def article_title(root: html.HtmlElement, title: str) -> str:
    """An article's title: its <title>, unless that is only the site's name (江苏省公共资源
    交易网) or only column and site names (年度计划_平潭综合实验区党工委管委会) while the page
    shows its headline elsewhere; then the headline."""
    parts = [p for p in _TITLE_PARTS.split(title) if p]
    own = [p for p in parts if not _SITE_TITLE.search(p)]
    if own and len(parts) < 2:
        return title
    found = _own_headline(root)
    if not found:
        return title
    if not own or (found not in title and len(found) > max(len(p) for p in own)):
        return found
    return title


def _meta_refresh(root: html.HtmlElement, base: str, encoding: str) -> str | None:
    for el in root.iter("meta"):
        if (el.get("http-equiv") or "").lower() == "refresh":
            target = refresh_target(el.get("content", ""))
            if target:
                return normalise_url(target, base, encoding)
    return None


def _empty(url: str, encoding: str, fixed: bool) -> PageAnalysis:
    return PageAnalysis(
        url=url, base_url=url, encoding=encoding, title="", text="", footer="", references=(),
        dates=DateInfo(None, "none", {}, False, ()), nav=(), column=None, dated_links=(),
        letters=(), error_like=False, meta_refresh=None, canonical_charset_fixed=fixed,
    )


@dataclass(frozen=True)
class _Layout:
    text: str
    footer: str
    nav: tuple[tuple[str, str], ...]
    boilerplate: str


def _split_layout(root: html.HtmlElement, base: str, marks: list[str], *,
                  nav_links: bool = True) -> _Layout:
    """Take navigation and footer out of the tree; what is left is the main text.

    ``nav_links``: also list the navigation's links (else ``nav`` is empty).
    """
    body_len = len(root.text_content())
    footers = layout.footer_blocks(root, body_len)
    navs = [
        n for n in layout.nav_blocks(root, body_len)
        if not any(a in footers for a in n.iterancestors())
    ]
    nav = layout.nav_links(navs, base) if nav_links else ()
    layout.mark_blocks(root)
    boilerplate = "\n".join(layout.collapse(n.text_content()) for n in navs)
    layout.detach(navs)
    # the body's text stands in for a footer only when no footer block was found
    footer = layout.footer_text(footers, root, "" if footers else _body_text(root), marks)
    layout.detach(footers)
    return _Layout(_body_text(root), footer, nav, boilerplate)


def _dates(
    root: html.HtmlElement, url: str, title: str, text: str,
    meta: tuple[date | None, datetime | None], as_of: date | None,
) -> tuple[DateInfo, bool]:
    """The page's DateInfo, and whether a labelled (发布日期 ...) date was on it.

    The time of day comes from the meta moment, else the labelled date, else the first
    date of the text, whichever falls on the chosen day.
    """
    visible, end, rejected = visible_span(text, as_of=as_of)
    labelled = visible is not None
    stated = moment_at(text, visible, end) if visible is not None else None
    if visible is None:
        visible = headline_date(text, headline(root, title), as_of=as_of)
    info = date_info(visible, meta[0], url_date(url, as_of=as_of), rejected)
    if info.published is None:
        return info, labelled
    at = same_day_time(info.published, (meta[1], stated, timed_moment(text, None)))
    return replace(info, time_of_day=at), labelled


def analyse(
    body: bytes, url: str, *, header_charset: str | None = None, as_of: date | None = None,
    tz: Zone = None, nav_links: bool = True,
) -> PageAnalysis:
    """Decode, parse and extract everything the spider stores about one HTML page.

    ``tz`` is the zone a meta date with a UTC offset is read in (its time of day lands in
    ``dates.time``); without it, the offset's own wall time is kept. ``nav_links=False``
    leaves ``nav`` empty: a site's navigation is read from its homepage, and listing it on
    every other page cost a seventh of this function.
    """
    text, encoding = decode_html(body, header_charset)
    declared = canonical_encoding(header_charset)
    fixed = declared is not None and declared != encoding and not body.isascii()
    if _is_junk(text):
        return _empty(url, encoding, fixed)
    root = _parse(layout.datastore_page(text))
    layout.expand_embedded_records(root)
    layout.script_written_titles(root)
    base = base_url(root, url)
    references = extract_references(root, base, encoding)
    security = page_facts(root, base, encoding, url)
    refresh = _meta_refresh(root, base, encoding)
    title = page_title(root)
    marks = layout.identity_marks(root)
    scripts = layout.drop_invisible(root)
    meta = _meta_date(root, scripts, as_of, tz)
    tables = html_tables(root) if wants_tables(title, root) else ()
    # before navigation blocks are taken out: a pager's id is often "...NavigationBar..."
    pages = next_pages(root, base, scripts, url)
    tab = current_tab(root)  # before navigation blocks are taken out
    parts = _split_layout(root, base, marks, nav_links=nav_links)
    dates, labelled = _dates(root, url, title, parts.text, meta, as_of)
    error_like = looks_like_error(root, title, parts.text, article=labelled)
    blocks = find_blocks(root, base, as_of=as_of)
    column = None if error_like else find_column(
        root, base, title=title, text=parts.text, scripts=scripts, as_of=as_of, blocks=blocks,
        article=labelled, pages=pages, tab=tab,
    )
    if column is None:
        title = article_title(root, title)
    return PageAnalysis(
        url=url, base_url=base, encoding=encoding, title=title, text=parts.text,
        footer=parts.footer, references=references, dates=dates, nav=parts.nav, column=column,
        dated_links=find_dated_links(root, base, as_of=as_of, blocks=blocks),
        letters=find_letters(root, base, url=url, title=title, text=parts.text, as_of=as_of),
        error_like=error_like, meta_refresh=refresh, canonical_charset_fixed=fixed,
        boilerplate=parts.boilerplate, needs_render=scripted_lists(root, scripts, parts.text),
        security=security,
        tables=tables,
    )
