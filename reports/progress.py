"""A live progress line for crawls: pages, links, errors and rate, on a terminal or a log."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


class ProgressLine:
    """Rewrites one line on a TTY; elsewhere prints a line at most every ``every`` seconds."""

    def __init__(self, stream: TextIO | None = None, every: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every = every
        self.last_print = 0.0
        self.totals: dict[str, dict[str, Any]] = {}

    def __call__(self, event: dict[str, Any]) -> None:
        self.totals[event.get("spider", "")] = event
        pages = sum(int(e.get("pages", 0)) for e in self.totals.values())
        links = sum(int(e.get("links", 0)) for e in self.totals.values())
        errors = sum(int(e.get("errors", 0)) for e in self.totals.values())
        responses = sum(int(e.get("responses", 0)) for e in self.totals.values())
        elapsed = max(float(e.get("elapsed", 0)) for e in self.totals.values()) or 1.0
        line = (f"已抓取页面 {pages}  发现链接 {links}  请求失败 {errors}  "
                f"速率 {responses / elapsed:.0f} 个/秒  用时 {elapsed:.0f} 秒")
        now = time.monotonic()
        if self.tty:
            self.stream.write("\r" + line + "\x1b[K")
            self.stream.flush()
        elif now - self.last_print >= self.every:
            self.stream.write(line + "\n")
            self.last_print = now

    def close(self) -> None:
        if self.tty and self.totals:
            self.stream.write("\n")
            self.stream.flush()
