"""Downloader middlewares that turn hostile responses into named refusals (``crawler.refusals``).

Scrapy gives up on redirect loops, endless redirect or meta-refresh chains, decompression
bombs and robots.txt bans alike with a bare ``IgnoreRequest``; these middlewares raise the
specific cause first, so the crawler records what happened instead of "robots".

Order (``crawler.config``): ``RedirectGuard`` sees a response before Scrapy's
RedirectMiddleware (600), ``BombGuard`` replaces HttpCompressionMiddleware (590) and
``RefreshGuard`` sees the decompressed page before MetaRefreshMiddleware (580).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urldefrag, urljoin

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.response import get_meta_refresh
from w3lib.url import safe_url_string

from crawler.refusals import (
    DecompressionBomb,
    RedirectLoop,
    RefreshLoop,
    Refusal,
    RobotsForbidden,
    TooManyRedirects,
)

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
LOOP_VISITS = 2  # a URL may come back once (cookie-setting redirects to themselves)


def _chain(request: Request) -> list[str]:
    return [urldefrag(u)[0] for u in (*request.meta.get("redirect_urls", []), request.url)]


def _check_hop(request: Request, target: str, max_times: int, *, refresh: bool) -> None:
    """Raise when following ``request`` -> ``target`` would loop or exceed ``max_times``."""
    target = urldefrag(target)[0]
    error: type[Refusal]
    if _chain(request).count(target) >= LOOP_VISITS:
        error = RefreshLoop if refresh else RedirectLoop
        raise error(f"{request.url} -> {target}: loops back")
    if request.meta.get("redirect_times", 0) + 1 > max_times:
        error = RefreshLoop if refresh else TooManyRedirects
        raise error(f"{request.url}: more than {max_times} redirects")


class RedirectGuard:
    """3xx responses: a loop, or a chain longer than REDIRECT_MAX_TIMES."""

    def __init__(self, max_times: int) -> None:
        self.max_times = max_times

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuard:
        return cls(crawler.settings.getint("REDIRECT_MAX_TIMES"))

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if (request.meta.get("dont_redirect") or response.status not in REDIRECT_CODES
                or not location):
            return response
        target = urljoin(request.url, safe_url_string(location))
        _check_hop(request, target, self.max_times, refresh=False)
        return response


class RefreshGuard:
    """Meta refresh that Scrapy would follow: a loop, an endless chain, or the page itself.

    A page that refreshes to its own URL is an auto-reloading page, not a redirect: it is
    kept as the page (Scrapy would follow it until it gives up).
    """

    def __init__(self, max_times: int, max_delay: float, ignore_tags: list[str]) -> None:
        self.max_times = max_times
        self.max_delay = max_delay
        self.ignore_tags = ignore_tags

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RefreshGuard:
        s = crawler.settings
        return cls(s.getint("REDIRECT_MAX_TIMES"), s.getfloat("METAREFRESH_MAXDELAY"),
                   s.getlist("METAREFRESH_IGNORE_TAGS"))

    def process_response(self, request: Request, response: Response) -> Response:
        if (request.meta.get("dont_redirect") or request.method == "HEAD"
                or not isinstance(response, HtmlResponse)):
            return response
        delay, target = get_meta_refresh(response, ignore_tags=self.ignore_tags)
        if not target or delay is None or delay >= self.max_delay:
            return response
        if urldefrag(target)[0] == urldefrag(request.url)[0]:
            request.meta["dont_redirect"] = True  # MetaRefreshMiddleware reads the same meta
            return response
        _check_hop(request, target, self.max_times, refresh=True)
        return response


class BombGuard(HttpCompressionMiddleware):
    """Scrapy's decompression, whose only refusal is a body past DOWNLOAD_MAXSIZE: a bomb."""

    def process_response(self, request: Request, response: Response,
                         spider: Any = None) -> Request | Response:
        try:
            return super().process_response(request, response)
        except IgnoreRequest as error:
            raise DecompressionBomb(str(error)) from error


class RobotsMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, whose only refusal is a robots.txt ban."""

    async def process_request(self, request: Request, spider: Any = None) -> None:
        try:
            await super().process_request(request)
        except IgnoreRequest as error:
            raise RobotsForbidden(str(error)) from error
