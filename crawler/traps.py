"""URL-pattern traps: page spaces without end that a crawl must not walk into.

A URL's pattern is its host, path and the names of its query parameters. Four shapes of
trap are recognised from URLs alone (no page content):

- ``calendar``: a pattern whose query carries a date (``?date=2026-11-05``,
  ``?y=2026&m=11&d=5``) seen with more than ``variants`` distinct dates. Calendars link
  every day and the next month, for ever.
- ``growing-query``: a query longer than ``MAX_QUERY`` characters, or one parameter given
  ``MAX_REPEAT`` times or more (links that append to the URL they are on).
- ``repeating-path``: the same run of path segments three times in a row
  (``/a/b/a/b/a/b/``: relative links resolved against a page that answers any path).
- ``self-chain``: more than ``variants`` hops in a row from a page of one pattern to
  another URL of the same pattern (an ever-changing ``?t=`` or session value).

The first three close the pattern: its later URLs are refused and recorded. A self-chain
only stops that chain: the same URLs reached from elsewhere (an article list) still count.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

MAX_QUERY = 1000
MAX_REPEAT = 3
# 2026-11-05, 2026/11/5, 2026-11, 20261105 (eight digits only: shorter ones are often ids)
_DATE_VALUE = re.compile(
    r"^(?:19|20)\d{2}(?:[-/.](?:0?[1-9]|1[0-2])(?:[-/.](?:0?[1-9]|[12]\d|3[01]))?"
    r"|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))$")
_DATE_NAME = re.compile(
    r"^(?:date|day|d|dd|month|mon|m|mm|year|y|yy|yyyy|ym|ymd|rq|riqi|dt|week|cal\w*)$", re.I)


@dataclass(frozen=True)
class Trap:
    kind: str  # calendar | growing-query | repeating-path | self-chain
    pattern: str
    url: str


def pattern(url: str) -> str:
    """Host, path and the sorted names of the query parameters."""
    parts = urlsplit(url)
    names = sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.netloc.lower()}{parts.path}?{'&'.join(names)}"


def chain_length(url: str, referrer: str | None, referrer_chain: int) -> int:
    """Hops in a row between URLs of one pattern that lead to ``url``."""
    if referrer is None or url == referrer or pattern(url) != pattern(referrer):
        return 0
    return referrer_chain + 1


def _calendar_parts(query: str) -> tuple[str, str] | None:
    """The date-like part of a query (date values, date-named numbers) and the rest.

    Only the dates may vary within one calendar: ``/art?id=7&date=2026-11-05`` is one
    article per id, not a calendar of articles.
    """
    pairs = parse_qsl(query, keep_blank_values=True)
    dated = sorted(f"{k}={v}" for k, v in pairs
                   if _DATE_VALUE.match(v) or (_DATE_NAME.match(k) and v.isdigit()))
    if not dated:
        return None
    rest = sorted(f"{k}={v}" for k, v in pairs if f"{k}={v}" not in dated)
    return "&".join(dated), "&".join(rest)


def _repeats(path: str) -> bool:
    segments = [s for s in path.split("/") if s]
    for size in range(1, len(segments) // 3 + 1):
        for start in range(len(segments) - 3 * size + 1):
            run = segments[start:start + size]
            if run == segments[start + size:start + 2 * size] == segments[
                    start + 2 * size:start + 3 * size]:
                return True
    return False


class TrapGuard:
    """Remembers URL patterns during one crawl; ``check`` says whether a URL is a trap."""

    def __init__(self, variants: int) -> None:
        self.variants = variants
        self._dates: dict[str, set[str]] = {}
        self.closed: dict[str, Trap] = {}
        self.refused: Counter[str] = Counter()
        self._examples: dict[str, str] = {}

    def check(self, url: str, chain: int = 0) -> Trap | None:
        trap = self._judge(url, chain)
        if trap is not None:
            self.refused[trap.pattern] += 1
            self._examples.setdefault(trap.pattern, trap.url)
            if trap.kind != "self-chain":
                self.closed.setdefault(trap.pattern, trap)
        return trap

    def _judge(self, url: str, chain: int) -> Trap | None:
        key = pattern(url)
        if key in self.closed:
            return Trap(self.closed[key].kind, key, url)
        parts = urlsplit(url)
        names = [k for k, _v in parse_qsl(parts.query, keep_blank_values=True)]
        if len(parts.query) > MAX_QUERY or any(n >= MAX_REPEAT for n in Counter(names).values()):
            return Trap("growing-query", key, url)
        if _repeats(parts.path):
            return Trap("repeating-path", key, url)
        dated = _calendar_parts(parts.query)
        if dated is not None:
            seen = self._dates.setdefault(f"{key}|{dated[1]}", set())
            seen.add(dated[0])
            if len(seen) > self.variants:
                return Trap("calendar", key, url)
        if chain > self.variants:
            return Trap("self-chain", key, url)
        return None

    def summary(self) -> dict[str, dict[str, object]]:
        """Why URLs were refused, per pattern: for the run's stats."""
        out: dict[str, dict[str, object]] = {}
        for key, count in self.refused.most_common(20):
            trap = self.closed.get(key)
            out[key] = {"kind": trap.kind if trap else "self-chain", "refused": count,
                        "example": self._examples.get(key, "")}
        return out
