"""Hostile-site benchmark: one patrol of every trap in tests/crawler/hostile.py, limits checked.

Run ``.venv/bin/python -m bench.hostile`` from the repo root. The hostile site (infinite
calendar, endless 下一页 list, redirect and refresh loops, endless redirect chain, gzip bomb,
50 MB pages, slow drip, a page of 10,000 links, 429 with Retry-After on two hosts, a host
asking Crawl-delay: 1, text nested 5,000 deep) runs in its own process, so its CPU and
memory are not counted; the patrol runs as ``xunwang patrol`` with its process tree's RSS
sampled every 0.2 s (``bench.crawl.measure``). Requests are counted where they arrive: at
the hostile site's servers.

Politeness is lifted for loopback only, and the table says so: the patrolled host's
budget is ``--site-rps`` (default 200 requests/s; shipped default
``crawler.requests_per_second`` = 5) and other hosts' ``--external-rps`` (default 20;
shipped ``crawler.external_requests_per_second`` = 1). Crawl-delay, Retry-After, the
page limit (1,500, the attacked site's), the column page limit and the trap detection are
as shipped.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from bench.crawl import XUNWANG, Measured, measure
from tests.crawler.hostile import peak_per_second
from xunwang.demo.config import render_toml

ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 11, 27)
PAGE_LIMIT = 1500
COLUMN_PAGE_LIMIT = 50  # crawler.column_page_limit, shipped default
SHIPPED_SITE_RPS, SHIPPED_EXTERNAL_RPS = 5.0, 1.0
TRAPS = {  # path on the main host -> what it is
    "loop/a": "redirect loop", "chain/1": "endless redirect chain", "refresh/a": "meta-refresh loop",
    "bomb.html": "gzip bomb", "big.html": "50 MB page", "big-stream.html": "50 MB page, no length",
    "drip.html": "slow drip", "private/x.html": "robots.txt Disallow",
}


def _start_site(work: Path, many_links: int) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    info, log = work / "hosts.json", work / "hits.json"
    for stale in (info, log):
        stale.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.crawler.hostile", "--info", str(info), "--log", str(log),
         "--many-links", str(many_links)], cwd=ROOT, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hostile site exited with status {proc.returncode}")
        if info.exists() and info.stat().st_size:
            return proc, json.loads(info.read_text(encoding="utf-8"))
        time.sleep(0.1)
    raise RuntimeError("hostile site did not start within 60 s")


def _stop_site(proc: subprocess.Popen[bytes], work: Path) -> list[dict[str, Any]]:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    hits: list[dict[str, Any]] = json.loads((work / "hits.json").read_text(encoding="utf-8"))
    return hits


def _config(hosts: dict[str, str], db: Path, site_rps: float, external_rps: float) -> str:
    return render_toml(
        header="bench.hostile: politeness lifted for 127.0.0.1 only",
        sections={"db": {"url": f"sqlite:///{db}"}, "mail": {"outbox": str(db.parent / "outbox")},
                  "schedule": {"patrol_timeout_minutes": 15},
                  "crawler": {"timeout_seconds": 5, "retries": 1,
                              "requests_per_second": site_rps,
                              "external_requests_per_second": external_rps}},
        arrays={"sites": [{"name": "恶意站", "url": hosts["main"], "page_limit": PAGE_LIMIT}]})


def _stored(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as con:
        run = con.execute("select status, reason, stats from runs order by id desc").fetchone()
        pages = con.execute("select count(*) from pages").fetchone()[0]
        column = con.execute("select max(pages) from columns").fetchone()[0] or 0
        targets = {url: (verdict, failure) for url, verdict, failure in con.execute(
            "select url, verdict, failure from targets")}
    return {"status": run[0], "reason": run[1], "stats": json.loads(run[2] or "{}"),
            "pages": pages, "largest_column": column, "targets": targets}


def _host_rows(hosts: dict[str, str], hits: list[dict[str, Any]], site_rps: float,
               external_rps: float) -> list[tuple[str, str, str, bool]]:
    rows = []
    budgets = {"main": site_rps, "ok": external_rps, "busy": external_rps,
               "closed": external_rps, "slow": min(external_rps, 1.0)}
    for name, url in hosts.items():
        netloc = url.split("/")[2]
        times = [h["at"] for h in hits if h["host"] == netloc]
        peak = peak_per_second(times)
        note = " (Crawl-delay: 1)" if name == "slow" else ""
        rows.append((f"requests/s, host {name} (peak 1 s; {len(times)} requests)",
                     f"≤ {budgets[name]:g}{note}", str(peak), peak <= budgets[name]))
    return rows


def _politeness_line(site_rps: float, external_rps: float) -> str:
    if (site_rps, external_rps) == (SHIPPED_SITE_RPS, SHIPPED_EXTERNAL_RPS):
        return "Politeness as shipped: 5 requests/s to the site, 1 to other hosts."
    return (f"Politeness lifted for loopback only: site budget {site_rps:g} requests/s "
            f"(shipped {SHIPPED_SITE_RPS:g}), other hosts {external_rps:g} "
            f"(shipped {SHIPPED_EXTERNAL_RPS:g}).")


def table(rows: list[tuple[str, str, str, bool]]) -> str:
    lines = ["| measure | limit | measured | holds |", "|---|---|---|---|"]
    lines += [f"| {m} | {limit} | {value} | {'yes' if ok else 'NO'} |"
              for m, limit, value, ok in rows]
    return "\n".join(lines)


def run(work: Path, *, site_rps: float, external_rps: float, many_links: int) -> str:
    db = work / "hostile.db"
    db.unlink(missing_ok=True)
    site, hosts = _start_site(work, many_links)
    try:
        config = work / "xunwang.toml"
        config.write_text(_config(hosts, db, site_rps, external_rps), encoding="utf-8")
        m: Measured = measure([XUNWANG, "patrol", "--config", str(config), "--as-of",
                               AS_OF.isoformat(), "--json", str(work / "findings.json")],
                              stdout=work / "patrol.out", limit_s=1200, cwd=work)
    finally:
        hits = _stop_site(site, work)
    got = _stored(db)
    closed = [h for h in hits if h["host"] == hosts["closed"].split("/")[2]]
    rows = [
        ("run status", "complete", f"{got['status']} {got['reason']}".strip(),
         got["status"] == "complete"),
        ("pages stored", f"≤ {PAGE_LIMIT} (page_limit)", str(got["pages"]),
         got["pages"] <= PAGE_LIMIT),
        ("pages of the largest column", f"≤ {COLUMN_PAGE_LIMIT} (column_page_limit)",
         str(got["largest_column"]), got["largest_column"] <= COLUMN_PAGE_LIMIT),
        *_host_rows(hosts, hits, site_rps, external_rps),
        ("requests sent to the host asking Retry-After: 3600", "1", str(len(closed)),
         len(closed) == 1),
        ("peak RSS of the patrol's process tree", "", f"{m.peak_rss / 2**20:.0f} MB", True),
        ("wall time", "", f"{m.wall_s:.1f} s", not m.timed_out),
    ]
    traps = got["stats"].get("crawl", {}).get("traps", {})
    classes = [f"| {what} | `{path}` | {' / '.join(map(str, got['targets'].get(hosts['main'] + path, ('-', '-'))))} |"
               for path, what in TRAPS.items()]
    kinds = Counter(t["kind"] for t in traps.values())
    return "\n".join([
        _politeness_line(site_rps, external_rps), "",
        table(rows), "", "| trap | URL | verdict / failure class |", "|---|---|---|", *classes, "",
        "URL-pattern traps recorded: " + ", ".join(f"{k} ×{n}" for k, n in sorted(kinds.items())),
        "Limits reached (refused fetches): " + json.dumps(
            got["stats"].get("crawl", {}).get("limits", {})),
        f"Requests by path (top): {Counter(h['path'].split('?')[0].split('/')[1] for h in hits).most_common(8)}",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-rps", type=float, default=200.0)
    parser.add_argument("--external-rps", type=float, default=20.0)
    parser.add_argument("--many-links", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, default=None, help="work dir to keep outputs in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xw-hostile-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        print(run(work, site_rps=args.site_rps, external_rps=args.external_rps,
                  many_links=args.many_links))


if __name__ == "__main__":
    main()
