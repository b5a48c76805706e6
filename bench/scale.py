"""Scale: does a first crawl's time grow linearly with the site, and does its memory stay flat?

Crawls the demo site group at ``--articles`` and at ``--factor`` times as many (default
20,000 and 200,000), ``render = "never"``, once each on an empty database, with
bench.crawl's settings (loopback servers, politeness budgets lifted for them only), and
reports the wall-time ratio against the size ratio and the peak RSS of each crawl's whole
process tree. The issue-12 targets: the large site takes ≤ 11× the small one's time
(linear), RSS ≤ 400 MB.

    .venv/bin/python -m bench.scale [--articles 20000] [--factor 10] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from bench.crawl import Result, _loadavg, cpu_seconds, demo_group, run_xunwang


def crawl_once(work: Path, as_of: date, articles: int, limit_s: float) -> dict[str, Any]:
    """One first crawl of a fresh demo group of ``articles`` articles, on an empty database."""
    size_dir = work / f"a{articles}"
    size_dir.mkdir(parents=True, exist_ok=True)
    db = size_dir / "xunwang.db"
    db.unlink(missing_ok=True)
    with demo_group(size_dir, as_of, articles) as demo:
        load = _loadavg()
        print(f"[bench.scale] {articles} articles: crawling (load {load}) ...", file=sys.stderr,
              flush=True)
        server_before = cpu_seconds(demo.pid)
        result: Result = run_xunwang(demo, size_dir / "crawl.out", limit_s, db=db,
                                     render="never", label=f"Xunwang, {articles} articles")
        server_cpu = cpu_seconds(demo.pid) - server_before
    m = result.measured
    print(f"[bench.scale] {articles} articles: {m.wall_s:.1f} s, {len(result.urls)} URLs, "
          f"peak {m.peak_rss / 2**20:.0f} MB", file=sys.stderr, flush=True)
    return {"articles": articles, "wall_s": m.wall_s, "cpu_s": m.cpu_s, "urls": len(result.urls),
            "rate": result.rate, "peak_rss": m.peak_rss, "timed_out": m.timed_out,
            "returncode": m.returncode, "server_cpu_s": server_cpu, "load": load,
            "db_bytes": db.stat().st_size if db.exists() else 0, "note": result.note}


def verdict(small: dict[str, Any], large: dict[str, Any]) -> dict[str, Any]:
    size_ratio = large["urls"] / max(1, small["urls"])
    time_ratio = large["wall_s"] / small["wall_s"] if small["wall_s"] else 0.0
    return {"size_ratio": size_ratio, "time_ratio": time_ratio,
            # linear within 10 %: the "≤ 11× the 20k time" for a 10× site
            "linear": (not large["timed_out"]) and time_ratio <= 1.1 * size_ratio,
            "rss_ok": large["peak_rss"] <= 400 * 2**20}


def table(rows: list[dict[str, Any]]) -> str:
    out = ["| articles | wall s | CPU s | server CPU s | URLs | URLs/s | peak RSS MB | DB MB | load |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        flag = " (TIME LIMIT)" if r["timed_out"] else ""
        out.append(f"| {r['articles']}{flag} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} "
                   f"| {r['server_cpu_s']:.1f} | {r['urls']} | {r['rate']:.0f} "
                   f"| {r['peak_rss'] / 2**20:.0f} | {r['db_bytes'] / 2**20:.0f} | {r['load']} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--as-of", default=date.today().isoformat())
    parser.add_argument("--limit", type=float, default=7200.0, help="seconds per crawl")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--keep", type=Path, default=None, help="work dir to keep outputs in")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="xw-bench-scale-"))
    as_of = date.fromisoformat(args.as_of)
    rows = [crawl_once(work, as_of, n, args.limit)
            for n in (args.articles, args.articles * args.factor)]
    result = {"rows": rows, **verdict(rows[0], rows[1])}
    print(table(rows))
    print(f"size ×{result['size_ratio']:.1f}, time ×{result['time_ratio']:.1f} "
          f"(linear: {'yes' if result['linear'] else 'no'}); peak RSS of the large crawl "
          f"{rows[1]['peak_rss'] / 2**20:.0f} MB (≤ 400 MB: {'yes' if result['rss_ok'] else 'no'})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
