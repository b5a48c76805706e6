"""The values extraction returns: frozen dataclasses, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any


@dataclass(frozen=True)
class Reference:
    """One outbound reference of a page, resolved and normalised."""

    url: str
    tag: str
    attr: str
    anchor: str = ""


@dataclass(frozen=True)
class DateInfo:
    """The page's publish date, where it came from, and every candidate seen."""

    published: date | None
    source: str
    candidates: dict[str, str] = field(default_factory=dict)
    disagreement: bool = False
    invalid: tuple[str, ...] = ()
    # the time of day a candidate of the same day states (a meta tag, 发布时间：… 09:00)
    time_of_day: time | None = None


@dataclass(frozen=True)
class ListEntry:
    title: str
    url: str
    published: date | None


@dataclass(frozen=True)
class ColumnInfo:
    """A column (栏目) list page: its entries, or why it is blank."""

    name: str
    entries: tuple[ListEntry, ...]
    blank: bool
    placeholder: str | None
    next_pages: tuple[str, ...]
    needs_render: bool


@dataclass(frozen=True)
class LetterInfo:
    """A letter (来信/留言/咨询): asked and replied dates and its status."""

    url: str
    title: str
    asked: date | None
    replied: date | None
    status: str


@dataclass(frozen=True)
class PageAnalysis:
    """Everything the spider and the checks need from one HTML page."""

    url: str
    base_url: str
    encoding: str
    title: str
    text: str
    footer: str
    references: tuple[Reference, ...]
    dates: DateInfo
    nav: tuple[tuple[str, str], ...]
    column: ColumnInfo | None
    dated_links: tuple[ListEntry, ...]
    letters: tuple[LetterInfo, ...]
    error_like: bool
    meta_refresh: str | None
    canonical_charset_fixed: bool = False
    boilerplate: str = ""  # nav/header text left out of ``text``; scan it once per site
    # an empty list container and a script that looks like it fills it (XHR/JSON/template):
    # lists on this page (homepage items too) are only trustworthy after rendering
    needs_render: bool = False
    # hidden elements and links, external scripts, meta text (crawler.extract.security)
    security: dict[str, Any] = field(default_factory=dict)
    # tables (merged cells expanded) of a page that looks like an annual report
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()


@dataclass(frozen=True)
class MirrorPost:
    """One post of a new-media account, as its mirror or its own page shows it."""

    url: str
    title: str
    published: datetime | None  # naive wall time of the configured zone
    text: str
    links: tuple[str, ...]
    needs_fetch: bool  # the mirror gives no full text: fetch the post's own page


@dataclass(frozen=True)
class MirrorResult:
    """What one mirror response holds, and its status (see ``crawler.extract.mirror``)."""

    status: str  # ok | malformed | empty
    error: str
    posts: tuple[MirrorPost, ...]
    kind: str  # rss | atom | json | html | unknown
    needs_render: bool = False  # an HTML shell whose list scripts fill: render, parse again
    notes: tuple[str, ...] = ()
    title: str = ""  # the feed's own title (RSSHub: the account's name on the platform)
    built: datetime | None = None  # when RSSHub says it built the feed (lastBuildDate)
