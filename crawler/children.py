"""Child processes of the service (crawls and their browsers): ended on shutdown.

A patrol runs its crawl as a child process in its own process group, with Chromium
below it (Playwright may start the browser in a group of its own). On shutdown the
service takes a snapshot of its whole process tree first, then signals each child's
group and every descendant, so no crawl or browser outlives it, even one that would be
orphaned when its parent dies. The patrol job then sees its child die and records the
run as partial with the reason.
"""

from __future__ import annotations

import os
import signal
import time
from collections import defaultdict
from pathlib import Path


def _stat_fields(pid: int | str) -> list[str] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # exited while we looked
        return None
    # the command name may hold spaces and parentheses: fields follow the last ")"
    return stat.rsplit(")", 1)[-1].split()


def _parents() -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat_fields(entry.name)) and len(fields) > 1:
            children[int(fields[1])].append(int(entry.name))
    return children


def child_pids(parent: int | None = None) -> list[int]:
    """Direct children of ``parent`` (default: this process), from /proc."""
    return sorted(_parents().get(os.getpid() if parent is None else parent, []))


def descendant_pids(parent: int | None = None) -> list[int]:
    """Every process below ``parent`` (default: this process)."""
    tree = _parents()
    found: list[int] = []
    todo = list(tree.get(os.getpid() if parent is None else parent, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return sorted(found)


def _alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return bool(fields) and fields[0] != "Z"  # type: ignore[index]


def _signal(pid: int, sig: int, *, group: bool) -> None:
    try:
        if group and os.getpgid(pid) != os.getpgrp():
            os.killpg(os.getpgid(pid), sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def end_children(grace_s: float = 10.0) -> list[int]:
    """SIGTERM every child's group and every descendant; SIGKILL what is left after ``grace_s``."""
    children = set(child_pids())
    tree = descendant_pids()
    for pid in tree:
        _signal(pid, signal.SIGTERM, group=pid in children)
    deadline = time.monotonic() + grace_s
    while any(_alive(pid) for pid in tree) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in tree:
        if _alive(pid):
            _signal(pid, signal.SIGKILL, group=pid in children)
    return tree
