"""Several crawler processes on one Redis queue: keep each alive while any other is busy.

scrapy-redis closes a spider when *its* queue pop finds nothing, even though another
worker is still parsing a page that will enqueue hundreds of requests. Each worker
therefore advertises ``busy`` in Redis while its engine has work, and an idle worker
waits (DontCloseSpider) until the queue is empty and no other worker is busy.
"""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

BUSY_TTL_S = 5
BEAT_S = 1.0


class WorkerCoordinator:
    def __init__(self, crawler: Crawler, client: Any, run_id: int, worker: int) -> None:
        self.crawler = crawler
        self.r = client
        self.prefix = f"xunwang:run:{run_id}:busy:"
        self.me = f"{self.prefix}{worker}"
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerCoordinator:
        url = crawler.settings.get("REDIS_URL")
        if not url:
            raise NotConfigured
        import redis

        spider_name = getattr(crawler.spidercls, "name", "spider")
        ext = cls(crawler, redis.Redis.from_url(url), crawler.settings.getint("XW_RUN_ID"),
                  crawler.settings.getint("XW_WORKER"))
        ext.me += f":{spider_name}"
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        return ext

    def opened(self) -> None:
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(BEAT_S, now=True)

    def beat(self) -> None:
        engine = self.crawler.engine
        if engine is not None and not engine.spider_is_idle():
            self.r.set(self.me, "1", ex=BUSY_TTL_S)
        else:
            self.r.delete(self.me)

    def idle(self) -> None:
        self.r.delete(self.me)
        others = [k for k in self.r.scan_iter(match=self.prefix + "*") if k.decode() != self.me]
        if others:
            raise DontCloseSpider

    def closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.r.delete(self.me)
