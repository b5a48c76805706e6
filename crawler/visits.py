"""The homepage and key columns fetched as other visitors: where each one is sent.

Each patrol fetches them as a plain browser, as Baiduspider, as a visitor arriving from a
Baidu results page (Referer) and as a phone. Redirects are followed by hand: a Location
inside the site's scope is followed (up to ``MAX_HOPS``), one outside it is recorded and
not fetched. The landing page's meta refresh and load-time ``location`` scripts are
recorded too. ``checks.security_transport`` compares the visitors.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote, urljoin

import scrapy
from scrapy.http import Response

from core.settings import SiteConfig
from crawler.records import VisitItem

MAX_HOPS = 5
DESKTOP = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0 Safari/537.36")
VISITORS: dict[str, dict[str, str]] = {
    "plain": {"User-Agent": DESKTOP},
    "spider": {"User-Agent": "Mozilla/5.0 (compatible; Baiduspider/2.0; "
                             "+http://www.baidu.com/search/spider.html)"},
    "search": {"User-Agent": DESKTOP},
    "mobile": {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                             "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 "
                             "Safari/604.1"},
}


def visit_urls(site: SiteConfig) -> list[str]:
    return list(dict.fromkeys((site.url, *site.key_columns)))


def headers(site: SiteConfig, visitor: str) -> dict[str, str]:
    out = dict(VISITORS[visitor])
    if visitor == "search":
        out["Referer"] = f"https://www.baidu.com/s?wd={quote(site.name)}"
    return out


def request(site: SiteConfig, url: str, visitor: str, meta: dict[str, Any], callback: Any,
            errback: Any, hops: tuple[str, ...] = ()) -> scrapy.Request:
    return scrapy.Request(
        url, headers=headers(site, visitor), callback=callback, errback=errback,
        dont_filter=True, priority=5,
        meta={**meta, "dont_redirect": True, "dont_retry": True, "xw_visitor": visitor,
              "xw_visit": meta.get("xw_visit", url), "xw_hops": list(hops)})


def location(response: Response) -> str | None:
    raw = response.headers.get("Location")
    if response.status not in (301, 302, 303, 307, 308) or not raw:
        return None
    return urljoin(response.url, raw.decode("latin-1").strip())


def item(site: str, response_meta: dict[str, Any], now: datetime, *, status: int | None,
         failure: str | None = None, refresh: str = "",
         scripts: list[list[str]] | None = None) -> VisitItem:
    return VisitItem(site=site, url=response_meta["xw_visit"], visitor=response_meta["xw_visitor"],
                     status=status, failure=failure, hops=tuple(response_meta["xw_hops"]),
                     refresh=refresh, scripts=tuple(tuple(s) for s in scripts or ()), at=now)


def follow(site: SiteConfig, response: Response, in_scope: Any, callback: Any,
           errback: Any) -> Iterator[Any]:
    """The next request when the Location stays in scope; else nothing (the caller records)."""
    target = location(response)
    hops = (*response.meta["xw_hops"], target) if target else ()
    if target and in_scope(target) and len(hops) <= MAX_HOPS:
        meta = {k: v for k, v in response.meta.items() if k in ("site", "xw_visit",
                                                                  "dont_obey_robotstxt")}
        yield request(site, target, response.meta["xw_visitor"], meta, callback, errback, hops)
