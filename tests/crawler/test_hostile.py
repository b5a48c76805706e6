"""One patrol of the hostile site (tests/crawler/hostile.py): every limit holds, every trap is named."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from checks.links import verdict
from core.settings import load_settings
from scheduler.patrol import PatrolResult, run_patrol
from store.migrate import upgrade
from store.models import Page, Run, Target
from store.session import make_engine, make_sessionmaker
from tests.crawler.hostile import PLANTED_PHONE, Hit, HostileSite, peak_per_second

AS_OF = date(2026, 11, 27)
PAGE_LIMIT = 300
COLUMN_LIMIT = 8
VARIANTS = 20
SITE_RPS = 100.0  # loopback: lifted so the test is quick; test_politeness keeps the default
EXTERNAL_RPS = 5.0


@dataclass
class Patrolled:
    site: HostileSite
    result: PatrolResult
    pages: dict[str, Page]
    targets: dict[str, Target]
    run: Run

    def path(self, url: str) -> str:
        return url.split("/", 3)[3] if url.count("/") >= 3 else ""


@pytest.fixture(scope="module")
def patrolled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Patrolled]:
    db = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'x.db'}"
    engine = make_engine(db)
    upgrade(engine)
    with HostileSite(many_links=1000) as site:
        settings = load_settings(None, environ={}, overrides={
            "sites": [{"name": "恶意站", "url": site.url("main"), "page_limit": PAGE_LIMIT}],
            "db": {"url": db},
            "crawler": {"timeout_seconds": 3, "retries": 1, "max_page_bytes": 5_000_000,
                        "requests_per_second": SITE_RPS,
                        "external_requests_per_second": EXTERNAL_RPS,
                        "column_page_limit": COLUMN_LIMIT, "trap_variants": VARIANTS}})
        # the time limit only matters when a limit fails: the crawl would never end
        result = run_patrol(settings, as_of=AS_OF, timeout_s=300)
        with make_sessionmaker(engine)() as session:
            pages = {p.url: p for p in session.scalars(select(Page))}
            targets = {t.url: t for t in session.scalars(select(Target))}
            run = session.scalars(select(Run)).one()
            session.expunge_all()
        yield Patrolled(site, result, pages, targets, run)
    engine.dispose()


def _main(p: Patrolled, path: str) -> str:
    return p.site.url("main") + path


def _fetched(hits: list[Hit], prefix: str) -> list[Hit]:
    return [h for h in hits if h.path.startswith(prefix) and h.method == "GET"]


def test_hostile_patrol_ends_complete_within_the_page_limit(patrolled: Patrolled) -> None:
    assert patrolled.result.status == "complete", patrolled.result.reason
    assert len(patrolled.pages) <= PAGE_LIMIT
    assert patrolled.run.stats["crawl"]["limits"].get("page_limit", 0) > 0


def test_hostile_endless_list_stops_at_the_column_page_limit(sqlite_url: str) -> None:
    with HostileSite(many_links=10) as site:
        settings = load_settings(None, environ={}, overrides={
            "sites": [{"name": "恶意站", "url": site.url("main"), "page_limit": 1000,
                       "exclude": ["/many", "/calendar", "/maze", "/grow", "/news", "/big"]}],
            "db": {"url": sqlite_url},
            "crawler": {"timeout_seconds": 2, "retries": 0, "requests_per_second": SITE_RPS,
                        "external_requests_per_second": EXTERNAL_RPS,
                        "column_page_limit": COLUMN_LIMIT}})  # trap_variants stays 50
        result = run_patrol(settings, as_of=AS_OF, checks=False, timeout_s=120)
        fetched = {h.path for h in site.hits_of("main") if h.path.startswith("/endless?page=")}
    assert result.status == "complete", result.reason
    with make_sessionmaker(make_engine(sqlite_url))() as session:
        pages = set(session.scalars(select(Page.url).where(Page.url.contains("/endless?page="))))
    assert len(pages) == COLUMN_LIMIT
    assert len(fetched) == COLUMN_LIMIT + 1  # the next page is probed as a link, no further


def test_hostile_calendar_is_a_trap_not_a_pager(patrolled: Patrolled) -> None:
    calendar = [u for u in patrolled.pages if "/calendar?" in u]
    assert len(calendar) <= VARIANTS + 1
    traps: dict[str, Any] = patrolled.run.stats["crawl"]["traps"]
    assert any(t["kind"] == "calendar" for k, t in traps.items() if "/calendar" in k)
    skipped = [t for u, t in patrolled.targets.items() if "/calendar?" in u
               and (verdict(t.failure, t.in_scope), t.failure) == ("skipped", "trap")]
    assert skipped


def test_hostile_ever_changing_and_growing_queries_are_cut(patrolled: Patrolled) -> None:
    hits = patrolled.site.hits_of("main")
    assert len(_fetched(hits, "/maze")) <= VARIANTS + 2
    assert len(_fetched(hits, "/grow")) <= 3


@pytest.mark.parametrize(("path", "expected"), [
    ("loop/a", ("broken", "redirect-loop")),
    ("chain/1", ("broken", "too-many-redirects")),
    ("refresh/a", ("broken", "refresh-loop")),
    ("bomb.html", ("suspect", "bomb")),
    ("big.html", ("ok", "too-large")),
    ("big-stream.html", ("ok", "too-large")),
    ("drip.html", ("suspect", "timeout")),
    ("private/x.html", ("skipped", "robots")),
])
def test_hostile_responses_get_their_own_failure_class(patrolled: Patrolled, path: str,
                                                       expected: tuple[str, str]) -> None:
    target = patrolled.targets[_main(patrolled, path)]
    assert (verdict(target.failure, target.in_scope), target.failure) == expected


def test_hostile_loops_become_link_findings(patrolled: Patrolled) -> None:
    broken = {f.target for f in patrolled.result.findings if f.rule == "link-broken"}
    assert {_main(patrolled, p) for p in ("loop/a", "chain/1", "refresh/a")} <= broken


def test_hostile_text_nested_past_the_parser_limit_is_scanned(patrolled: Patrolled) -> None:
    assert PLANTED_PHONE in (patrolled.pages[_main(patrolled, "deep.html")].text or "")
    assert _main(patrolled, "deep-target.html") in patrolled.targets
    assert any(f.rule == "privacy-phone" and f.url.endswith("/deep.html")
               for f in patrolled.result.findings)


def test_hostile_retry_after_within_the_cap_is_waited_for(patrolled: Patrolled) -> None:
    for i in range(3):
        hits = [h for h in patrolled.site.hits_of("busy") if h.path == f"/b{i}.html"]
        assert [h.status for h in hits] == [429, 200]
        assert hits[1].at - hits[0].at >= 2.0
        target = patrolled.targets[patrolled.site.url("busy") + f"b{i}.html"]
        assert (verdict(target.failure, target.in_scope), target.status) == ("ok", 200)


def test_hostile_retry_after_past_the_cap_makes_the_host_suspect_unsent(patrolled: Patrolled) -> None:
    # robots.txt got the first 429 asking for an hour: nothing else is ever sent
    assert len(patrolled.site.hits_of("closed")) == 1
    for i in range(5):
        target = patrolled.targets[patrolled.site.url("closed") + f"c{i}.html"]
        assert (verdict(target.failure, target.in_scope), target.failure, target.attempts) == ("suspect", "429", 0)


def test_hostile_crawl_delay_spaces_requests_to_its_host(patrolled: Patrolled) -> None:
    hits = patrolled.site.hits_of("slow")
    assert len(hits) >= 6  # robots.txt and five pages
    gaps = [b.at - a.at for a, b in zip(hits[1:], hits[2:], strict=False)]
    assert min(gaps) >= 0.99


def test_hostile_requests_per_host_stay_within_budget(patrolled: Patrolled) -> None:
    for host, budget in (("main", SITE_RPS), ("ok", EXTERNAL_RPS), ("busy", EXTERNAL_RPS)):
        assert peak_per_second([h.at for h in patrolled.site.hits_of(host)]) <= budget, host


def test_hostile_page_with_many_links_records_and_checks_them(patrolled: Patrolled) -> None:
    checked = [u for u in patrolled.targets if "/many/" in u]
    assert len(checked) == 1000


def test_hostile_patrol_records_why_it_fetched_less(patrolled: Patrolled) -> None:
    crawl = patrolled.run.stats["crawl"]
    assert set(crawl["limits"]) >= {"page_limit"}
    kinds = {t["kind"] for t in crawl["traps"].values()}
    assert {"calendar", "growing-query"} <= kinds


def test_hostile_fixture_serves_every_trap() -> None:
    """The fixture itself: what each trap answers (guards the tests above from a dead fixture)."""
    with HostileSite(many_links=10_000) as site:
        main = site.url("main")

        def get(path: str) -> tuple[int, bytes, Any]:
            request = urllib.request.Request(main + path)
            opener = urllib.request.build_opener(_NoRedirect)
            try:
                with opener.open(request, timeout=10) as response:
                    return response.status, response.read(200_000), response.headers
            except urllib.error.HTTPError as error:
                return error.code, b"", error.headers

        assert get("loop/a")[2]["Location"] == "/loop/b"
        assert get("chain/7")[2]["Location"] == "/chain/8"
        assert b'url=/refresh/b' in get("refresh/a")[1]
        status, _body, headers = get("bomb.html")
        assert headers["Content-Encoding"] == "gzip" and int(headers["Content-Length"]) < 1_000_000
        assert int(get("big.html")[2]["Content-Length"]) > 50_000_000
        assert get("many.html")[1].count(b"<a ") >= 10_000 // 50  # first 200 kB of 10,000 links
        assert b"?date=2026-12-01" in get("calendar?date=2026-11-27")[1]
        assert b"?page=8" in get("endless?page=7")[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None
