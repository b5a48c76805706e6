"""What the last complete run stored of each page, for conditional requests.

A page that answers 304, or the same content hash, is not parsed again: the pipeline copies
the last run's rows for it, and the spider follows the references it had then.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Link, Page, Run


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
    run_id = session.scalar(
        select(Run.id)
        .join(Page, Page.run_id == Run.id)
        .where(Run.status == "complete", Page.site == site)
        .order_by(Run.id.desc())
        .limit(1)
    )
    if run_id is None:
        return PreviousIndex()
    pages = {
        url: PreviousPage(etag, modified, digest)
        for url, etag, modified, digest in session.execute(
            select(Page.url, Page.etag, Page.last_modified, Page.content_hash).where(
                Page.run_id == run_id, Page.site == site, Page.kind == "page", Page.status == 200
            )
        )
    }
    refs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for source, target, tag in session.execute(
        select(Link.source, Link.target, Link.tag).where(Link.run_id == run_id, Link.site == site)
    ):
        refs[source].append((target, tag))
    return PreviousIndex(run_id=run_id, pages=pages, references=dict(refs))
