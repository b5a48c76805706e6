"""Login throttling: repeated failures for one key (an address, a user name) lock it a while.

Counting is atomic: ``reserve`` counts an attempt as a failure-in-waiting BEFORE the
password is checked, under one lock, so a burst of parallel guesses against a limit of 5
gets at most 5 evaluated; ``release`` turns it into a failure or clears the keys.

In memory, per process: the web list runs as one process beside the scheduler. A restart
clears it, which only ever unlocks.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

MAX_FAILURES = 5
WINDOW_S = 15 * 60


class LoginThrottle:
    def __init__(self, *, limit: int = MAX_FAILURES, window_s: float = WINDOW_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_s = window_s
        self.clock = clock
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._pending: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and now - failures[0] > self.window_s:
            failures.popleft()
        return failures

    def _wait(self, keys: tuple[str, ...], now: float) -> int:
        waits = []
        for key in keys:
            failures = self._recent(key, now)
            if len(failures) + self._pending[key] >= self.limit:
                # attempts still being checked hold the key until they are released
                waits.append(self.window_s - (now - failures[0]) if failures else 1.0)
        return int(max(waits)) + 1 if waits else 0

    def wait_seconds(self, *keys: str) -> int:
        """0 when a login may be tried; else seconds until the oldest failure expires."""
        with self._lock:
            return self._wait(keys, self.clock())

    def reserve(self, *keys: str) -> int:
        """0 and the attempt counted against every key, or the seconds to wait (nothing counted)."""
        with self._lock:
            wait = self._wait(keys, self.clock())
            if not wait:
                for key in keys:
                    self._pending[key] += 1
            return wait

    def release(self, *keys: str, succeeded: bool) -> None:
        """The reserved attempt was checked: a failure stays counted, a success clears."""
        now = self.clock()
        with self._lock:
            for key in keys:
                self._pending[key] -= 1
                if not self._pending[key]:
                    del self._pending[key]
                if succeeded:
                    self._failures.pop(key, None)
                else:
                    self._recent(key, now).append(now)

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


def client_address(peer: str, forwarded_for: str | None,
                   trusted: tuple[IPv4Network | IPv6Network, ...]) -> str:
    """The client's address: the peer, or behind trusted proxies their X-Forwarded-For.

    Walks X-Forwarded-For from the right (each proxy appends the address it saw) past the
    trusted proxies; the first untrusted address is the client. Entries left of it are the
    client's own word and are ignored. Without trusted proxies the header is ignored.
    """
    if not trusted or not forwarded_for or not _within(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.split(",") if h.strip()]
    for hop in reversed(hops):
        try:
            ip_address(hop)
        except ValueError:
            return peer  # a malformed header: trust nothing of it
        if not _within(hop, trusted):
            return hop
    return hops[0] if hops else peer


def trusted_networks(entries: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(e, strict=False) for e in entries)


def _within(address: str, networks: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)
