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
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from store import crawl, runs


@dataclass(frozen=True)
class PreviousPage:
    etag: str
    last_modified: str
    content_hash: str
    fetched: int = 0  # date.toordinal() of the last real fetch (0: unknown, always due)


@dataclass
class PreviousIndex:
    run_id: int | None = None
    pages: dict[str, PreviousPage] = field(default_factory=dict)
    references: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    attachments: dict[str, int] = field(default_factory=dict)  # url -> ordinal of last fetch
    targets: dict[str, int] = field(default_factory=dict)  # fine last run: url -> checked ordinal
    # entries of lists (not lists themselves): url -> (title, published) as listed
    articles: dict[str, tuple[str, date | None]] = field(default_factory=dict)
    pagers: dict[str, str] = field(default_factory=dict)  # further page of a list -> first page

    def refs(self, url: str) -> list[tuple[str, str]]:
        return self.references.get(url, [])


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
    """The newest run that crawled ``site`` to completion; empty when there is none."""
    run_id = runs.last_complete_run(session, site)
    if run_id is None:
        return PreviousIndex()
    pages: dict[str, PreviousPage] = {}
    attachments: dict[str, int] = {}
    for url, kind, etag, modified, digest, fetched in crawl.page_validators(session, run_id, site):
        if kind == "page":
            pages[url] = PreviousPage(etag, modified, digest, fetched.toordinal())
        else:
            attachments[url] = fetched.toordinal()
    refs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    # the same targets (navigation, template links) and tags recur on every page: one
    # object each, not one per link row (~100 bytes a link at 20k pages x 23 links)
    shared: dict[tuple[str, str], tuple[str, str]] = {}
    for source, target, tag in crawl.references(session, run_id, site):
        pair = (target, tag)
        refs[source].append(shared.setdefault(pair, pair))
    pagers = crawl.pager_roots(session, run_id, site)
    lists = crawl.column_urls(session, run_id, site) | set(pagers)
    listed = {url: (title, published) for url, title, published in
              crawl.entries(session, run_id, site) if url in pages and url not in lists}
    targets = {url: at.toordinal() for url, at in crawl.fine_targets(session, run_id, site)}
    return PreviousIndex(run_id=run_id, pages=pages, references=dict(refs),
                         attachments=attachments, targets=targets, articles=listed,
                         pagers=pagers)
