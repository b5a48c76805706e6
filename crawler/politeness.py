"""Per-host politeness: a request budget, robots Crawl-delay, Retry-After and backoff.

Every request waits in ``HostPolicy.process_request`` (the last downloader middleware
before the network) for its host's turn. Turns of one host (scheme-less ``host:port``)
are at least ``interval`` seconds apart::

    interval = max(1 / budget, robots.txt Crawl-delay, backoff)

- ``budget`` is ``crawler.requests_per_second`` for the hosts of the patrolled sites and
  account mirrors (``XW_SITE_HOSTS``, from ``crawler.config.site_hosts``) and
  ``crawler.external_requests_per_second`` for every other host (outbound link probes);
  probed hosts also get only ``crawler.external_concurrency`` requests at once.
- ``backoff`` doubles with each 429 or 503 of the host (from the budget interval, up to
  ``BACKOFF_MAX_S``) and halves with each answer below 400.
- ``Retry-After`` on a 429 or 503 pauses the whole host that long when it is at most
  ``crawler.retry_after_max_seconds``; the request is retried after the pause. A longer
  pause is not waited for: the host is closed for the rest of the crawl, the response goes
  to the spider as it is (no retry) and every later request to the host fails with
  ``HostRefused`` without being sent (link verdict suspect, never broken).

Turns are handed out one at a time, first come first served, so a stalled event loop
cannot release a burst; and a turn counts from when the event loop got round to sending
the previous request (a page parsed in between delays that send, not the next turn). A
host whose interval is ``SERIAL_S`` or more (the default budgets, a Crawl-delay, a
backed-off host) gets one request at a time, each turn counted from the previous answer:
then no delay on the way to the server can bring two requests closer than the interval.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.core.downloader import Slot
from scrapy.crawler import Crawler
from scrapy.http import Response

from crawler.refusals import HostRefused

BACKOFF_MAX_S = 60.0
MARGIN = 1.05  # spacing a little above 1/budget: jitter on the way out must not push us over
SENT_HOPS = 3  # event-loop turns after its turn until a request is on the wire
PAUSE_CODES = {429: "429", 503: "5xx"}
SERIAL_S = 0.2  # the default 5 requests/s and slower: exact at the server, whatever the jitter
POLL_S = 0.05


@dataclass
class _Gate:
    """One host's schedule."""

    base: float
    crawl_delay: float = 0.0
    backoff: float = 0.0
    last_sent: float = float("-inf")
    last_answer: float = float("-inf")
    inflight: int = 0
    paused_until: float = 0.0
    closed: str | None = None  # failure class once the host asked for too long a pause
    # One waiter at a time, first come first served: a stalled event loop that wakes many
    # sleepers at once must not let them out together.
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)

    def interval(self) -> float:
        return max(self.base, self.crawl_delay, self.backoff)


def retry_after(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def host_key(url: str) -> str:
    return urlsplit(url).netloc.lower()


class HostPolicy:
    """The downloader middleware described in the module docstring."""

    def __init__(self, crawler: Crawler) -> None:
        s = crawler.settings
        self.crawler = crawler
        self.site_hosts = {h.lower() for h in s.getlist("XW_SITE_HOSTS")}
        self.site_interval = 1.0 / s.getfloat("XW_REQUESTS_PER_SECOND", 5.0)
        self.external_interval = 1.0 / s.getfloat("XW_EXTERNAL_REQUESTS_PER_SECOND", 1.0)
        self.external_concurrency = s.getint("XW_EXTERNAL_CONCURRENCY", 2)
        self.max_pause = s.getfloat("XW_RETRY_AFTER_MAX_SECONDS", 120.0)
        self.answer_wait = s.getfloat("DOWNLOAD_TIMEOUT", 180.0) + 5.0
        self.user_agent = s.get("USER_AGENT", "")
        self.gates: dict[str, _Gate] = {}
        self.sent: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostPolicy:
        policy = cls(crawler)
        crawler.signals.connect(policy.robots_parsed, signal=signals.robots_parsed)
        return policy

    def _is_site(self, key: str) -> bool:
        return key in self.site_hosts or key.split(":")[0] in self.site_hosts

    def gate(self, key: str) -> _Gate:
        if key not in self.gates:
            base = self.site_interval if self._is_site(key) else self.external_interval
            self.gates[key] = _Gate(base * MARGIN)
        return self.gates[key]

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        delay = robotparser.crawl_delay(self.user_agent)
        if delay:
            self.gate(host_key(request.url)).crawl_delay = float(delay) * MARGIN

    async def process_request(self, request: Request) -> None:
        key = host_key(request.url)
        gate = self.gate(key)
        await self._turn(gate, key)
        gate.inflight += 1
        request.meta["xw_gate"] = True  # paired with _answered: once per request sent
        self.sent[key] = self.sent.get(key, 0) + 1
        # Scrapy keys slots by host name and keeps a redirected request in its first slot
        request.meta["download_slot"] = key
        if not self._is_site(key):
            self._small_slot(key)

    async def _turn(self, gate: _Gate, key: str) -> None:
        async with gate.turn:
            while True:
                if gate.closed:
                    raise HostRefused(f"{key} asked for a pause longer than we wait",
                                      gate.closed)
                now = time.monotonic()
                interval = gate.interval()
                start = max(gate.last_sent + interval, gate.paused_until)
                if interval >= SERIAL_S:
                    if gate.inflight and now - gate.last_sent < self.answer_wait:
                        await asyncio.sleep(POLL_S)  # one at a time: wait for the answer
                        continue
                    start = max(start, gate.last_answer + interval)
                if start <= now:
                    self._mark_sent(gate, SENT_HOPS)
                    return
                await asyncio.sleep(start - now)

    def _mark_sent(self, gate: _Gate, hops: int) -> None:
        """Move the host's last send to now, and again on the next ``hops - 1`` loop turns."""
        gate.last_sent = max(gate.last_sent, time.monotonic())
        if hops > 1:
            asyncio.get_running_loop().call_soon(self._mark_sent, gate, hops - 1)

    def _small_slot(self, key: str) -> None:
        """A probed host's download slot takes only ``external_concurrency`` requests at once."""
        assert self.crawler.engine is not None
        slots = self.crawler.engine.downloader.slots
        if key not in slots:
            s = self.crawler.settings
            slots[key] = Slot(self.external_concurrency, s.getfloat("DOWNLOAD_DELAY"),
                              s.getfloat("DOWNLOAD_DELAY_JITTER", 0.0))

    def _answered(self, request: Request) -> _Gate:
        gate = self.gate(host_key(request.url))
        if request.meta.pop("xw_gate", False):
            gate.inflight -= 1
            gate.last_answer = time.monotonic()
        return gate

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._answered(request)

    def process_response(self, request: Request, response: Response) -> Response:
        gate = self._answered(request)
        failure = PAUSE_CODES.get(response.status)
        if failure is None:
            if response.status < 400:
                gate.backoff /= 2
            return response
        gate.backoff = min(BACKOFF_MAX_S, max(gate.base, gate.backoff) * 2)
        wait = retry_after(response.headers.get("Retry-After"))
        if wait is not None and wait > self.max_pause:
            gate.closed = failure
            request.meta["dont_retry"] = True  # the retry middleware reads the same meta
        elif wait is not None:
            gate.paused_until = max(gate.paused_until, time.monotonic() + wait)
        return response
