"""Crawl throughput on the 20,000-article demo site: Xunwang against LinkChecker and linkinator.

Run ``bench/setup-peers`` once, then ``.venv/bin/python -m bench.crawl`` from the repo root.
Every tool gets a fresh demo site group (``xunwang demo-site --benchmark`` in its own
process, so the server's CPU and memory are never counted as the tool's), 10 concurrent
requests, a 3 s request timeout (the demo config's; its "too slow" endpoint answers after
7 s) and a time limit. For each tool: wall time, distinct http(s) URLs it checked, URLs/s,
peak RSS of its whole process tree (sampled from /proc every 0.2 s), and its "broken"
verdicts scored against the demo manifest's ``link-broken`` targets.

Xunwang runs four times: ``render = "never"`` (the throughput figure), the same again
against the same database (the unchanged second crawl), ``render = "auto"`` (default) with
the demo's one script-filled list excluded (no page needs a browser: Chromium must not
start), and ``render = "auto"`` on the whole demo (that list is rendered). The note says
whether a Chromium process appeared in the tree.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from checks.links import verdict
from xunwang.demo.config import render_toml

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
XUNWANG = str(Path(sys.executable).with_name("xunwang"))
LINKCHECKER = BENCH / ".venv-linkchecker" / "bin" / "linkchecker"
LINKINATOR = BENCH / "node_modules" / ".bin" / "linkinator"
CONCURRENCY = 10
TIMEOUT_S = 3
PAGE = os.sysconf("SC_PAGE_SIZE")


# --- process tree sampling ---------------------------------------------------------------

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])  # comm may hold spaces and parens
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_rss(root: int, names: set[str] | None = None) -> int:
    """Resident bytes of ``root`` and all its descendants, now; their names go into ``names``."""
    tree, todo, total = _children(), [root], 0
    while todo:
        pid = todo.pop()
        todo += tree.get(pid, [])
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            if names is not None:
                names.add(Path(f"/proc/{pid}/comm").read_text().strip())
        except (OSError, IndexError):
            continue
    return total


def kill_tree(root: int) -> None:
    """SIGKILL ``root`` and every descendant: Xunwang's crawler child has its own session."""
    tree, todo, pids = _children(), [root], []
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += tree.get(pid, [])
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one running process (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Measured:
    wall_s: float
    cpu_s: float  # user + system of the tool and every descendant it waited for
    peak_rss: int
    returncode: int | None
    timed_out: bool
    names: set[str] = field(default_factory=set)  # of every process seen in the tree

    @property
    def browser(self) -> bool:
        """Whether a Chromium process ran in the tree (the driver alone does not count)."""
        return any("chrom" in name for name in self.names)


def measure(cmd: list[str], *, stdout: Path, limit_s: float, cwd: Path | None = None) -> Measured:
    """Run ``cmd`` in its own session; sample its tree's RSS; kill the group at the limit."""
    peak, names = 0, set[str]()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with stdout.open("wb") as out, stdout.with_suffix(".stderr").open("wb") as err:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, start_new_session=True)
        timed_out = False
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid, names))
            if time.monotonic() - started > limit_s and not timed_out:
                timed_out = True
                kill_tree(proc.pid)
            with suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=0.2)
        wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(wall, cpu, peak, proc.returncode, timed_out, names)


# --- the demo site group, in its own process ---------------------------------------------

@dataclass
class Demo:
    config: dict[str, Any]
    manifest: list[dict[str, str]]
    as_of: date
    pid: int  # the demo server's process

    @property
    def homepages(self) -> list[str]:
        return [s["url"] for s in self.config["sites"]]


def _read_when_ready(proc: subprocess.Popen[bytes], config: Path, manifest: Path,
                     as_of: date) -> Demo:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"demo-site exited with status {proc.returncode}")
        try:
            found = json.loads(manifest.read_text(encoding="utf-8"))
            with config.open("rb") as handle:
                return Demo(tomllib.load(handle), found, as_of, proc.pid)
        except (OSError, ValueError):
            time.sleep(0.2)
    raise RuntimeError("demo-site did not write its manifest within 120 s")


@contextmanager
def demo_group(workdir: Path, as_of: date, articles: int,
               extra: Sequence[str] = ()) -> Iterator[Demo]:
    config, manifest = workdir / "demo.toml", workdir / "manifest.json"
    for path in (config, manifest):
        path.unlink(missing_ok=True)
    cmd = [XUNWANG, "demo-site", "--benchmark", "--articles", str(articles),
           "--as-of", as_of.isoformat(), "--write-config", str(config),
           "--manifest", str(manifest), *extra]
    with (workdir / "demo.stderr").open("ab") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=workdir,
                                start_new_session=True)
    try:
        yield _read_when_ready(proc, config, manifest, as_of)
    finally:
        proc.terminate()  # SIGINT is ignored when the bench itself runs in the background
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- scoring -----------------------------------------------------------------------------

def normal(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, ""))


@dataclass
class Result:
    tool: str
    measured: Measured
    urls: set[str]
    broken: set[str]
    suspect: set[str] = field(default_factory=set)  # only Xunwang has this verdict
    note: str = ""
    server_cpu_s: float = 0.0  # the demo server's CPU while this tool ran

    @property
    def rate(self) -> float:
        return len(self.urls) / self.measured.wall_s if self.measured.wall_s else 0.0


def score(result: Result, manifest: list[dict[str, str]]) -> dict[str, Any]:
    want = {normal(f["target"]) for f in manifest if f["rule"] == "link-broken"}
    suspects = {normal(f["target"]) for f in manifest if f["rule"] == "link-suspect"}
    hit = result.broken & want
    lenient = result.broken - suspects
    return {
        "expected_broken": len(want), "reported_broken": len(result.broken), "true_pos": len(hit),
        "precision": len(hit) / len(result.broken) if result.broken else 0.0,
        "precision_wo_suspects": len(hit) / len(lenient) if lenient else 0.0,
        "recall": len(hit) / len(want) if want else 1.0,
        "suspects": len(suspects), "suspects_as_broken": len(result.broken & suspects),
        "suspects_as_suspect": len(result.suspect & suspects),
        "missed": sorted(want - result.broken), "extra": sorted(result.broken - want - suspects),
    }


def _http(urls: set[str]) -> set[str]:
    return {u for u in urls if u.startswith(("http://", "https://"))}


# --- the tools ---------------------------------------------------------------------------

# LinkChecker sleeps 1/r .. 6/r seconds between two requests to one host (serialised under
# a lock), r = maxrequestspersecond, default 10 (so ~3 requests/s per host); r may exceed 10
# only for a server that sends a "LinkChecker" header, as the demo does in benchmark mode.
LINKCHECKER_RC = "[checking]\nmaxrequestspersecond=10000\n"


def run_linkchecker(demo: Demo, out: Path, limit_s: float) -> Result:
    rc = out.with_suffix(".rc")
    rc.write_text(LINKCHECKER_RC, encoding="utf-8")
    rc.chmod(0o644)  # LinkChecker started as root drops to "nobody" before reading it
    cmd = [str(LINKCHECKER), "-f", str(rc), "--threads", str(CONCURRENCY), "--check-extern", "--no-robots",
           "--recursion-level", "-1", "--timeout", str(TIMEOUT_S), "--verbose", "--no-status",
           "-o", "csv/utf-8", *demo.homepages]
    m = measure(cmd, stdout=out, limit_s=limit_s)
    lines = [ln for ln in out.read_text(encoding="utf-8", errors="replace").splitlines()
             if ln and not ln.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter=";"))
    urls = _http({normal(r["url"]) for r in rows if r.get("url")})
    broken = _http({normal(r["url"]) for r in rows if r.get("url") and r.get("valid") != "True"})
    return Result("LinkChecker", m, urls, broken, note=f"{len(rows)} CSV rows")


def run_linkinator(demo: Demo, out: Path, limit_s: float) -> Result:
    cmd = [str(LINKINATOR), *demo.homepages, "--recurse", "--concurrency", str(CONCURRENCY),
           "--timeout", str(TIMEOUT_S * 1000), "--format", "json"]
    m = measure(cmd, stdout=out, limit_s=limit_s)
    try:
        links = json.loads(out.read_text(encoding="utf-8"))["links"]
    except (ValueError, KeyError):
        return Result("linkinator", m, set(), set(), note="no JSON report (killed or crashed)")
    checked = [lk for lk in links if lk.get("state") != "SKIPPED"]
    urls = _http({normal(lk["url"]) for lk in checked})
    broken = _http({normal(lk["url"]) for lk in checked if lk.get("state") == "BROKEN"})
    return Result("linkinator", m, urls, broken, note=f"{len(links)} link records")


# The demo's one list filled by JavaScript (政策解读): left out, no page of the site needs a browser.
SCRIPTED = ("/zcjd/index",)


def xunwang_config(demo: Demo, db: Path, render: str, exclude: Sequence[str] = ()) -> str:
    # the peers crawl the whole site: no page or column limit cuts Xunwang's short either
    sites = [{**s, "render": render, "page_limit": 10_000_000,
              "exclude": [*s.get("exclude", ()), *exclude]} for s in demo.config["sites"]]
    # loopback only: politeness budgets lifted as the peers' are (LinkChecker's rc above)
    crawler = {"concurrency_per_host": CONCURRENCY, "autothrottle": False,
               "timeout_seconds": TIMEOUT_S, "requests_per_second": 1000.0,
               "external_requests_per_second": 1000.0, "external_concurrency": CONCURRENCY,
               "column_page_limit": 1_000_000}
    return render_toml(header="bench.crawl", sections={
        "db": {"url": f"sqlite:///{db}"}, "mail": {"outbox": str(db.parent / "outbox")},
        "crawler": crawler}, arrays={"sites": sites, "units": demo.config["units"]})


def _run_rows(db: Path) -> tuple[list[tuple[str, str]], dict[str, int]]:
    with sqlite3.connect(db) as con:
        run_id = con.execute("select max(id) from runs").fetchone()[0]
        targets = [(url, verdict(failure, bool(in_scope))) for url, failure, in_scope in
                   con.execute("select url, failure, in_scope from targets where run_id = ?",
                               (run_id,))]
        pages = dict(con.execute(
            "select unchanged, count(*) from pages where run_id = ? group by unchanged",
            (run_id,)).fetchall())
        rendered = con.execute("select count(*) from pages where run_id = ? and rendered",
                               (run_id,)).fetchone()[0]
    return targets, {"pages": sum(pages.values()), "unchanged": pages.get(1, 0),
                     "rendered": rendered}


def run_xunwang(demo: Demo, out: Path, limit_s: float, *, db: Path, render: str,
                label: str, exclude: Sequence[str] = ()) -> Result:
    config = out.with_suffix(".toml")
    config.write_text(xunwang_config(demo, db, render, exclude), encoding="utf-8")
    cmd = [XUNWANG, "crawl", "--config", str(config), "--as-of", demo.as_of.isoformat()]
    m = measure(cmd, stdout=out, limit_s=limit_s, cwd=out.parent)
    targets, pages = _run_rows(db)
    checked = [(normal(u), v) for u, v in targets if v != "skipped"]
    return Result(label, m, _http({u for u, _ in checked}),
                  {u for u, v in checked if v == "broken"},
                  {u for u, v in checked if v == "suspect"},
                  note=f"{pages['pages']} pages stored ({pages['rendered']} rendered), "
                       f"{pages['unchanged']} copied unchanged; Chromium "
                       f"{'started' if m.browser else 'not started'}")


# --- the run -----------------------------------------------------------------------------

Runner = Callable[[Demo, Path, float], Result]


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _with_demo(work: Path, as_of: date, articles: int, limit_s: float,
               runs: list[tuple[str, Runner]],
               results: list[tuple[Result, dict[str, Any], str]]) -> None:
    with demo_group(work, as_of, articles) as demo:
        for name, runner in runs:
            load = _loadavg()
            print(f"[bench.crawl] {name}: running (load {load}) ...", file=sys.stderr, flush=True)
            server_before = cpu_seconds(demo.pid)
            result = runner(demo, work / f"{name}.out", limit_s)
            result.server_cpu_s = cpu_seconds(demo.pid) - server_before
            results.append((result, score(result, demo.manifest), load))
            print(f"[bench.crawl] {name}: {result.measured.wall_s:.1f} s, {len(result.urls)} URLs",
                  file=sys.stderr, flush=True)


def add_links_source_index(db_url: str) -> None:
    """The experiment: index links(run_id, source), which the unchanged-page copy looks up."""
    from sqlalchemy import text

    from store.migrate import upgrade
    from store.session import make_engine

    engine = make_engine(db_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("CREATE INDEX IF NOT EXISTS bench_ix_links_run_source "
                          "ON links (run_id, source)"))
    engine.dispose()


def plan(tools: list[str], work: Path, index: bool = False) -> list[list[tuple[str, Runner]]]:
    """Groups of runs; each group shares one fresh demo server."""
    db = work / "xunwang.db"
    for old in (db, work / "xunwang-auto.db", work / "xunwang-auto-none.db"):
        old.unlink(missing_ok=True)  # every benchmark starts from an empty database
    if index and "xunwang" in tools:
        add_links_source_index(f"sqlite:///{db}")

    def xw(render: str, label: str, path: Path, exclude: Sequence[str] = ()) -> Runner:
        return lambda demo, out, limit: run_xunwang(demo, out, limit, db=path, render=render,
                                                    label=label, exclude=exclude)

    groups: list[list[tuple[str, Runner]]] = []
    if "xunwang" in tools:
        groups.append([("xunwang", xw("never", "Xunwang (render=never)", db)),
                       ("xunwang-again", xw("never", "Xunwang 2nd, unchanged", db))])
    if "linkinator" in tools:
        groups.append([("linkinator", run_linkinator)])
    if "linkchecker" in tools:
        groups.append([("linkchecker", run_linkchecker)])
    if "xunwang-auto-none" in tools:
        groups.append([("xunwang-auto-none", xw("auto", "Xunwang (render=auto, nothing to render)",
                                                work / "xunwang-auto-none.db", SCRIPTED))])
    if "xunwang-auto" in tools:
        groups.append([("xunwang-auto", xw("auto", "Xunwang (render=auto)",
                                           work / "xunwang-auto.db"))])
    return groups


def table(results: list[tuple[Result, dict[str, Any], str]]) -> str:
    head = ("| tool | wall s | CPU s | server CPU s | URLs | URLs/s | peak RSS MB | broken P | P w/o suspects | broken R "
            "| suspects→broken | suspects→suspect | load | note |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    rows = []
    for r, s, load in results:
        flag = " (TIME LIMIT)" if r.measured.timed_out else ""
        rows.append(
            f"| {r.tool}{flag} | {r.measured.wall_s:.1f} | {r.measured.cpu_s:.1f} "
            f"| {r.server_cpu_s:.1f} "
            f"| {len(r.urls)} | {r.rate:.0f} "
            f"| {r.measured.peak_rss / 2**20:.0f} | {s['precision']:.2f} "
            f"| {s['precision_wo_suspects']:.2f} | {s['recall']:.2f} "
            f"| {s['suspects_as_broken']}/{s['suspects']} | {s['suspects_as_suspect']}/{s['suspects']} "
            f"| {load} | {r.note} |")
    return "\n".join([head, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--as-of", default=date.today().isoformat())
    parser.add_argument("--tools",
                        default="xunwang,linkinator,linkchecker,xunwang-auto-none,xunwang-auto",
                        help="comma-separated: xunwang, linkinator, linkchecker, "
                             "xunwang-auto-none (no page needs rendering), xunwang-auto")
    parser.add_argument("--limit", type=float, default=900.0, help="seconds per tool run")
    parser.add_argument("--json", type=Path, default=None, help="also write raw results here")
    parser.add_argument("--keep", type=Path, default=None, help="work dir to keep outputs in")
    parser.add_argument("--links-source-index", action="store_true",
                        help="experiment: index links(run_id, source) in Xunwang's database")
    args = parser.parse_args()
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    missing = [t for t, exe in (("linkchecker", LINKCHECKER), ("linkinator", LINKINATOR))
               if t in tools and not exe.exists()]
    if missing:
        print(f"[bench.crawl] skipping {', '.join(missing)}: run bench/setup-peers first",
              file=sys.stderr)
        tools = [t for t in tools if t not in missing]
    work = args.keep or Path(tempfile.mkdtemp(prefix="xw-bench-crawl-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # see LINKCHECKER_RC
    results: list[tuple[Result, dict[str, Any], str]] = []
    for group in plan(tools, work, args.links_source_index):
        _with_demo(work, date.fromisoformat(args.as_of), args.articles, args.limit, group,
                   results)
    print(f"nproc {os.cpu_count()}, Python {sys.version.split()[0]}, {args.articles} articles, "
          f"concurrency {CONCURRENCY}, timeout {TIMEOUT_S} s, outputs in {work}")
    print(table(results))
    for r, s, _ in results:
        if s["missed"] or s["extra"]:
            print(f"{r.tool}: missed {s['missed']}; extra {s['extra'][:8]}"
                  f"{' …' if len(s['extra']) > 8 else ''}")
    if args.json:
        args.json.write_text(json.dumps([{
            "tool": r.tool, "wall_s": r.measured.wall_s, "cpu_s": r.measured.cpu_s,
            "server_cpu_s": r.server_cpu_s, "urls": len(r.urls), "rate": r.rate,
            "peak_rss": r.measured.peak_rss, "returncode": r.measured.returncode,
            "timed_out": r.measured.timed_out, "load": load, "note": r.note, **s}
            for r, s, load in results], ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
