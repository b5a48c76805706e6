"""The wrong-character detector in a patrol: only new or changed text is checked, and what an
unchanged page was found to hold is reported again (its item stays open)."""

from __future__ import annotations

from datetime import date

from checks.typo_findings import MODEL
from core.settings import Settings, load_settings
from scheduler.patrol import run_patrol
from store.session import make_engine, make_sessionmaker
from store.snapshot import site_snapshot
from tests.crawler.localsite import LocalSite, html

HTML = {"Content-Type": "text/html; charset=utf-8"}
AS_OF = date(2026, 11, 27)
TYPO = "要进一步健全工作机智，确保各项任务落到实处，全区上下认真贯彻落实。"
CLEAN = "全区上下要认真总结经验，不断完善工作机制，推动各项工作取得新成效。"
LATER = "区政府召开会议，要求各部门健全工作机智，把各项任务落到实处。"


def _article(text: str) -> bytes:
    return html(f"<h1>关于推进重点工作的通知</h1><p>发布时间：2026-11-20</p><p>{text}</p>", "通知")


def _settings(url: str, db_url: str, threshold: float = 3.25) -> Settings:
    return load_settings(None, environ={}, overrides={
        "sites": [{"name": "测试区政府", "url": url}],
        "db": {"url": db_url},
        "crawler": {"timeout_seconds": 2.0, "retries": 0, "autothrottle": False},
        "checks": {"typo_threshold": threshold},
    })


def _model_typos(findings: list) -> set[tuple[str, str | None]]:  # type: ignore[type-arg]
    return {(f.url.rsplit("/", 1)[-1], f.text) for f in findings
            if f.rule == "wording-typo" and f.evidence.get("found_by") == MODEL}


def test_unchanged_pages_keep_their_typos_without_being_checked_again(sqlite_url: str) -> None:
    routes = {
        "/a.html": (200, dict(HTML), _article(TYPO)),
        "/b.html": (200, dict(HTML), _article(CLEAN)),
    }
    site = LocalSite(routes)  # type: ignore[arg-type]
    routes["/"] = (200, dict(HTML), html(
        '<ul><li><a href="/a.html">通知一</a> 2026-11-20</li>'
        '<li><a href="/b.html">通知二</a> 2026-11-20</li></ul>', "测试区人民政府"))
    with site:
        settings = _settings(site.url, sqlite_url)
        first = run_patrol(settings, as_of=AS_OF)
        assert _model_typos(first.findings) == {("a.html", "机智")}

        routes["/b.html"] = (200, dict(HTML), _article(LATER))  # b changes, a does not
        second = run_patrol(settings, as_of=AS_OF)
        assert _model_typos(second.findings) == {("a.html", "机智"), ("b.html", "机智")}
        factory = make_sessionmaker(make_engine(sqlite_url))
        with factory() as session:
            docs = {d.url.rsplit("/", 1)[-1]: d for d in site_snapshot(
                session, second.run_id, "测试区政府", site.url, AS_OF,
                typo_threshold=3.25).documents}
            assert docs["a.html"].typos_known is not None  # unchanged: not checked again
            assert [f.text for f in docs["a.html"].typos_known] == ["机智"]
            assert docs["b.html"].typos_known is None  # changed: checked
            # another threshold: nothing is carried, every page is checked again
            other = site_snapshot(session, second.run_id, "测试区政府", site.url, AS_OF,
                                  typo_threshold=5.0)
            assert all(d.typos_known is None for d in other.documents)

        third = run_patrol(_settings(site.url, sqlite_url, threshold=20.0), as_of=AS_OF)
        assert _model_typos(third.findings) == set()
