"""Availability probes of homepages and key columns, as the scheduler records them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ProbeResult


class Probe(Protocol):
    """One probe's outcome (``scheduler.probe.ProbeOutcome``); ``at`` is naive wall time."""

    @property
    def site(self) -> str: ...
    @property
    def url(self) -> str: ...
    @property
    def at(self) -> datetime: ...
    @property
    def ok(self) -> bool: ...
    @property
    def status(self) -> int | None: ...
    @property
    def failure(self) -> str | None: ...
    @property
    def elapsed_ms(self) -> int: ...


def add_probes(session: Session, probes: Iterable[Probe]) -> None:
    session.add_all(
        ProbeResult(site=p.site, url=p.url, at=p.at, ok=p.ok, status=p.status,
                    failure=p.failure, elapsed_ms=p.elapsed_ms)
        for p in probes
    )


def probes_between(session: Session, site: str, start: datetime,
                   end: datetime) -> list[tuple[datetime, bool, str | None]]:
    """(at, ok, failure) of ``site``'s probes with start <= at < end."""
    return list(session.execute(
        select(ProbeResult.at, ProbeResult.ok, ProbeResult.failure).where(
            ProbeResult.site == site, ProbeResult.at >= start, ProbeResult.at < end)
    ).tuples())
