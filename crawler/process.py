"""Run one crawl as a child process with a time limit; kill it and its browser when needed."""

from __future__ import annotations

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

from xunwang.settings import Settings

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
    """SIGTERM the whole group (crawler and Chromium), then SIGKILL what is left."""
    for sig, wait in ((signal.SIGTERM, GRACE_S), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            if sig == signal.SIGTERM:
                os.killpg(proc.pid, signal.SIGKILL)  # stray browser children
            return
        except (subprocess.TimeoutExpired, ProcessLookupError):
            continue


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
    path = _settings_file(settings)
    cmd = [sys.executable, "-m", "crawler", "--settings", str(path), "--run-id", str(run_id),
           "--as-of", as_of.isoformat(), "--sites", SEP.join(sites),
           "--accounts", SEP.join(accounts)]
    stderr = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed at the end
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr, text=True,
                            start_new_session=True)
    last: dict[str, Any] = {}
    reader = threading.Thread(target=_reader, args=(proc, last, on_progress), daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout_s if timeout_s else None
    try:
        outcome = _wait(proc, deadline, last)
    except KeyboardInterrupt:
        _kill_group(proc)
        outcome = CrawlOutcome("partial", "interrupted (Ctrl-C)", proc.returncode, dict(last))
    except BaseException:
        _kill_group(proc)
        raise
    finally:
        path.unlink(missing_ok=True)
        reader.join(timeout=5)
    if outcome.status == "failed":
        stderr.seek(0)
        tail = [ln for ln in stderr.read().splitlines() if ln.strip()][-3:]
        outcome = CrawlOutcome("failed", (outcome.reason + ": " + " | ".join(tail))[:2000],
                               outcome.returncode, outcome.last)
    stderr.close()
    return outcome


def _wait(proc: subprocess.Popen[str], deadline: float | None, last: dict[str, Any]) -> CrawlOutcome:
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
        if code < 0:
            return CrawlOutcome("partial", f"crawler killed by signal {-code}", code, dict(last))
        if code == 0:
            reasons = [r for r in last.get("reasons", []) if r != "finished"]
            if reasons:
                return CrawlOutcome("partial", f"crawl stopped: {reasons[0]}", code, dict(last))
            return CrawlOutcome("complete", "", code, dict(last))
        return CrawlOutcome("failed", f"crawler exited with status {code}", code, dict(last))
