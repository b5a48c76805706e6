"""What spiders yield and the store pipeline persists: plain dataclasses, no judgement."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class PageItem:
    site: str
    url: str
    final_url: str
    status: int | None
    kind: str  # page | attachment
    content_type: str
    encoding: str
    title: str
    text: str | None
    published: date | None
    dates: dict[str, Any]
    content_hash: str
    etag: str
    last_modified: str
    fetched_at: datetime
    elapsed_ms: int
    size: int
    rendered: bool = False
    unchanged: bool = False
    is_homepage: bool = False
    footer: str = ""
    redirects: tuple[str, ...] = ()
    note: str = ""
    security: dict[str, Any] = field(default_factory=dict)
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()
    column_root: str | None = None  # the list's first page, for a further page of a list


@dataclass(frozen=True)
class TargetItem:
    """What happened to a checked URL: its status and failure class (None: fetched fine)."""

    site: str
    url: str
    in_scope: bool
    status: int | None
    failure: str | None
    attempts: int
    redirects: tuple[str, ...]
    checked_at: datetime
    content: dict[str, Any] = field(default_factory=dict)  # an outbound page's title/text start


@dataclass(frozen=True)
class VisitItem:
    """Where one kind of visitor (plain, spider, search, mobile) was sent by a page."""

    site: str
    url: str
    visitor: str
    status: int | None
    failure: str | None
    hops: tuple[str, ...]
    refresh: str
    scripts: tuple[tuple[str, ...], ...]
    at: datetime


@dataclass(frozen=True)
class LinksItem:
    """Every reference of one page: one item per page, not per link (Scrapy's item path
    costs more than the insert)."""

    site: str
    source: str
    links: tuple[tuple[str, str, str], ...]  # (target, tag, anchor)


@dataclass(frozen=True)
class EntryData:
    title: str
    url: str
    published: date | None


@dataclass(frozen=True)
class ColumnItem:
    site: str
    url: str
    name: str
    blank: bool
    placeholder: str
    top_level: bool
    entries: tuple[EntryData, ...]
    pages: int = 1
    rendered: bool = False
    role: str = ""  # "" | repost (a list of a level above, ``[[sites]] repost_from``)


@dataclass(frozen=True)
class HomeItemsItem:
    site: str
    entries: tuple[EntryData, ...]


@dataclass(frozen=True)
class LetterItem:
    site: str
    url: str
    source: str
    title: str
    asked: date | None
    replied: date | None
    status: str


@dataclass(frozen=True)
class AccountRunItem:
    account: str
    platform: str
    url: str
    status: str  # ok | unreachable | malformed | empty | wrong_account | mirror_stale
    error: str
    fetched_at: datetime


@dataclass(frozen=True)
class PostItem:
    account: str
    url: str
    title: str
    published: datetime | None
    text: str
    links: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ColumnMoreItem:
    """Entries from a further page (index_1.html, 下一页) of a column already stored."""

    site: str
    root: str
    entries: tuple[EntryData, ...]


@dataclass(frozen=True)
class UnchangedItem:
    """A page that answered 304 or the same content hash: copy what the last run stored."""

    site: str
    url: str
    previous_run: int
    fetched_at: datetime
    elapsed_ms: int


@dataclass(frozen=True)
class KeptItem:
    """A page, attachment or link target not requested this patrol (``crawler.previous``):
    what the last run stored of it is carried over as it was, with its old fetch time."""

    site: str
    url: str
    previous_run: int
    page: bool  # a page or attachment (page rows and target); else only its target row
