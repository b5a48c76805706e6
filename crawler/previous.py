"""What the last complete run stored of each page, for conditional requests and re-patrols.

A page that answers 304, or the same content hash, is not parsed again: the pipeline copies
the last run's rows for it, and the spider follows the references it had then.

Change-likelihood scheduling (``crawler.full_check_days``): an article (an entry of a
column last run) that is linked from a page found unchanged in this run, or listed again
with the same title and date on a list that changed, and that was last fetched fewer than
``full_check_days`` days ago, is not fetched at all: its rows of
the last run are carried over with their old fetch time, so its verdicts stay what they
were. The same holds for attachments and for link targets that were fine last time. Pages
and targets of live items (and of items closed within ``full_check_days``), articles
published within ``recent_days``, targets that failed last time, the homepage and list
pages are always fetched. Each page and target is also due on one day of every ``full_check_days``
(spread by a hash of its URL), so the full checks are spread over the week instead of
falling on one patrol.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from store import crawl, runs
from store.session import engine_of

T = TypeVar("T")
CACHED_SETS = 256  # link sets kept decoded (~5 KB each): a page's are asked for about once
READ_AHEAD = 200  # sets read ahead at most in one query, fewer than CACHED_SETS


@dataclass(frozen=True, slots=True)
class PreviousPage:
    etag: str
    last_modified: str
    content_hash: str
    fetched: int = 0  # date.toordinal() of the last real fetch (0: unknown, always due)


class LinkSets:
    """The last run's link sets, read when a page's references are asked for.

    Holding every page's links decoded cost ~1.4 KB a page (30 MB at 21k pages); an id per
    page costs little. The spider asks from Twisted's reactor thread, so an ask costs at
    most two indexed queries and most asks none: an ask also reads ahead the sets of the
    pages the asked page links to (a list's articles, carried over next), each set once.
    """

    def __init__(self, engine: Engine, sources: dict[str, int]) -> None:
        self.engine = engine
        self.sources = sources  # source -> set id, as PreviousIndex.link_sets
        self.cache: OrderedDict[int, list[tuple[str, str]]] = OrderedDict()
        self.read: set[int] = set()

    def refs(self, set_id: int) -> list[tuple[str, str]]:
        refs = self.cache.get(set_id)
        if refs is None:
            self._read([set_id])
            refs = self.cache[set_id]
        else:
            self.cache.move_to_end(set_id)
        ahead = (self.sources.get(target) for target, _tag in refs)
        unread = [i for i in dict.fromkeys(ahead)
                  if i is not None and i not in self.read]
        if unread:
            self._read(unread[:READ_AHEAD])
        return refs

    def _read(self, set_ids: list[int]) -> None:
        with Session(self.engine) as session:
            found = crawl.link_sets(session, set_ids)
        self.read.update(set_ids)
        for set_id in set_ids:
            self.cache[set_id] = [(target, tag) for target, tag, _anchor in found.get(set_id, [])]
            self.cache.move_to_end(set_id)
        while len(self.cache) > CACHED_SETS:
            self.cache.popitem(last=False)


@dataclass
class PreviousIndex:
    run_id: int | None = None
    pages: dict[str, PreviousPage] = field(default_factory=dict)
    link_sets: dict[str, int] = field(default_factory=dict)  # source -> its link set's id
    attachments: dict[str, int] = field(default_factory=dict)  # url -> ordinal of last fetch
    targets: dict[str, int] = field(default_factory=dict)  # fine last run: url -> checked ordinal
    # entries of lists (not lists themselves): url -> (title, published) as listed
    articles: dict[str, tuple[str, date | None]] = field(default_factory=dict)
    pagers: dict[str, str] = field(default_factory=dict)  # further page of a list -> first page
    reader: LinkSets | None = None

    def refs(self, url: str) -> list[tuple[str, str]]:
        """(target, tag) of the links ``url`` had last run, in document order."""
        set_id = self.link_sets.get(url)
        if set_id is None or self.reader is None:
            return []
        return list(self.reader.refs(set_id))


def due(url: str, last: int, today: date, every_days: int) -> bool:
    """Whether ``url``, last fetched on day ``last`` (an ordinal), must be fetched ``today``
    (wall-clock days of ``schedule.timezone``, as fetch times are stored)."""
    age = today.toordinal() - last
    if last <= 0 or age >= every_days or age < 0:
        return True
    if age == 0:
        return False
    bucket = int.from_bytes(hashlib.blake2b(url.encode(), digest_size=4).digest(), "big")
    return (today.toordinal() - bucket) % every_days == 0


def load_previous(session: Session, site: str) -> PreviousIndex:
    """The newest run that crawled ``site`` to completion; empty when there is none.

    Its link sets are read later through the session's engine, which must stay usable.
    """
    run_id = runs.last_complete_run(session, site)
    if run_id is None:
        return PreviousIndex()
    # A URL recurs in several tables (page, target, entry, link source), and fetch days,
    # dates and validators recur across pages: one object each, not one per row.
    same: dict[Any, Any] = {}

    def one(value: T) -> T:
        return cast(T, same.setdefault(value, value))

    pages: dict[str, PreviousPage] = {}
    attachments: dict[str, int] = {}
    for url, kind, etag, modified, digest, fetched in crawl.page_validators(session, run_id, site):
        if kind == "page":
            pages[one(url)] = PreviousPage(one(etag), one(modified), digest,
                                           one(fetched.toordinal()))
        else:
            attachments[one(url)] = one(fetched.toordinal())
    link_sets = {one(source): set_id
                 for source, set_id in crawl.link_set_ids(session, run_id, site)}
    pagers = {one(url): one(root) for url, root in crawl.pager_roots(session, run_id, site).items()}
    lists = crawl.column_urls(session, run_id, site) | set(pagers)
    listed = {one(url): (title, one(published)) for url, title, published in
              crawl.entries(session, run_id, site) if url in pages and url not in lists}
    targets = {one(url): one(at.toordinal())
               for url, at in crawl.fine_targets(session, run_id, site)}
    return PreviousIndex(run_id=run_id, pages=pages, link_sets=link_sets,
                         attachments=attachments, targets=targets, articles=listed,
                         pagers=pagers, reader=LinkSets(engine_of(session), link_sets))
