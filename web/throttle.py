"""Login throttling: repeated failures for one user name or one address lock it out a while.

In memory, per process: the web list runs as one process beside the scheduler. A restart
clears it, which only ever unlocks.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

MAX_FAILURES = 5
WINDOW_S = 15 * 60


class LoginThrottle:
    def __init__(self, *, limit: int = MAX_FAILURES, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and now - failures[0] > self.window_s:
            failures.popleft()
        return failures

    def wait_seconds(self, *keys: str) -> int:
        """0 when a login may be tried; else seconds until the oldest failure expires."""
        now = self.clock()
        with self._lock:
            waits = [self.window_s - (now - f[0]) for f in (self._recent(k, now) for k in keys)
                     if len(f) >= self.limit]
        return int(max(waits)) + 1 if waits else 0

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
