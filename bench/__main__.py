"""``make bench``: run the benchmark scripts in bench/, then print one table of every measure
of issue 12 next to its peer or baseline from the same run.

Each script runs as its own ``python -m bench.<name>`` process (never two at once: the
machine's cores are shared) and writes its figures as JSON; a failing script is reported
and the others still run. Politeness budgets are lifted in the benchmarks only because
every server is on 127.0.0.1 (the scripts say so); real sites keep theirs.

    .venv/bin/python -m bench [--articles 20000] [--quick] [--only wording,patrol_time,crawl,scale]

``--quick``: 3,000 articles (30,000 for the scale run), 5 MB of text. The full run crawls
20,000 and 200,000 articles for the scale measure and takes about an hour on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# The scripts whose figures the summary reads, quick ones first; the others after them.
MEASURED = ("wording", "patrol_time", "crawl", "scale")
OTHERS = ("extract_eval", "typo", "item_list", "hostile")


def _run(name: str, args: list[str]) -> int:
    print(f"== bench.{name} {' '.join(args)}", flush=True)
    started = time.monotonic()
    code = subprocess.call([sys.executable, "-m", f"bench.{name}", *args], cwd=HERE.parent)
    print(f"== bench.{name}: exit {code} after {time.monotonic() - started:.0f} s", flush=True)
    return code


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _row(measure: str, value: str, peer: str, ratio: str, target: str, met: bool | None) -> str:
    verdict = "—" if met is None else ("met" if met else "**missed**")
    return f"| {measure} | {value} | {peer} | {ratio} | {target} | {verdict} |"


def summary(wording: Any, patrol: Any, crawl: Any, scale: Any = None) -> str:
    out = ["| measure | Xunwang | peer / baseline (same run) | ratio | target | |",
           "|---|---:|---|---:|---|---|"]
    if crawl:
        by = {r["tool"]: r for r in crawl}
        xw = by.get("Xunwang (render=never)")
        lk = by.get("linkinator")
        again = next((r for t, r in by.items() if t.startswith("Xunwang 2nd")), None)
        auto = by.get("Xunwang (render=auto)")
        none = by.get("Xunwang (render=auto, nothing to render)")
        if xw and lk:
            ratio = xw["rate"] / lk["rate"] if lk["rate"] else 0.0
            out.append(_row("first crawl, URLs/s", f"{xw['rate']:.0f}", f"linkinator {lk['rate']:.0f}",
                            f"{ratio:.2f}×", "≥ 1.5× linkinator", ratio >= 1.5))
        if xw:
            ms = 1000 * xw["cpu_s"] / max(1, xw["urls"])
            peer = f"linkinator {1000 * lk['cpu_s'] / max(1, lk['urls']):.2f} ms" if lk else "—"
            out.append(_row("CPU per URL (whole tree)", f"{ms:.2f} ms", peer, "", "≤ 1.0 ms", ms <= 1.0))
            out.append(_row("peak RSS, render=never", f"{xw['peak_rss'] / 2**20:.0f} MB",
                            f"linkinator {lk['peak_rss'] / 2**20:.0f} MB" if lk else "—", "",
                            "≤ 300 MB", xw["peak_rss"] <= 300 * 2**20))
        if none:
            out.append(_row("peak RSS, render=auto, no page to render",
                            f"{none['peak_rss'] / 2**20:.0f} MB", "—", "", "≤ 300 MB",
                            none["peak_rss"] <= 300 * 2**20))
        if auto:
            out.append(_row("peak RSS, render=auto, renders", f"{auto['peak_rss'] / 2**20:.0f} MB",
                            "—", "", "≤ 700 MB", auto["peak_rss"] <= 700 * 2**20))
        if again and xw:
            out.append(_row("unchanged re-crawl wall", f"{again['wall_s']:.1f} s",
                            f"first {xw['wall_s']:.1f} s", f"{again['wall_s'] / xw['wall_s']:.0%}",
                            "(crawl only)", None))
    if patrol:
        for mode, target in (("validators", 0.25), ("no-validators", 0.40)):
            if mode not in patrol:
                continue
            rows = dict(patrol[mode]["rows"])
            first, second = rows["first"], rows["second, unchanged"]
            r = patrol[mode]["ratios"]
            if mode == "validators":
                out.append(_row("2nd patrol requests (304s)", str(second["requests"]),
                                f"first {first['requests']}", f"{r['requests']:.0%}", "≤ 20 %",
                                r["requests"] <= 0.20))
            out.append(_row(f"2nd patrol wall, {mode}", f"{second['total']:.1f} s",
                            f"first {first['total']:.1f} s", f"{r['wall']:.0%}",
                            f"≤ {target:.0%}", r["wall"] <= target))
            if mode == "validators":
                out.append(_row("DB growth per unchanged patrol", f"{r['db_growth_mb']:.1f} MB",
                                f"first patrol {first['db'] / 2**20:.1f} MB", "", "≤ 50 MB",
                                r["db_growth_mb"] <= 50))
                out.append(_row("memory of a re-patrol (tree peak)",
                                f"{second['peak_rss'] / 2**20:.0f} MB",
                                f"first {first['peak_rss'] / 2**20:.0f} MB",
                                f"{r['rss_delta_mb']:+.0f} MB", "≤ first + 50 MB",
                                r["rss_delta_mb"] <= 50))
                out.append(_row("same findings both patrols", str(second["findings"]),
                                str(first["findings"]), "", "identical",
                                bool(r["same_findings"])))
    if wording:
        rows = {row["row"]: row for row in wording["rows"]}
        full = rows.get("full: wording.scan (findings, dedupe, masked context)")
        bare = rows.get("full: bare loop over the automaton (limit)")
        if full and bare:
            out.append(_row("wording, built-in + 51k terms, full findings", f"{full['MB/s']:.1f} MB/s",
                            f"bare automaton {bare['MB/s']:.1f} MB/s",
                            f"{full['MB/s'] / bare['MB/s']:.2f}", "≥ 40 MB/s", full["MB/s"] >= 40))
    if scale:
        small, large = scale["rows"]
        out.append(_row(f"scale: first crawl of {large['articles']:,} articles",
                        f"{large['wall_s']:.0f} s", f"{small['articles']:,}: {small['wall_s']:.0f} s",
                        f"{scale['time_ratio']:.1f}× time for {scale['size_ratio']:.1f}× URLs",
                        "≤ 1.1 × the size ratio (linear)", bool(scale["linear"])))
        out.append(_row(f"scale: peak RSS at {large['articles']:,} articles",
                        f"{large['peak_rss'] / 2**20:.0f} MB",
                        f"{small['articles']:,}: {small['peak_rss'] / 2**20:.0f} MB", "",
                        "≤ 400 MB", bool(scale["rss_ok"])))
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default=None, help="comma-separated script names")
    args = parser.parse_args()
    articles = args.articles or (3000 if args.quick else 20000)
    mb = "5" if args.quick else "20"
    only = set(args.only.split(",")) if args.only else None
    work = Path(tempfile.mkdtemp(prefix="xw-bench-"))
    load = os.getloadavg()
    plan: list[tuple[str, list[str]]] = [
        ("wording", ["--mb", mb, "--no-accuracy", "--json", str(work / "wording.json")]),
        ("patrol_time", ["--articles", str(articles), "--json", str(work / "patrol_time.json")]),
        ("crawl", ["--articles", str(articles), "--tools", "xunwang,linkinator,xunwang-auto-none,xunwang-auto",
                   "--json", str(work / "crawl.json")]),
        ("scale", ["--articles", str(articles), "--json", str(work / "scale.json")]),
        *[(name, []) for name in OTHERS],
    ]
    failed = []
    for name, script_args in plan:
        if only is not None and name not in only:
            continue
        if not (HERE / f"{name}.py").exists():
            print(f"== bench.{name}: not present, skipped", flush=True)
            continue
        if _run(name, script_args):
            failed.append(name)
    print(f"\n## Issue 12 measures ({articles} articles; nproc {os.cpu_count()}; load average "
          f"at start {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}, at end "
          f"{os.getloadavg()[0]:.1f}; loopback servers, politeness budgets lifted)\n")
    print(summary(_read(work / "wording.json"), _read(work / "patrol_time.json"),
                  _read(work / "crawl.json"), _read(work / "scale.json")))
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
