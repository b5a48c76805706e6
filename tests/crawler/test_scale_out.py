"""Two crawler processes sharing a Redis queue: every page fetched once, same findings as one."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.settings import Settings, load_settings
from crawler.visits import visit_urls
from scheduler.patrol import run_patrol
from xunwang.demo import DemoSite

AS_OF = date(2026, 11, 27)
REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis on 127.0.0.1:6379 is required in CI")
        pytest.skip("Redis on 127.0.0.1:6379 is not running")
    return REDIS_URL


def _settings(site: DemoSite, tmp_path: Path, name: str, **crawler: Any) -> Settings:
    config = tmp_path / f"{name}.toml"
    config.write_text(site.config_toml(db_url=f"sqlite:///{tmp_path / name}.db",
                                       outbox=str(tmp_path / "outbox")), encoding="utf-8")
    base = load_settings(config, environ={})
    # Screenshots load pages with findings again, in Chromium, after the crawl: not this test.
    return base.with_changes(crawler={**base.crawler.model_dump(), **crawler},
                             screenshots={**base.screenshots.model_dump(), "enabled": False})


def _keys(findings: list[Any]) -> Counter[tuple[Any, ...]]:
    return Counter((f.rule, f.site or f.account, f.url, f.target, f.column, f.text, f.message)
                   for f in findings)


@pytest.mark.redis
@pytest.mark.slow
def test_two_workers_fetch_each_page_once_and_find_the_same(tmp_path: Path, redis_url: str) -> None:
    with DemoSite(as_of=AS_OF, articles=300) as site:
        single = run_patrol(_settings(site, tmp_path, "single"), as_of=AS_OF)
        one = Counter(site.hits())
        double = run_patrol(_settings(site, tmp_path, "double", redis_url=redis_url, workers=2),
                            as_of=AS_OF)
        two = Counter(site.hits())
        two.subtract(one)
        site_urls = tuple(s["url"] for s in site.sites)
        settings = _settings(site, tmp_path, "visits")
    assert single.status == double.status == "complete"
    assert _keys(double.findings) == _keys(single.findings)

    def pages(hits: Counter[tuple[str, str]]) -> dict[str, int]:
        # Not-found probes have random names, one per worker; leave them out.
        return {url: n for (method, url), n in hits.items() if method == "GET" and n
                and url.startswith(site_urls) and "not-found" not in url}

    assert pages(two) == pages(one)
    assert len(pages(two)) > 300
    # Once per page; the few exceptions (a retried 500, HEAD-then-GET, the page Chromium
    # re-renders) happen alike in one process, as the equality above shows.
    # The homepage and key columns are also fetched once per security visitor, on purpose.
    visited = {u for config in settings.sites for u in visit_urls(config)}
    assert len([u for u, n in pages(two).items() if n > 1 and u not in visited]) <= 5
