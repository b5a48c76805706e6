"""Retention: old runs lose their crawl rows unless still needed; nothing is left dangling."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from store import bodies, crawl, retention
from store.models import (
    Body,
    ColumnPage,
    FindingRow,
    Item,
    LinkSet,
    Page,
    PageLinks,
    Run,
    Target,
)
from store.session import make_sessionmaker

SITE, HOME = "区政府", "http://a.gov.cn/"
CUTOFF = datetime(2026, 10, 1)


def _run(session: Session, started: datetime, texts: dict[str, str], links: list[str]) -> int:
    run = Run(kind="patrol", as_of=started.date(), started_at=started, status="complete",
              targets=[SITE])
    session.add(run)
    session.flush()
    conn = session.connection()
    pages: list[dict[str, Any]] = [
        {"run_id": run.id, "site": SITE, "url": url, "status": 200, "fetched_at": started,
         "title": "", "text": text, "published": None, "dates": {}, "footer": "",
         "security": {}, "tables": []} for url, text in texts.items()]
    conn.execute(Page.__table__.insert(), bodies.with_bodies(conn, pages))
    bodies.store_links(conn, [{"run_id": run.id, "site": SITE, "source": HOME,
                               "links": [(t, "a", "") for t in links]}])
    session.add(Target(run_id=run.id, site=SITE, url=HOME, status=200, checked_at=started))
    session.add(ColumnPage(run_id=run.id, site=SITE, url=HOME + "news/", name="工作动态"))
    session.add(FindingRow(run_id=run.id, rule="link-broken", severity="deduct", site=SITE,
                           url=HOME, message="坏链", fingerprint=f"f{run.id}"))
    return run.id


def _count(session: Session, model: Any, run_id: int | None = None) -> int:
    query = select(func.count()).select_from(model)
    if run_id is not None:
        query = query.where(model.run_id == run_id)
    return int(session.scalar(query) or 0)


def test_old_runs_lose_their_rows_unless_needed(engine: Engine) -> None:
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        item_run = _run(session, datetime(2026, 8, 1), {HOME: "旧首页"}, [HOME + "a"])
        old = _run(session, datetime(2026, 9, 1), {HOME: "首页", HOME + "x": "只在旧巡查"},
                   [HOME + "a", HOME + "x"])
        new = _run(session, datetime(2026, 11, 1), {HOME: "首页"}, [HOME + "a"])
        session.add(Item(fingerprint="i" * 64, rule="link-broken", severity="deduct",
                         site=SITE, url=HOME, message="坏链", state="open",
                         first_seen=date(2026, 8, 1), last_seen=date(2026, 8, 1),
                         last_run_id=item_run, updated_at=datetime(2026, 8, 1)))
    with factory.begin() as session:
        assert retention.kept_runs(session) == {item_run, new}
        assert retention.prune_runs(session, CUTOFF) == 1
        retention.clear_page_texts(session, CUTOFF)
        # the body and link list only the pruned run had
        assert retention.delete_orphans(session) == 2
    with factory() as session:
        for model in (Page, PageLinks, Target, ColumnPage):
            assert (_count(session, model, old), _count(session, model, new)) == (0, 1), model
        # the run and its findings stay: the findings history
        assert _count(session, Run) == 3 and _count(session, FindingRow, old) == 1
        assert _count(session, Body) == 2 and _count(session, LinkSet) == 1
        assert session.scalars(select(Page.text).where(Page.run_id == new)).one() == "首页"
        assert list(crawl.references(session, new, SITE)) == [(HOME, HOME + "a", "a")]
        # the live item's run keeps its rows; the text only old pages had goes with age
        assert session.scalars(select(Page.text).where(Page.run_id == item_run)).one() is None
    with factory.begin() as session:
        assert retention.prune_runs(session, CUTOFF) == 0  # nothing twice


def test_cleared_text_is_not_reused_for_the_same_content(engine: Engine) -> None:
    factory = make_sessionmaker(engine)
    with factory.begin() as session:
        _run(session, datetime(2026, 8, 1), {HOME: "首页"}, [])
        retention.clear_page_texts(session, CUTOFF)
    with factory.begin() as session:
        later = _run(session, datetime(2026, 11, 1), {HOME: "首页"}, [])
    with factory() as session:
        assert session.scalars(select(Page.text).where(Page.run_id == later)).one() == "首页"
