"""Scrapy settings, derived in one place from Xunwang's Settings."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from core.settings import CrawlerConfig, Settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # Fewer processes: every Chromium process maps the same large binary, so each one adds
    # ~50-100 MB of resident memory to the crawl's process tree.
    "--renderer-process-limit=1",
    "--in-process-gpu",
    "--no-zygote",  # needs --no-sandbox, set above
    "--enable-features=NetworkServiceInProcess2",
    "--js-flags=--max-old-space-size=256",  # a runaway page script ends its own renderer
]
RENDER_PAGES = 2  # pages rendered at once by a crawl
PAGES_PER_CONTEXT = 50  # then a fresh browser context: a long crawl does not accumulate state
# A render loads the page, its scripts and their requests until the network is quiet: one
# request's timeout is too short for it (the demo's 3 s lost its rendered list under load).
RENDER_MIN_TIMEOUT_S = 10.0


def browser_path(c: CrawlerConfig) -> str:
    """The browser executable: Debian's headless shell when installed (the same Blink, about
    half the memory of the full browser), else ``chromium_path``."""
    shell = c.headless_shell_path
    if shell and os.path.isfile(shell) and os.access(shell, os.X_OK):
        return shell
    return c.chromium_path


def site_hosts(settings: Settings) -> list[str]:
    """Hosts patrolled, not merely probed (``crawler.politeness``): ``host:port`` of every
    configured site and account mirror, and the extra host names of the sites' scopes."""
    hosts: set[str] = set()
    for site in settings.sites:
        hosts.update(urlsplit(u).netloc.lower() for u in (site.url, *site.prefixes))
        hosts.update(h.lower() for h in site.hosts)
    hosts.update(urlsplit(a.url).netloc.lower() for a in settings.accounts)
    return sorted(hosts)


def scrapy_settings(settings: Settings, *, render: bool) -> dict[str, Any]:
    c = settings.crawler
    out: dict[str, Any] = {
        "BOT_NAME": "xunwang",
        "USER_AGENT": c.user_agent,
        "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": c.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": c.concurrency_per_host,
        "DOWNLOAD_DELAY": c.download_delay,
        "DOWNLOAD_TIMEOUT": c.timeout_seconds,
        "DOWNLOAD_MAXSIZE": max(c.max_page_bytes, c.max_attachment_bytes),
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": c.retries > 0,
        "RETRY_TIMES": c.retries,
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
        "HTTPERROR_ALLOW_ALL": True,
        "REDIRECT_MAX_TIMES": 20,  # as browsers: a longer chain is 'too-many-redirects'
        "AUTOTHROTTLE_ENABLED": c.autothrottle,
        "AUTOTHROTTLE_START_DELAY": 0.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(c.concurrency_per_host),
        "AUTOTHROTTLE_MAX_DELAY": 10.0,
        "DNS_TIMEOUT": min(10.0, c.timeout_seconds),
        "COOKIES_ENABLED": True,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_ENABLED": True,
        "LOG_LEVEL": "ERROR",
        "STATS_DUMP": False,
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        "ITEM_PIPELINES": {"crawler.pipeline.StorePipeline": 300},
        # Scrapy starts this many asyncio tasks for every response's output; the pipeline
        # is synchronous, so more only costs task creation.
        "CONCURRENT_ITEMS": 2,
        # Per-item DEBUG records are built even when not shown; depth, referer, URL length and
        # offsite filtering are decided by the spider itself.
        "LOG_FORMATTER": "crawler.quietlog.QuietLogFormatter",
        "SPIDER_MIDDLEWARES_BASE": {
            "scrapy.spidermiddlewares.start.StartSpiderMiddleware": 25,
            "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": 50,
        },
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.guards.RobotsMiddleware": 100,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.middleware.BackoffRetryMiddleware": 550,
            "crawler.guards.RefreshGuard": 585,
            "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
            "crawler.guards.BombGuard": 590,
            "crawler.guards.RedirectGuard": 610,
            "crawler.politeness.HostPolicy": 950,  # last: the wait is right before sending
            # per-request byte and status counters nobody reads (CoreStats counts responses)
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
            # the spider decides scope itself and sends no credentials: one call less each
            # way for every request
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
        },
        "XW_SITE_HOSTS": site_hosts(settings),
        "XW_REQUESTS_PER_SECOND": c.requests_per_second,
        "XW_EXTERNAL_REQUESTS_PER_SECOND": c.external_requests_per_second,
        "XW_EXTERNAL_CONCURRENCY": c.external_concurrency,
        "XW_RETRY_AFTER_MAX_SECONDS": c.retry_after_max_seconds,
        "MEMUSAGE_ENABLED": False,
        # Scrapy 2.19 starts, in every crawl, an HTTP server on localhost that runs Python
        # code sent to it (token in a job file under ~/.local/state/scrapy): nothing we use,
        # aiohttp's import and the server cost start-up time, and it is a door into the crawl.
        "REMOTE_CONTROL_ENABLED": False,
        # Scrapy re-parses a callback's source on every response to warn about a generator
        # returning a value (ours do not): 2 % of a crawl's CPU for nothing.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
    }
    if render:
        # crawler.browser starts scrapy-playwright (and Chromium) only for a page to render
        out["DOWNLOAD_HANDLERS"] = {
            "http": "crawler.browser.RenderHandler",
            "https": "crawler.browser.RenderHandler",
        }
        out["XW_BROWSER_IDLE_SECONDS"] = c.browser_idle_seconds
        out["XW_RENDER_PAGES"] = RENDER_PAGES
        out["XW_PAGES_PER_CONTEXT"] = PAGES_PER_CONTEXT
        out["PLAYWRIGHT_BROWSER_TYPE"] = "chromium"
        out["PLAYWRIGHT_MAX_PAGES_PER_CONTEXT"] = RENDER_PAGES
        out["PLAYWRIGHT_ABORT_REQUEST"] = "crawler.browser.skip_resource"
        out["PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT"] = max(c.timeout_seconds,
                                                           RENDER_MIN_TIMEOUT_S) * 1000
        if c.cdp_url:
            out["PLAYWRIGHT_CDP_URL"] = c.cdp_url
        else:
            out["PLAYWRIGHT_LAUNCH_OPTIONS"] = {
                "executable_path": browser_path(c),
                "headless": True,
                "args": CHROMIUM_ARGS,
            }
    return out


def redis_settings(settings: Settings, run_id: int) -> dict[str, Any]:
    """scrapy-redis: a request queue per run and spider, kept until the patrol cleans it up.

    Requests are pickled into Redis (scrapy-redis's format): the Redis server must be one
    the office trusts. Duplicates are filtered by ``crawler.state.RedisState`` (a set per
    run that expires), not by scrapy-redis's unbounded dupefilter.
    """
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",  # built, never consulted
        "SCHEDULER_PERSIST": True,  # one worker closing must not flush the others' queue
        "SCHEDULER_QUEUE_KEY": f"xunwang:run:{run_id}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"xunwang:run:{run_id}:%(spider)s:dupefilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
        "REDIS_URL": settings.crawler.redis_url,
    }
