"""Migration 0008_storage: pages and links stored by the old schema stay readable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import func, select

from store import crawl
from store.migrate import alembic_config
from store.models import Body, LinkSet, Page
from store.session import make_engine, make_sessionmaker
from store.snapshot import site_snapshot
from tests.conftest import _drop_postgres, _fresh_postgres

SITE, HOME = "区政府", "http://a.gov.cn/"
ARTICLE, DOC = HOME + "t1.html", HOME + "files/a.docx"
AT = datetime(2026, 11, 20, 9, 0)
LINKS = [(HOME, ARTICLE, "a", "第一篇"), (HOME, DOC, "a", "附件"), (HOME, HOME + "gone.html",
         "a", "坏链"), (ARTICLE, DOC, "a", "附件下载"), (ARTICLE, HOME + "gone.html", "img", "")]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    admin_url = request.getfixturevalue("postgres_server")
    name, url = _fresh_postgres(admin_url)
    try:
        yield url
    finally:
        _drop_postgres(admin_url, name)


def _migrate(engine: sa.Engine, revision: str, *, down: bool = False) -> None:
    with engine.begin() as connection:
        config = alembic_config(engine)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _page(run_id: int, url: str, kind: str, text: str) -> dict[str, Any]:
    return {"run_id": run_id, "site": SITE, "url": url, "final_url": url, "status": 200,
            "kind": kind, "content_type": "text/html", "encoding": "utf-8", "title": "标题" + url,
            "text": text, "published": date(2026, 11, 1), "dates": {"source": "meta"},
            "content_hash": "h" + url, "etag": "", "last_modified": "", "fetched_at": AT,
            "elapsed_ms": 5, "size": 100, "rendered": False, "unchanged": run_id == 2,
            "is_homepage": url == HOME, "footer": "京ICP备" if url == HOME else "",
            "redirects": [], "note": "", "security": {"meta": "m"} if url == HOME else {},
            "tables": [[["年份", "数"]]] if kind == "attachment" else [], "column_root": None}


def _old_rows(engine: sa.Engine) -> None:
    """Two runs of the old schema: the second saw the same pages and links."""
    meta = sa.MetaData()
    meta.reflect(engine, only=["runs", "pages", "links", "targets"])
    runs, pages, links, targets = (meta.tables[n] for n in ("runs", "pages", "links", "targets"))
    with engine.begin() as conn:
        for run_id in (1, 2):
            conn.execute(runs.insert(), {"id": run_id, "kind": "patrol", "as_of": AT.date(),
                                         "started_at": AT, "status": "complete", "reason": "",
                                         "targets": [SITE], "stats": {}})
            conn.execute(pages.insert(), [_page(run_id, HOME, "page", "首页正文"),
                                          _page(run_id, ARTICLE, "page", "文章正文"),
                                          _page(run_id, DOC, "attachment", "附件正文")])
            conn.execute(links.insert(), [
                {"run_id": run_id, "site": SITE, "source": s, "target": t, "tag": g, "anchor": a}
                for s, t, g, a in LINKS])
            conn.execute(targets.insert(), [
                {"run_id": run_id, "site": SITE, "url": url, "in_scope": True, "status": status,
                 "failure": failure, "attempts": 1, "redirects": [], "checked_at": AT,
                 "content": {}}
                for url, status, failure in ((HOME, 200, None), (ARTICLE, 200, None),
                                             (DOC, 200, None), (HOME + "gone.html", 404, "404"))])


def test_upgrade_keeps_pages_and_links_readable(empty_url: str) -> None:
    engine = make_engine(empty_url)
    _migrate(engine, "0007_repatrol")
    _old_rows(engine)
    _migrate(engine, "head")
    with make_sessionmaker(engine)() as session:
        for run_id in (1, 2):
            pages = {p.url: p for p in session.scalars(select(Page).where(Page.run_id == run_id))}
            assert (pages[HOME].text, pages[HOME].title, pages[HOME].footer) == (
                "首页正文", "标题" + HOME, "京ICP备")
            assert pages[HOME].security == {"meta": "m"}
            assert pages[DOC].tables == [[["年份", "数"]]]
            assert pages[ARTICLE].published == date(2026, 11, 1)
            assert pages[ARTICLE].dates == {"source": "meta"}
            assert sorted(crawl.references(session, run_id, SITE)) == sorted(
                (s, t, g) for s, t, g, _a in LINKS)
        # the second run's copies share the first run's bodies and link lists
        assert session.scalar(select(func.count()).select_from(Body)) == 3
        assert session.scalar(select(func.count()).select_from(LinkSet)) == 2
        snap = site_snapshot(session, 2, SITE, HOME, AT.date())
    gone = {t.url: t for t in snap.targets}[HOME + "gone.html"]
    assert [(s.page, s.tag, s.anchor) for s in gone.sources] == [
        (HOME, "a", "坏链"), (ARTICLE, "img", "")]
    documents = {d.url: d for d in snap.documents}
    assert documents[DOC].linked_from == (HOME, ARTICLE)
    assert documents[DOC].text == "附件正文" and snap.footer_text == "京ICP备"
    _migrate(engine, "0007_repatrol", down=True)
    with engine.connect() as conn:
        back = conn.execute(sa.text(
            "SELECT source, target, tag, anchor FROM links WHERE run_id = 2")).all()
        texts = dict(conn.execute(sa.text("SELECT url, text FROM pages WHERE run_id = 1")).all())
    assert sorted(tuple(r) for r in back) == sorted(LINKS)
    assert texts[DOC] == "附件正文"
    engine.dispose()
