"""What the last complete run stored of each page, for conditional requests.

A page that answers 304, or the same content hash, is not parsed again: the pipeline copies
the last run's rows for it, and the spider follows the references it had then.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from store import crawl, runs


@dataclass(frozen=True)
class PreviousPage:
    etag: str
    last_modified: str
    content_hash: str


@dataclass
class PreviousIndex:
    run_id: int | None = None
    pages: dict[str, PreviousPage] = field(default_factory=dict)
    references: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def refs(self, url: str) -> list[tuple[str, str]]:
        return self.references.get(url, [])


def load_previous(session: Session, site: str) -> PreviousIndex:
    """The newest run that crawled ``site`` to completion; empty when there is none."""
    run_id = runs.last_complete_run(session, site)
    if run_id is None:
        return PreviousIndex()
    pages = {
        url: PreviousPage(etag, modified, digest)
        for url, etag, modified, digest in crawl.page_validators(session, run_id, site)
    }
    refs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for source, target, tag in crawl.references(session, run_id, site):
        refs[source].append((target, tag))
    return PreviousIndex(run_id=run_id, pages=pages, references=dict(refs))
