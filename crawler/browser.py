"""The crawl's http(s) download handler: Scrapy's HTTP/1.1 client, and Chromium only on demand.

A request whose meta has ``playwright`` is rendered by scrapy-playwright's handler, which
this one starts on the first such request (importing Playwright, starting its driver and
then Chromium) and stops again once no page has been rendered for ``XW_BROWSER_IDLE_SECONDS``;
the next render starts it anew. A crawl that renders nothing never starts a browser: the
driver and Chromium cost far more memory than the rest of the crawl.

While it runs, memory is bounded: at most ``XW_RENDER_PAGES`` pages at once, each closed
after use (scrapy-playwright does), a fresh browser context every
``XW_PAGES_PER_CONTEXT`` pages (the old one is closed once its pages are done), and images,
media and fonts never fetched (``skip_resource``): a render only serves the page's links
and text. Launches are counted in the crawl stats (``xw/browser_launches``).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Request, Response

SKIPPED_RESOURCES = frozenset({"image", "media", "font"})


def skip_resource(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: what a render for links and text does not need."""
    return request.resource_type in SKIPPED_RESOURCES


class OnDemand:
    """A renderer (scrapy-playwright's handler) started on first use, stopped when idle.

    ``start`` returns a started renderer; ``render`` admits at most ``pages`` requests at once,
    puts each in the current browser context and arms the idle timer when the last one ends.
    """

    def __init__(self, start: Callable[[], Awaitable[Any]], *, idle_s: float, pages: int,
                 per_context: int) -> None:
        self.start = start
        self.idle_s = idle_s
        self.per_context = max(1, per_context)
        self.pages = asyncio.Semaphore(max(1, pages))
        self.renderer: Any = None  # while the browser is up
        self.launches = 0
        self.busy = 0  # renders admitted and not finished
        self.lock = asyncio.Lock()  # start and stop never interleave with an admission
        self.idle: asyncio.TimerHandle | None = None
        self.generation = 0  # the context new pages open in: f"xw-{generation}"
        self.opened = 0  # pages opened in the current context
        self.in_context: Counter[str] = Counter()

    async def render(self, request: Request) -> Response:
        async with self.pages:
            renderer = await self._admit()
            context = await self._context(renderer)
            request.meta["playwright_context"] = context
            try:
                response: Response = await renderer.download_request(request)
                return response
            finally:
                await self._release(renderer, context)

    async def stop_if_idle(self) -> None:
        async with self.lock:
            if self.busy == 0:
                await self._stop()

    async def close(self) -> None:
        self._cancel_idle()
        async with self.lock:
            await self._stop()

    async def _admit(self) -> Any:
        self._cancel_idle()
        async with self.lock:
            if self.renderer is None:
                self.renderer = await self.start()
                self.launches += 1
                self.generation, self.opened = self.generation + 1, 0
            self.busy += 1
            return self.renderer

    async def _stop(self) -> None:
        renderer, self.renderer = self.renderer, None
        self.in_context.clear()
        if renderer is not None:
            await renderer.close()  # contexts, browser, Playwright's driver, its HTTP pool

    async def _context(self, renderer: Any) -> str:
        if self.opened >= self.per_context:
            old = f"xw-{self.generation}"
            self.generation, self.opened = self.generation + 1, 0
            if self.in_context[old] <= 0:
                await self._retire(renderer, old)
        self.opened += 1
        name = f"xw-{self.generation}"
        self.in_context[name] += 1
        return name

    async def _release(self, renderer: Any, context: str) -> None:
        self.busy -= 1
        self.in_context[context] -= 1
        if context != f"xw-{self.generation}" and self.in_context[context] <= 0:
            await self._retire(renderer, context)
        if self.busy == 0:
            self.idle = asyncio.get_running_loop().call_later(
                self.idle_s, lambda: asyncio.ensure_future(self.stop_if_idle()))

    async def _retire(self, renderer: Any, context: str) -> None:
        """Close a context no new page opens in, once its last page is done."""
        del self.in_context[context]
        wrapper = renderer.context_wrappers.get(context) if renderer is self.renderer else None
        if wrapper is not None:
            await wrapper.context.close()

    def _cancel_idle(self) -> None:
        if self.idle is not None:
            self.idle.cancel()
            self.idle = None


class RenderHandler(HTTP11DownloadHandler):
    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.browser = OnDemand(self._start, idle_s=settings.getfloat("XW_BROWSER_IDLE_SECONDS", 30.0),
                                pages=settings.getint("XW_RENDER_PAGES", 2),
                                per_context=settings.getint("XW_PAGES_PER_CONTEXT", 50))

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get("playwright"):
            return await super().download_request(request)
        return await self.browser.render(request)

    async def close(self) -> None:
        await self.browser.close()
        await super().close()

    async def _start(self) -> Any:
        from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

        renderer = ScrapyPlaywrightDownloadHandler(self._crawler)
        await renderer._launch()  # what its engine_started hook does; that signal is past
        assert self._crawler.stats is not None
        self._crawler.stats.inc_value("xw/browser_launches")
        return renderer
