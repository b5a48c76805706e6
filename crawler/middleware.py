"""Retries with exponential backoff, built on Scrapy's public ``get_retry_request``."""

from __future__ import annotations

import asyncio

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 8.0


class BackoffRetryMiddleware:
    """Retry RETRY_HTTP_CODES and RETRY_EXCEPTIONS, waiting longer before each retry.

    DOWNLOAD_DELAY and ``crawler.politeness`` pace a whole host; a failing URL should also
    wait alone, so its delay travels in ``meta['xw_backoff']`` and is awaited just before
    the retry is sent. ``dont_retry`` in meta (set by ``HostPolicy`` when a host asks for a
    pause longer than we wait) turns retries off for that request.
    """

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        if not s.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.codes = {int(x) for x in s.getlist("RETRY_HTTP_CODES")}
        self.exceptions = tuple(load_object(x) if isinstance(x, str) else x
                                for x in s.getlist("RETRY_EXCEPTIONS"))

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.codes:
            return response
        return self._retry(request, response_status_message(response.status)) or response

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions):
            return None
        return self._retry(request, exception)

    def _retry(self, request: Request, reason: str | Exception) -> Request | None:
        assert self.crawler.spider is not None
        retry = get_retry_request(request, spider=self.crawler.spider, reason=reason)
        if retry is not None:
            tries = int(retry.meta.get("retry_times", 1))
            retry.meta["xw_backoff"] = min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** (tries - 1))
        return retry

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop("xw_backoff", 0)
        if delay:
            await asyncio.sleep(delay)
