"""Retries with exponential backoff: a retried request waits before it is sent again."""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware

BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 8.0


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, plus a delay that doubles with each retry of the same request.

    DOWNLOAD_DELAY applies to a whole host; a failing URL should wait alone, so the delay
    travels in ``meta['xw_backoff']`` and is awaited just before the retry is sent.
    """

    def _retry(self, request: Request, reason: Any) -> Request | None:
        retry = super()._retry(request, reason)
        if retry is not None:
            tries = int(retry.meta.get("retry_times", 1))
            retry.meta["xw_backoff"] = min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** (tries - 1))
        return retry

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop("xw_backoff", 0)
        if delay:
            await asyncio.sleep(delay)
