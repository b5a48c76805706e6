"""The extra cost of the security patrol: demo patrol time with ``crawler.security`` on vs off.

Run: ``.venv/bin/python -m bench.security [--articles 20000] [--rounds 1]`` from the repo
root. Serves the demo site group (``xunwang demo-site --benchmark``, its own process) and
runs first patrols (``run_patrol(checks=True)``, each into a fresh SQLite database) with
the security facts, visits and outbound reads off and on, alternating (off, on, off, on …)
so that a machine busy with other work slows both alike. Target: on ≤ 1.10 × off.

What "on" adds: page facts (hidden elements, the page's own <style>, document.write,
scripts and frames) on every HTML page, four visits of each homepage and key column, a
capped GET (``crawler.outbound_body_bytes``) instead of a HEAD for outbound page links, and
the seven security rules.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.crawl import demo_group
from core.settings import load_settings
from scheduler.patrol import run_patrol


def _patrol(work: Path, label: str, index: int, as_of: date, security: bool) -> tuple[float, int]:
    db = f"sqlite:///{work / f'{label}-{index}.db'}"
    settings = load_settings(work / "demo.toml", environ={}, overrides={
        "db": {"url": db}, "mail": {"outbox": str(work / "outbox")},
        "crawler": {"security": security}, "schedule": {"alerts": False}})
    started = time.perf_counter()
    result = run_patrol(settings, as_of=as_of, checks=True, timeout_s=3600)
    elapsed = time.perf_counter() - started
    if result.status != "complete":
        raise SystemExit(f"{label} patrol {index}: {result.status} {result.reason}")
    return elapsed, len(result.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--as-of", default=date.today().isoformat())
    args = parser.parse_args()
    as_of = date.fromisoformat(args.as_of)
    work = Path(tempfile.mkdtemp(prefix="xw-bench-security-"))
    times: dict[str, list[float]] = {"off": [], "on": []}
    findings: dict[str, int] = {}
    with demo_group(work, as_of, args.articles):
        for index in range(args.rounds):
            for label in ("off", "on"):
                elapsed, count = _patrol(work, label, index, as_of, label == "on")
                times[label].append(elapsed)
                findings[label] = count
                print(f"round {index + 1} security {label}: {elapsed:.1f} s, {count} findings",
                      flush=True)
    off, on = statistics.median(times["off"]), statistics.median(times["on"])
    load = os.getloadavg()[0]
    print(f"nproc {os.cpu_count()}, load {load:.1f}, {args.articles} articles, {args.rounds} rounds")
    print("| security | patrol s (median) | findings |\n|---|---:|---:|")
    print(f"| off | {off:.1f} | {findings['off']} |\n| on | {on:.1f} | {findings['on']} |")
    print(f"on / off: {on / off:.2f} (target ≤ 1.10)")


if __name__ == "__main__":
    main()
