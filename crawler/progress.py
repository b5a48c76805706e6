"""A Scrapy extension that prints crawl progress as JSON lines for the parent process."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from twisted.internet import task

INTERVAL_S = 1.0


class ProgressReporter:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.loop: task.LoopingCall | None = None
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressReporter:
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self) -> None:
        self.loop = task.LoopingCall(self.report)
        self.loop.start(INTERVAL_S, now=False)

    def closed(self, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.report(final=reason)

    def report(self, final: str | None = None) -> None:
        stats = self.crawler.stats
        assert stats is not None
        spider: Any = self.crawler.spider
        progress = getattr(spider, "progress", {})
        line = {
            "event": "done" if final else "progress",
            "spider": f"{getattr(spider, 'name', '')}#{self.crawler.settings.getint('XW_WORKER')}",
            "pages": progress.get("pages", 0),
            "links": progress.get("links", 0),
            "errors": progress.get("errors", 0),
            "kept": progress.get("kept", 0),  # carried over from the last run, not requested
            "responses": stats.get_value("response_received_count", 0),
            "elapsed": round(time.monotonic() - self.started, 1),
        }
        if final:
            line["reason"] = final
            # why the crawl fetched less than it found: limits reached, trap URL patterns
            line["limits"] = dict(getattr(spider, "limits", {}))
            line["truncated"] = dict(getattr(spider, "truncated", {}))  # site -> refused fetches
            traps = getattr(spider, "traps", None)
            line["traps"] = traps.summary() if traps is not None else {}
            line["browser_launches"] = stats.get_value("xw/browser_launches", 0)
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()
