"""The last run's index: validators at hand, a page's references read when asked for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, event, insert

from crawler import previous
from crawler.previous import load_previous
from store import bodies
from store.models import LinkSet, Page, PageLinks, Run, Target
from store.session import make_sessionmaker

SITE, HOME = "区政府", "http://a.gov.cn/"
AT = datetime(2026, 11, 1, 8, 30)
NAV = [(HOME + "news/", "a", "新闻"), (HOME + "style.css", "link", ""), (HOME + "x.pdf", "a", "文件")]


def _run(engine: Engine, links: dict[str, list[tuple[str, str, str]]]) -> int:
    with make_sessionmaker(engine).begin() as session:
        run = Run(kind="patrol", as_of=AT.date(), started_at=AT, status="complete",
                  targets=[SITE])
        session.add(run)
        session.flush()
        conn = session.connection()
        pages: list[dict[str, Any]] = [
            {"run_id": run.id, "site": SITE, "url": url, "status": 200, "fetched_at": AT,
             "etag": f'"{i}"', "content_hash": f"{i:064x}", "title": "", "text": url,
             "published": None, "dates": {}, "footer": "", "security": {}, "tables": []}
            for i, url in enumerate(links)]
        conn.execute(insert(Page), bodies.with_bodies(conn, pages))
        bodies.store_links(conn, [{"run_id": run.id, "site": SITE, "source": url, "links": refs}
                                  for url, refs in links.items()])
        session.add_all(Target(run_id=run.id, site=SITE, url=url, status=200, attempts=1,
                               checked_at=AT) for url in links)
        return run.id


def test_references_are_read_when_asked_for_in_document_order(engine: Engine) -> None:
    page = [(HOME + "b.html", "a", "乙"), (HOME + "a.html", "a", "甲"), *NAV]
    run_id = _run(engine, {HOME: NAV, HOME + "p.html": page, HOME + "q.html": page})
    with make_sessionmaker(engine)() as session:
        index = load_previous(session, SITE)
    assert index.run_id == run_id
    assert index.pages[HOME + "p.html"].etag == '"1"' and index.targets.keys() == {
        HOME, HOME + "p.html", HOME + "q.html"}
    assert index.refs(HOME + "p.html") == [(t, g) for t, g, _a in page]
    assert index.refs(HOME + "q.html") == index.refs(HOME + "p.html")
    assert index.refs(HOME) == [(t, g) for t, g, _a in NAV]
    assert index.refs(HOME + "never.html") == []


def test_the_cache_stays_bounded_and_a_caller_cannot_spoil_it(engine: Engine) -> None:
    pages = {f"{HOME}{i}.html": [(f"{HOME}{i}/{j}", "a", "") for j in range(3)]
             for i in range(previous.CACHED_SETS + 10)}
    _run(engine, pages)
    with make_sessionmaker(engine)() as session:
        index = load_previous(session, SITE)
    for url, refs in pages.items():
        assert index.refs(url) == [(t, g) for t, g, _a in refs]
    assert index.reader is not None and len(index.reader.cache) == previous.CACHED_SETS
    first = next(iter(pages))
    index.refs(first).clear()
    assert len(index.refs(first)) == 3


def test_a_link_set_gone_meanwhile_gives_no_references(engine: Engine) -> None:
    _run(engine, {HOME: NAV})
    with make_sessionmaker(engine)() as session:
        index = load_previous(session, SITE)
    with make_sessionmaker(engine).begin() as session:
        session.execute(delete(PageLinks))
        session.execute(delete(LinkSet))
    assert index.refs(HOME) == []


def test_a_lists_articles_are_read_ahead_in_one_query(engine: Engine) -> None:
    articles = {f"{HOME}t{i}.html": [*NAV, (f"{HOME}t{i}.pdf", "a", "附件")] for i in range(30)}
    listing = [(url, "a", "") for url in articles]
    _run(engine, {HOME: NAV, HOME + "news/": [*NAV, *listing], **articles})
    with make_sessionmaker(engine)() as session:
        index = load_previous(session, SITE)
    reads: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "link_sets" in statement:
            reads.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    assert index.refs(HOME + "news/") == [(t, g) for t, g, _a in [*NAV, *listing]]
    for url, refs in articles.items():
        assert index.refs(url) == [(t, g) for t, g, _a in refs]
    assert len(reads) == 2  # the list's own set, then its articles' (and the nav's) at once
