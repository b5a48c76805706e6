"""Child processes of the service (crawls and their browsers): ended on shutdown.

A patrol runs its crawl as a child process in its own process group, with Chromium
below it. On shutdown the service signals each child's whole group, so no crawl or
browser outlives it; the patrol job then sees its child die and records the run as
partial with the reason.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def child_pids(parent: int | None = None) -> list[int]:
    """Direct children of ``parent`` (default: this process), from /proc."""
    parent = os.getpid() if parent is None else parent
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # exited while we looked
            continue
        # the command name may hold spaces and parentheses: fields follow the last ")"
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and int(fields[1]) == parent:
            pids.append(int(entry.name))
    return pids


def _signal_tree(pid: int, sig: int) -> None:
    try:
        group = os.getpgid(pid)
        if group != os.getpgrp():
            os.killpg(group, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def end_children(grace_s: float = 10.0) -> list[int]:
    """SIGTERM every child's process group, SIGKILL what is left after ``grace_s``."""
    pids = child_pids()
    for pid in pids:
        _signal_tree(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in pids:
        if _alive(pid):
            _signal_tree(pid, signal.SIGKILL)
    return pids
