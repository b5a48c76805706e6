"""Run one crawl as a child process with a time limit; kill it and its browser when needed."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from checks.model import masked
from core.settings import Settings
from crawler.children import descendant_pids

GRACE_S = 10.0
SEP = "\x1f"  # names may hold commas; the unit separator cannot appear in a TOML name

Progress = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class CrawlOutcome:
    status: str  # complete | partial | failed
    reason: str
    returncode: int | None
    last: dict[str, Any] = field(default_factory=dict)


def _settings_file(settings: Settings) -> Path:
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, removed by the caller
        "w", suffix=".json", delete=False, encoding="utf-8")
    with handle:
        handle.write(settings.model_dump_json())
    os.chmod(handle.name, 0o600)
    return Path(handle.name)


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """SIGTERM the crawler's group, then SIGKILL it and every descendant left.

    Playwright starts Chromium in a session of its own, outside the crawler's group, so the
    descendants are listed before signalling: a browser must not outlive its crawl.
    """
    tree = descendant_pids(proc.pid)
    for sig, wait in ((signal.SIGTERM, GRACE_S), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    for pid in tree:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def _reader(proc: subprocess.Popen[str], last: dict[str, Any], on_progress: Progress | None) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("event") == "done":
            last.setdefault("reasons", []).append(event.get("reason", ""))
        last.update({k: v for k, v in event.items() if k != "reasons"})
        if on_progress is not None:
            on_progress(event)


def _spawn(settings_path: Path, run_id: int, as_of: date, sites: Sequence[str],
           accounts: Sequence[str], worker: int, timeout_s: float | None) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "crawler", "--settings", str(settings_path), "--run-id",
           str(run_id), "--as-of", as_of.isoformat(), "--sites", SEP.join(sites),
           "--accounts", SEP.join(accounts), "--worker", str(worker),
           "--parent", str(os.getpid())]  # the child ends itself when we die (crawler.lifeline)
    if timeout_s:
        cmd += ["--time-limit", str(timeout_s)]
    stderr = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in _stderr_tail
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr, text=True,
                            start_new_session=True)
    proc.xw_stderr = stderr  # type: ignore[attr-defined]
    return proc


def _stderr_tail(proc: subprocess.Popen[str]) -> str:
    handle: Any = proc.xw_stderr  # type: ignore[attr-defined]
    handle.seek(0)
    tail = [ln for ln in handle.read().splitlines() if ln.strip()][-3:]
    handle.close()
    return " | ".join(tail)


def run_crawl(
    settings: Settings,
    *,
    run_id: int,
    as_of: date,
    sites: Sequence[str],
    accounts: Sequence[str],
    timeout_s: float | None = None,
    on_progress: Progress | None = None,
) -> CrawlOutcome:
    """Run ``crawler.workers`` processes (one without Redis) and wait for all of them."""
    path = _settings_file(settings)
    workers = settings.crawler.workers if settings.crawler.redis_url else 1
    procs = [_spawn(path, run_id, as_of, sites, accounts if i == 0 else (), i, timeout_s)
             for i in range(workers)]
    lasts: list[dict[str, Any]] = [{} for _ in procs]
    readers = [threading.Thread(target=_reader, args=(p, last, on_progress), daemon=True)
               for p, last in zip(procs, lasts, strict=True)]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + timeout_s if timeout_s else None
    try:
        outcomes = [_wait(p, deadline, last, reader)
                    for p, last, reader in zip(procs, lasts, readers, strict=True)]
    except KeyboardInterrupt:
        outcomes = [CrawlOutcome("partial", "interrupted (Ctrl-C)", None, last) for last in lasts]
    finally:
        for proc in procs:
            _kill_group(proc)
        path.unlink(missing_ok=True)
        for reader in readers:
            reader.join(timeout=5)
        _cleanup_redis(settings, run_id)
    for i, (proc, outcome) in enumerate(zip(procs, outcomes, strict=True)):
        tail = masked(_stderr_tail(proc))  # the crawler's errors quote URLs
        if outcome.status == "failed":
            outcomes[i] = CrawlOutcome("failed", (outcome.reason + ": " + tail)[:2000],
                                       outcome.returncode, outcome.last)
    return _combine(outcomes)


def _combine(outcomes: list[CrawlOutcome]) -> CrawlOutcome:
    """One failed worker makes the crawl failed if all failed, else partial."""
    if len(outcomes) == 1:
        return outcomes[0]
    bad = [o for o in outcomes if o.status != "complete"]
    if not bad:
        return outcomes[0]
    status = "failed" if len(bad) == len(outcomes) and all(
        o.status == "failed" for o in bad) else "partial"
    return CrawlOutcome(status, "; ".join(o.reason for o in bad), bad[0].returncode, bad[0].last)


def _cleanup_redis(settings: Settings, run_id: int) -> None:
    if not settings.crawler.redis_url:
        return
    import redis

    from crawler.state import cleanup

    with contextlib.suppress(redis.RedisError):  # the keys expire by themselves
        cleanup(redis.Redis.from_url(settings.crawler.redis_url), run_id)


def _wait(proc: subprocess.Popen[str], deadline: float | None, last: dict[str, Any],
          reader: threading.Thread) -> CrawlOutcome:
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            _kill_group(proc)
            return CrawlOutcome("partial", "time limit reached; crawl stopped", proc.returncode,
                                dict(last))
        try:
            code = proc.wait(timeout=1.0 if remaining is None else min(1.0, remaining))
        except subprocess.TimeoutExpired:
            continue
        reader.join(timeout=5)  # the last lines ("done") may still be in the pipe
        if code < 0:
            return CrawlOutcome("partial", f"crawler killed by signal {-code}", code, dict(last))
        if code == 0 and not last.get("reasons"):
            return CrawlOutcome("failed", "crawler ended without finishing a spider", code,
                                dict(last))
        if code == 0:
            reasons = [r for r in last.get("reasons", []) if r != "finished"]
            if "closespider_timeout" in reasons:  # the child keeps the time limit too
                return CrawlOutcome("partial", "time limit reached; crawl stopped", code,
                                    dict(last))
            if reasons:
                return CrawlOutcome("partial", f"crawl stopped: {reasons[0]}", code, dict(last))
            return CrawlOutcome("complete", "", code, dict(last))
        return CrawlOutcome("failed", f"crawler exited with status {code}", code, dict(last))
