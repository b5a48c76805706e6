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
``--modes validators,no-validators``: each mode is its own demo and database; with
``no-validators`` the demo sends no ETag, so the second patrol relies on content hashes.
Requests = responses + failed requests of the crawl; "kept" = pages and targets carried over
from the first patrol without a request (``crawler.previous``).
"""

from __future__ import annotations

import argparse
import cProfile
import json
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
from bench.crawl import Demo, demo_group, tree_rss
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


def _db_bytes(db: str) -> int:
    """Size of a SQLite database with its WAL (0 for another backend)."""
    if not db.startswith("sqlite:///"):
        return 0
    path = Path(db.removeprefix("sqlite:///"))
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def one_patrol(settings: Settings, as_of: date, demo: Demo, profile: Path | None,
               limit_s: float) -> dict[str, Any]:
    profiler = cProfile.Profile() if profile else None
    cpu0 = os.times()
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
    cpu1 = os.times()
    phases = {k: clock.get(k, 0.0) for k in PHASES}
    phases["other"] = total - sum(phases.values())
    sites = result.stats.get("sites", {})
    crawl = result.stats.get("crawl", {})
    return {"status": result.status, "total": total, "phases": phases,
            "findings": len(result.findings), "peak_rss": peak.peak,
            # This process alone (snapshots, checks, reconcile), high-water mark so far.
            "self_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
            # user + system CPU of this process and its waited-for children (the crawler)
            "cpu": sum(cpu1[:4]) - sum(cpu0[:4]),
            "requests": int(crawl.get("responses", 0)) + int(crawl.get("errors", 0)),
            "kept": int(crawl.get("kept", 0)),
            "pages": sum(s.get("pages", 0) for s in sites.values()),
            "targets": sum(s.get("targets", 0) for s in sites.values()),
            "db": _db_bytes(settings.db.url),
            "fingerprints": sorted(f.rule + " " + f.url + " " + (f.target or "")
                                   for f in result.findings)}


def table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    names = [*PHASES, "other"]
    out = ["| patrol | status | total s | CPU s | " + " | ".join(f"{n} s" for n in names)
           + " | requests | kept | pages | targets | findings | DB MB after | peak RSS MB (tree)"
             " | of which patrol process |",
           "|---|---|---:|---:|" + "---:|" * len(names) + "---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label, r in rows:
        out.append(f"| {label} | {r['status']} | {r['total']:.1f} | {r['cpu']:.1f} | "
                   + " | ".join(f"{r['phases'][n]:.1f}" for n in names)
                   + f" | {r['requests']} | {r['kept']} | {r['pages']} | {r['targets']} "
                     f"| {r['findings']} | {r['db'] / 2**20:.0f} "
                     f"| {r['peak_rss'] / 2**20:.0f} | {r['self_rss'] / 2**20:.0f} |")
    return "\n".join(out)


def pair(work: Path, as_of: date, articles: int, db: str | None, profile: Path | None,
         limit: float, *, validators: bool) -> tuple[Settings, list[tuple[str, dict[str, Any]]]]:
    """A first patrol and an unchanged second one of a fresh demo, on one database."""
    work.mkdir(parents=True, exist_ok=True)
    db = db or f"sqlite:///{work / 'patrol.db'}"
    extra = () if validators else ("--no-validators",)
    rows = []
    with demo_group(work, as_of, articles, extra) as demo:
        settings = load_settings(work / "demo.toml", environ={}, overrides={
            "db": {"url": db}, "mail": {"outbox": str(work / "outbox")}})
        # the whole site is crawled: no page or column limit cuts it short
        settings = settings.model_copy(update={
            "sites": tuple(s.model_copy(update={"page_limit": articles + 5000})
                           for s in settings.sites),
            "crawler": settings.crawler.model_copy(update={"column_page_limit": articles})})
        for label in ("first", "second, unchanged"):
            rows.append((label, one_patrol(settings, as_of, demo,
                                           profile if label == "first" else None, limit)))
    return settings, rows


def ratios(rows: list[tuple[str, dict[str, Any]]]) -> dict[str, float]:
    first, second = rows[0][1], rows[1][1]
    return {"requests": second["requests"] / max(1, first["requests"]),
            "wall": second["total"] / first["total"],
            "cpu": second["cpu"] / max(1e-9, first["cpu"]),
            "db_growth_mb": (second["db"] - first["db"]) / 2**20,
            "rss_delta_mb": (second["peak_rss"] - first["peak_rss"]) / 2**20,
            "same_findings": float(first["fingerprints"] == second["fingerprints"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--as-of", default=date.today().isoformat())
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--profile", type=Path, default=None)
    parser.add_argument("--limit", type=float, default=900.0, help="seconds per patrol")
    parser.add_argument("--modes", default="validators,no-validators",
                        help="validators (the demo answers If-None-Match with 304), "
                             "no-validators (no ETag: content hashes only)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    work = Path(tempfile.mkdtemp(prefix="xw-bench-patrol-"))
    load = os.getloadavg()[0]
    results: dict[str, Any] = {}
    settings = None
    for mode in [m for m in args.modes.split(",") if m]:
        settings, rows = pair(work / mode, as_of, args.articles, args.db, args.profile, args.limit,
                              validators=mode == "validators")
        results[mode] = {"rows": rows, "ratios": ratios(rows)}
    assert settings is not None
    c = settings.crawler
    print(f"nproc {os.cpu_count()}, load (1 min) at start {load:.1f}, {args.articles} articles, "
          f"db {(args.db or 'sqlite').split(':')[0]}, demo config: concurrency_per_host "
          f"{c.concurrency_per_host}, retries {c.retries}, timeout {c.timeout_seconds} s, "
          f"autothrottle {c.autothrottle}, full_check_days {c.full_check_days}, render "
          f"{sorted({s.render for s in settings.sites})} (politeness budgets lifted: loopback only)")
    for mode, result in results.items():
        r = result["ratios"]
        print(f"\n### {mode}\n")
        print(table(result["rows"]))
        print(f"\nsecond / first: requests {r['requests']:.0%}, wall {r['wall']:.0%}, CPU "
              f"{r['cpu']:.0%}; DB growth {r['db_growth_mb']:.1f} MB; peak RSS "
              f"{r['rss_delta_mb']:+.0f} MB; same findings: {bool(r['same_findings'])}")
    if args.json:
        for result in results.values():
            for _label, row in result["rows"]:
                row.pop("fingerprints", None)
        args.json.write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
