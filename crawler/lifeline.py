"""The crawler child's tie to its parent and to its deadline.

``crawler.process`` runs each crawl as ``python -m crawler`` in a session of its own, so
that it can signal the crawl's whole group. The price: a kill -9 of the patrol would leave
the crawl running, with its browser, past any time limit. ``hold`` makes the child end
itself instead:

- when its parent dies: Linux ``prctl(PR_SET_PDEATHSIG, SIGHUP)`` delivers SIGHUP at
  once, and a watchdog thread also polls ``os.getppid()`` (for other kernels, and for a
  parent that died before prctl ran);
- at its deadline: ``crawler.__main__`` asks the spiders to close then (Scrapy's
  CLOSESPIDER_TIMEOUT), and ``GRACE_S`` later the watchdog ends the process itself.

Ending means SIGKILL to every descendant (Chromium and its Playwright driver, which may
run in sessions of their own) and ``os._exit``: a crawl whose patrol is gone has nobody to
report to, and a clean shutdown could hang.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from types import FrameType

from crawler.children import descendant_pids

PR_SET_PDEATHSIG = 1
GRACE_S = 30.0
POLL_S = 0.5
EXIT_ORPHANED = 3
EXIT_DEADLINE = 4


def end_now(code: int) -> None:
    """SIGKILL every descendant, then leave without cleanup."""
    for pid in descendant_pids():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    os._exit(code)


def _on_hangup(signum: int, frame: FrameType | None) -> None:
    end_now(EXIT_ORPHANED)


def _parent_death_signal(sig: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0)


def _watch(parent: int, hard_deadline: float | None, poll_s: float) -> None:
    while True:
        if os.getppid() != parent:
            end_now(EXIT_ORPHANED)
        if hard_deadline is not None and time.monotonic() >= hard_deadline:
            end_now(EXIT_DEADLINE)
        time.sleep(poll_s)


def hold(parent: int, deadline: float | None, *, grace_s: float = GRACE_S,
         poll_s: float = POLL_S) -> None:
    """Tie this process to ``parent`` (its pid) and to ``deadline`` (time.monotonic())."""
    signal.signal(signal.SIGHUP, _on_hangup)
    _parent_death_signal(signal.SIGHUP)
    if os.getppid() != parent:  # died before prctl took effect
        end_now(EXIT_ORPHANED)
    hard = deadline + grace_s if deadline is not None else None
    threading.Thread(target=_watch, args=(parent, hard, poll_s), name="xw-lifeline",
                     daemon=True).start()
