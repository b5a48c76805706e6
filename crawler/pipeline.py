"""The store pipeline: spiders' items into the database, in batches, for one run."""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy.orm import Session

from crawler import records as it
from store import crawl
from store.copy import copy_pages, copy_targets
from store.crawl import UNIQUE_KEYS
from store.models import AccountRun, Page, PageLinks, Post, Target, Visit
from store.session import make_engine, make_sessionmaker

BATCH = 2000
FLUSH_EVERY_S = 2.0  # what was fetched survives a kill, at most this much is lost

ROW_TABLES: dict[type, Any] = {
    it.PageItem: Page,
    it.TargetItem: Target,
    it.AccountRunItem: AccountRun,
    it.PostItem: Post,
    it.VisitItem: Visit,
}


class StorePipeline:
    """Writes items of run ``XW_RUN_ID`` to ``XW_DB_URL``; duplicates within a run are dropped."""

    def __init__(self, db_url: str, run_id: int) -> None:
        self.engine = make_engine(db_url)
        self.factory = make_sessionmaker(self.engine)
        self.run_id = run_id
        self.buffers: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        self.keys: dict[Any, set[tuple[Any, ...]]] = defaultdict(set)
        self.column_ids: dict[str, int] = {}
        self.pending_more: dict[str, list[it.EntryData]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)
        self.letters: dict[str, dict[str, Any]] = {}
        self.flushed_at = time.monotonic()
        self.unchanged: list[it.UnchangedItem] = []
        self.kept: list[it.KeptItem] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler.settings["XW_DB_URL"], crawler.settings.getint("XW_RUN_ID"))

    def process_item(self, item: Any) -> Any:
        handler = getattr(self, f"_on_{type(item).__name__}", None)
        if handler is not None:
            handler(item)
        else:
            self._buffer(ROW_TABLES[type(item)], dataclasses.asdict(item))
        self.counts[type(item).__name__] += 1
        return item

    def close_spider(self) -> None:
        self.flush()
        with self.factory.begin() as session:
            self._store_letters(session)
        self._resolve_pending_more()
        self.engine.dispose()

    def _store_letters(self, session: Session) -> None:
        """Merge with what another worker of the same run stored for the same letter."""
        if not self.letters:
            return
        existing = crawl.letters_by_url(session, self.run_id, list(self.letters))
        for url, row in self.letters.items():
            if url in existing:
                merged = _merge_letter(row, existing[url])
                merged.pop("id", None)
                crawl.update_letter(session, existing[url]["id"], merged)
            else:
                crawl.add_letters(session, [row])

    def _resolve_pending_more(self) -> None:
        """Further pages whose first page another worker of the run stored."""
        for root, entries in list(self.pending_more.items()):
            with self.factory.begin() as session:
                found = crawl.column_of(session, self.run_id, root)
            if found is not None:
                column_id, site = found
                self.column_ids[root] = column_id
                self._add_more(site, root, entries)
        self.pending_more.clear()

    def _on_LinksItem(self, item: it.LinksItem) -> None:
        # one row per page: its links are stored as one list (store.bodies)
        self._buffer(PageLinks, {"site": item.site, "source": item.source,
                                 "links": list(item.links)})

    def _on_LetterItem(self, item: it.LetterItem) -> None:
        self._letter(dataclasses.asdict(item))

    def _letter(self, row: dict[str, Any]) -> None:
        """A letter seen on a list row and on its own page: the page's own details win."""
        row = {**row, "run_id": self.run_id}
        row.pop("id", None)
        known = self.letters.get(row["url"])
        self.letters[row["url"]] = row if known is None else _merge_letter(row, known)

    # --- buffering -----------------------------------------------------------------

    def _buffer(self, table: Any, row: dict[str, Any]) -> None:
        unique = UNIQUE_KEYS.get(table)
        if unique:
            key = tuple(row[k] for k in unique)
            if key in self.keys[table]:
                return
            self.keys[table].add(key)
        for name in ("redirects", "links", "hops", "scripts"):
            if isinstance(row.get(name), tuple):
                row[name] = list(row[name])
        row["run_id"] = self.run_id
        self.buffers[table].append(row)
        self._maybe_flush(len(self.buffers[table]))

    def _maybe_flush(self, buffered: int = 0) -> None:
        if (buffered >= BATCH or len(self.unchanged) >= BATCH or len(self.kept) >= BATCH
                or time.monotonic() - self.flushed_at > FLUSH_EVERY_S):
            self.flush()

    def flush(self) -> None:
        self.flushed_at = time.monotonic()
        with self.factory.begin() as session:
            if self.unchanged:
                letters = copy_pages(session, [(i.previous_run, i.url) for i in self.unchanged],
                                     self.run_id, self.column_ids, self.unchanged[-1].fetched_at)
                self.unchanged = []
                for row in letters:
                    self._letter(row)
            if self.kept:
                kept, self.kept = self.kept, []
                letters = copy_pages(session, [(i.previous_run, i.url) for i in kept if i.page],
                                     self.run_id, self.column_ids, None)
                copy_targets(session, [(i.previous_run, i.url) for i in kept], self.run_id)
                for row in letters:
                    self._letter(row)
            for table in (Page, Target, PageLinks, AccountRun, Post, Visit):
                rows = self.buffers.pop(table, None)
                if rows:
                    crawl.insert_rows(session, table, rows)

    # --- structured items ----------------------------------------------------------

    def _on_ColumnItem(self, item: it.ColumnItem) -> None:
        if item.url in self.column_ids:
            return
        with self.factory.begin() as session:
            column_id = crawl.add_column(session, {
                "run_id": self.run_id, "site": item.site, "url": item.url,
                "name": item.name, "blank": item.blank,
                "placeholder": item.placeholder, "top_level": item.top_level,
                "newest": _newest(item.entries), "entry_count": len(item.entries),
                "pages": item.pages, "rendered": item.rendered, "role": item.role,
            })
        self.column_ids[item.url] = column_id
        self._entries(item.site, column_id, item.entries)
        more = self.pending_more.pop(item.url, None)
        if more:
            self._add_more(item.site, item.url, more)

    def _on_ColumnMoreItem(self, item: it.ColumnMoreItem) -> None:
        if item.root not in self.column_ids:
            self.pending_more[item.root].extend(item.entries)
            return
        self._add_more(item.site, item.root, list(item.entries))

    def _add_more(self, site: str, root: str, entries: list[it.EntryData]) -> None:
        column_id = self.column_ids[root]
        self._entries(site, column_id, tuple(entries))
        with self.factory.begin() as session:
            crawl.extend_column(session, column_id, _newest(tuple(entries)), len(entries))

    def _entries(self, site: str, column_id: int | None, entries: tuple[it.EntryData, ...],
                 home: bool = False) -> None:
        if not entries:
            return
        rows = [
            {"run_id": self.run_id, "site": site, "column_id": column_id, "home": home,
             "title": e.title[:2000], "url": e.url, "published": e.published}
            for e in entries
        ]
        with self.factory.begin() as session:
            crawl.add_entries(session, rows)

    def _on_HomeItemsItem(self, item: it.HomeItemsItem) -> None:
        self._entries(item.site, None, item.entries, home=True)

    def _on_UnchangedItem(self, item: it.UnchangedItem) -> None:
        self.unchanged.append(item)
        self.keys[PageLinks].add((item.site, item.url))
        self._buffer(Target, {
            "site": item.site, "url": item.url, "in_scope": True, "status": 200,
            "failure": None, "attempts": 1, "redirects": [],
            "checked_at": item.fetched_at, "content": {},
        })
        self.keys[Page].add((item.url,))

    def _on_KeptItem(self, item: it.KeptItem) -> None:
        self.keys[Target].add((item.url,))
        if item.page:
            self.keys[Page].add((item.url,))
            self.keys[PageLinks].add((item.site, item.url))
        self.kept.append(item)
        self._maybe_flush()


def _merge_letter(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """A letter's own page wins over a list row; missing fields come from the other."""
    own, other = (a, b) if a["source"] == a["url"] else (b, a)
    return {k: own[k] if own.get(k) not in (None, "") else other.get(k) for k in own}


def _newest(entries: tuple[it.EntryData, ...]) -> Any:
    dates = [e.published for e in entries if e.published]
    return max(dates) if dates else None
