"""Whole-patrol time on the demo site group, split into crawl / snapshot / checks / store.

Run: ``.venv/bin/python -m bench.patrol_time`` (from the repo root). Serves the demo group
(``xunwang demo-site --benchmark``, its own process) with the demo's own configuration,
then runs ``run_patrol(checks=True)`` in this process twice against one database: a first
patrol and a second, unchanged one. Phases are timed from outside by wrapping the
functions ``scheduler.patrol`` calls (nothing in the product is edited):

- crawl: ``run_crawl`` (the ``python -m crawler`` child, which also stores pages/links);
- snapshot: ``site_snapshot`` / ``account_snapshot`` (reading what was stored);
- checks: ``load_lexicon``, ``check_site``, ``check_account`` (pure rules);
- store: ``_store_findings``, ``_coverage``, ``reconcile``, ``_finish`` and ``upgrade``;
- other: the rest (run rows, the judge transaction's commit, engine setup).

``--profile FILE`` writes a cProfile of the in-process part of the first patrol.
``--limit S`` is each patrol's time limit (run_patrol's ``timeout_s``).
``--links-source-index`` is an experiment, off by default: it adds an index on
links(run_id, source) to the bench database first (the unchanged-page copy looks links up
by source; without it each lookup scans the previous run's links).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import resource
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import scheduler.patrol
from bench.crawl import Demo, add_links_source_index, demo_group, tree_rss
from core.settings import Settings, load_settings

PHASES = {
    "crawl": [(scheduler.patrol, "run_crawl")],
    "snapshot": [(scheduler.patrol, "site_snapshot"), (scheduler.patrol, "account_snapshot")],
    "checks": [(scheduler.patrol, "load_lexicon"), (scheduler.patrol, "run_checks")],
    "store": [(scheduler.patrol, "add_findings"), (scheduler.patrol, "_coverage"),
              (scheduler.patrol, "reconcile"), (scheduler.patrol, "_finish"),
              (scheduler.patrol, "upgrade")],
}


def _timed(fn: Callable[..., Any], phase: str, clock: dict[str, float],
           materialise: bool) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            out = fn(*args, **kwargs)
            # check_site may hand back a generator: the work happens when it is consumed.
            return list(out) if materialise else out
        finally:
            clock[phase] += time.perf_counter() - started
    return wrapper


@contextmanager
def phase_clock() -> Iterator[dict[str, float]]:
    clock: dict[str, float] = defaultdict(float)
    saved = []
    for phase, targets in PHASES.items():
        for module, name in targets:
            fn = getattr(module, name)
            saved.append((module, name, fn))
            setattr(module, name, _timed(fn, phase, clock, name == "run_checks"))
    try:
        yield clock
    finally:
        for module, name, fn in saved:
            setattr(module, name, fn)


class TreePeak:
    """Peak RSS of this process and its descendants (crawler, Chromium), minus the demo's."""

    def __init__(self, exclude: int) -> None:
        self.exclude, self.peak = exclude, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, tree_rss(os.getpid()) - tree_rss(self.exclude))

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def one_patrol(settings: Settings, as_of: date, demo: Demo, profile: Path | None,
               limit_s: float) -> dict[str, Any]:
    profiler = cProfile.Profile() if profile else None
    with phase_clock() as clock, TreePeak(demo.pid) as peak:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        result = scheduler.patrol.run_patrol(settings, as_of=as_of, checks=True,
                                            timeout_s=limit_s)
        if profiler:
            profiler.disable()
            profiler.dump_stats(str(profile))
        total = time.perf_counter() - started
    phases = {k: clock.get(k, 0.0) for k in PHASES}
    phases["other"] = total - sum(phases.values())
    sites = result.stats.get("sites", {})
    return {"status": result.status, "total": total, "phases": phases,
            "findings": len(result.findings), "peak_rss": peak.peak,
            # This process alone (snapshots, checks, reconcile), high-water mark so far.
            "self_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            "pages": sum(s.get("pages", 0) for s in sites.values()),
            "targets": sum(s.get("targets", 0) for s in sites.values())}


def table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    names = [*PHASES, "other"]
    out = ["| patrol | status | total s | " + " | ".join(f"{n} s" for n in names)
           + " | pages | targets | findings | peak RSS MB (tree) | of which patrol process |",
           "|---|---|---:|" + "---:|" * len(names) + "---:|---:|---:|---:|---:|"]
    for label, r in rows:
        out.append(f"| {label} | {r['status']} | {r['total']:.1f} | "
                   + " | ".join(f"{r['phases'][n]:.1f}" for n in names)
                   + f" | {r['pages']} | {r['targets']} | {r['findings']} "
                     f"| {r['peak_rss'] / 2**20:.0f} | {r['self_rss'] / 2**20:.0f} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--as-of", default=date.today().isoformat())
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--limit", type=float, default=900.0, help="seconds per patrol")
    parser.add_argument("--links-source-index", action="store_true")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    work = Path(tempfile.mkdtemp(prefix="xw-bench-patrol-"))
    db = args.db or f"sqlite:///{work / 'patrol.db'}"
    if args.links_source_index:
        add_links_source_index(db)
    rows = []
    with demo_group(work, as_of, args.articles) as demo:
        settings = load_settings(work / "demo.toml", environ={}, overrides={
            "db": {"url": db}, "mail": {"outbox": str(work / "outbox")}})
        for label in ("first", "second, unchanged"):
            rows.append((label, one_patrol(settings, as_of, demo,
                                           args.profile if label == "first" else None,
                                           args.limit)))
    c = settings.crawler
    print(f"nproc {os.cpu_count()}, {args.articles} articles, db {db.split(':')[0]}, demo "
          f"config: concurrency_per_host {c.concurrency_per_host}, retries {c.retries}, "
          f"timeout {c.timeout_seconds} s, autothrottle {c.autothrottle}, render "
          f"{sorted({s.render for s in settings.sites})}")
    print(table(rows))
    first, second = rows[0][1]["total"], rows[1][1]["total"]
    print(f"second / first: {second / first:.0%}"
          + (" (with the links(run_id, source) index experiment)" if args.links_source_index
             else ""))


if __name__ == "__main__":
    main()
