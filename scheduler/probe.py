"""Availability probes: every homepage and key column, concurrently, each within a hard limit.

A probe fails on a timeout (the whole exchange, body included, must finish within
``schedule.probe_timeout_seconds``), a refused connection, a DNS failure, a TLS error,
or an HTTP status of 400 and above. The ``site-unreachable`` rule reads the stored
probes; ``probe_summary`` gives the 7-day counts that ``xunwang status`` prints.
"""

from __future__ import annotations

import asyncio
import functools
import socket
import ssl
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import httpx
from sqlalchemy.orm import Session

from core.clock import wall_time
from core.settings import Settings
from store import probes

MAX_BODY_BYTES = 5_000_000
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class ProbeOutcome:
    """One probe, as stored in ``probes``; ``at`` is naive wall time."""

    site: str
    url: str
    at: datetime
    ok: bool
    status: int | None
    failure: str | None  # timeout | refused | dns | tls | 5xx | 4xx | error
    elapsed_ms: int


@dataclass(frozen=True)
class ProbeSummary:
    """Probes of one site over a window: counts, failures by kind, the worst hours."""

    site: str
    start: datetime
    end: datetime
    probes: int
    failed: int
    by_failure: dict[str, int] = field(default_factory=dict)
    worst_hours: tuple[tuple[str, int], ...] = ()  # ("2026-11-25 03:00", failures)

    @property
    def ratio(self) -> float:
        return self.failed / self.probes if self.probes else 0.0


def probe_targets(settings: Settings) -> list[tuple[str, str]]:
    """(site, url) for every homepage and configured key column."""
    return [
        (site.name, url)
        for site in settings.sites
        for url in dict.fromkeys((site.url, *site.key_columns))
    ]


def failure_of(error: BaseException) -> str:
    """The failure class of a transport error, from the exception and its causes."""
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return "timeout"
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError | ssl.CertificateError):
            return "tls"
        if isinstance(seen, socket.gaierror):
            return "dns"
        if isinstance(seen, ConnectionRefusedError):
            return "refused"
        if isinstance(seen, TimeoutError | socket.timeout):
            return "timeout"
        seen = seen.__cause__ or seen.__context__
    text = str(error).lower()
    if "ssl" in text or "certificate" in text:
        return "tls"
    return "error"


def status_failure(status: int) -> str | None:
    if status >= 500:
        return "5xx"
    if status >= 400:
        return "4xx"
    return None


async def _fetch(client: httpx.AsyncClient, url: str) -> int:
    async with client.stream("GET", url) as response:
        read = 0
        async for chunk in response.aiter_raw():
            read += len(chunk)
            if read > MAX_BODY_BYTES:  # enough to know the site answers
                break
        return response.status_code


async def _probe_one(
    client: httpx.AsyncClient, site: str, url: str, at: datetime, limit_s: float
) -> ProbeOutcome:
    started = time.monotonic()
    status: int | None = None
    try:
        status = await asyncio.wait_for(_fetch(client, url), timeout=limit_s)
        failure = status_failure(status)
    except Exception as error:  # every transport failure is a failed probe, never a crash
        failure = failure_of(error)
    elapsed = int((time.monotonic() - started) * 1000)
    return ProbeOutcome(site, url, at, failure is None, status, failure, elapsed)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~40 ms; one context serves every probe round.
    return ssl.create_default_context()


async def _probe_all(
    targets: list[tuple[str, str]], at: datetime, limit_s: float, user_agent: str
) -> list[ProbeOutcome]:
    timeout = httpx.Timeout(limit_s)
    limits = httpx.Limits(max_connections=max(len(targets), 1), max_keepalive_connections=0)
    async with httpx.AsyncClient(
        timeout=timeout, limits=limits, follow_redirects=True, max_redirects=MAX_REDIRECTS,
        headers={"User-Agent": user_agent}, trust_env=False, verify=_tls_context(),
    ) as client:
        return list(
            await asyncio.gather(*(_probe_one(client, s, u, at, limit_s) for s, u in targets))
        )


def probe_sites(settings: Settings, now: datetime) -> list[ProbeOutcome]:
    """Probe every homepage and key column at once; returns within about the probe limit."""
    targets = probe_targets(settings)
    if not targets:
        return []
    at = wall_time(now, settings.schedule.timezone)
    return asyncio.run(
        _probe_all(
            targets, at, settings.schedule.probe_timeout_seconds, settings.crawler.user_agent
        )
    )


def probe_window(as_of: date | datetime, days: int) -> tuple[datetime, datetime]:
    """A date means the ``days`` whole days ending with it; a datetime, the ``days`` before it."""
    if isinstance(as_of, datetime):
        end = as_of.replace(tzinfo=None)
    else:
        end = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    return end - timedelta(days=days), end


def probe_summary(
    session: Session, site: str, as_of: date | datetime, days: int = 7
) -> ProbeSummary:
    """Counts of ``site``'s probes in the window: total, failed, by kind, worst hours."""
    start, end = probe_window(as_of, days)
    rows = probes.probes_between(session, site, start, end)
    failed = [(at, failure) for at, ok, failure in rows if not ok]
    by_failure = Counter(failure or "error" for _at, failure in failed)
    hours = Counter(at.strftime("%Y-%m-%d %H:00") for at, _failure in failed)
    worst = tuple(sorted(hours.items(), key=lambda item: (-item[1], item[0]))[:3])
    return ProbeSummary(site, start, end, len(rows), len(failed), dict(by_failure), worst)
