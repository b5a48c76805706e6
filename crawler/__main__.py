"""``python -m crawler``: one patrol's crawl, run as its own process by ``crawler.process``.

Arguments: ``--settings FILE`` (the validated Settings as JSON), ``--run-id N``,
``--as-of YYYY-MM-DD``, ``--sites a,b`` and ``--accounts c,d`` (names, may be empty),
``--verify FILE`` (JSON: site -> URLs of its live items, always requested), ``--parent PID``
and ``--time-limit SECONDS`` (see ``crawler.lifeline``: the crawl ends
itself when its parent dies or its time is up). Progress goes to stdout as JSON lines; the
exit status is 0 when the crawl finished.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from scrapy.crawler import CrawlerProcess

from core.settings import Settings
from crawler.config import redis_settings, scrapy_settings
from crawler.lifeline import hold
from crawler.previous import PreviousIndex, load_previous
from crawler.state import LocalState, RedisState
from store.session import make_engine, make_sessionmaker


def _names(value: str) -> list[str]:
    return [n for n in value.split("\x1f") if n] if value else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler")
    parser.add_argument("--settings", required=True)
    parser.add_argument("--run-id", type=int, required=True)
    parser.add_argument("--as-of", required=True)
    parser.add_argument("--sites", default="")
    parser.add_argument("--accounts", default="")
    parser.add_argument("--worker", type=int, default=0)
    parser.add_argument("--parent", type=int, default=None)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--verify", default=None)
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.time_limit if args.time_limit else None
    if args.parent is not None:
        hold(args.parent, deadline)
    settings = Settings.model_validate(json.loads(Path(args.settings).read_text("utf-8")))
    as_of = date.fromisoformat(args.as_of)
    sites, accounts = _names(args.sites), _names(args.accounts)

    previous = _previous(settings, sites)
    verify = json.loads(Path(args.verify).read_text("utf-8")) if args.verify else {}
    render = any(s.render != "never" for s in settings.sites if s.name in sites) or any(
        a.render != "never" for a in settings.accounts if a.name in accounts)
    config = scrapy_settings(settings, render=render)
    config.update({"XW_DB_URL": settings.db.url, "XW_RUN_ID": args.run_id,
                   "XW_WORKER": args.worker,
                   "EXTENSIONS": {"crawler.progress.ProgressReporter": 500}})
    if deadline is not None:  # spiders close themselves at the deadline, cleanly
        config["CLOSESPIDER_TIMEOUT"] = max(1.0, deadline - time.monotonic())
    state = LocalState()
    if settings.crawler.redis_url:
        import redis

        config.update(redis_settings(settings, args.run_id))
        config["EXTENSIONS"]["crawler.workers.WorkerCoordinator"] = 510
        state = RedisState(redis.Redis.from_url(settings.crawler.redis_url), args.run_id)
    process = CrawlerProcess(config, install_root_handler=True)
    if sites:
        from crawler.spiders.site import SiteSpider

        process.crawl(SiteSpider, xw=settings, site_names=sites, previous=previous, as_of=as_of,
                      state=state, verify=verify)
    if accounts:
        from crawler.spiders.mirror import MirrorSpider

        process.crawl(MirrorSpider, xw=settings, account_names=accounts, as_of=as_of)
    process.start()
    return 0


def _previous(settings: Settings, sites: list[str]) -> dict[str, PreviousIndex]:
    # not disposed: the indexes read the last run's link sets through it during the crawl
    factory = make_sessionmaker(make_engine(settings.db.url))
    with factory() as session:
        return {name: load_previous(session, name) for name in sites}


if __name__ == "__main__":
    sys.exit(main())
