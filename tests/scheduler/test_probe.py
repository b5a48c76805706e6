"""Availability probes against local servers: limits, failure classes, a simulated week."""

from __future__ import annotations

import socket
import ssl
import time
from datetime import date, datetime, timedelta

import httpx
import pytest
from sqlalchemy import Engine

from checks.availability import site_unreachable
from checks.model import Severity
from core.settings import Settings, load_settings
from scheduler.probe import failure_of, probe_sites, probe_summary
from store.probes import add_probes
from store.session import make_sessionmaker
from store.snapshot import site_snapshot
from tests.scheduler.servers import closed_url, hanging_server, scripted_server

NOW = datetime(2026, 11, 27, 10, 0)


def _config(sites: list[dict[str, object]], timeout: float = 0.5) -> Settings:
    return load_settings(
        None, environ={},
        overrides={"sites": sites, "schedule": {"probe_timeout_seconds": timeout}},  # type: ignore[dict-item]
    )


def _settings(sites: list[tuple[str, str]], timeout: float = 0.5) -> Settings:
    return _config([{"name": name, "url": url} for name, url in sites], timeout)


def test_probe_hanging_sites_do_not_delay_the_others() -> None:
    with hanging_server() as silent, hanging_server() as silent2, \
            hanging_server(dribble=True) as trickle, \
            scripted_server(lambda path, i: 200) as good:
        settings = _settings([("silent", silent + "/"), ("silent2", silent2 + "/"),
                              ("trickle", trickle + "/"), ("good", good + "/")], timeout=0.5)
        started = time.monotonic()
        outcomes = {o.site: o for o in probe_sites(settings, NOW)}
        elapsed = time.monotonic() - started
    assert elapsed < 0.5 + 1.0, f"probing took {elapsed:.2f}s with a 0.5s limit"
    assert outcomes["good"].ok and outcomes["good"].status == 200
    assert outcomes["good"].elapsed_ms < 400
    for name in ("silent", "silent2", "trickle"):
        assert not outcomes[name].ok
        assert outcomes[name].failure == "timeout"
        assert 450 <= outcomes[name].elapsed_ms < 1500
    assert {o.at for o in outcomes.values()} == {NOW}


def test_probe_failure_classes_from_status_and_transport() -> None:
    with scripted_server(lambda path, i: {"/gone": 404, "/down": 503}.get(path, 200)) as base:
        settings = _config([
            {"name": "home", "url": base + "/", "key_columns": [base + "/gone", base + "/down"]},
            {"name": "refused", "url": closed_url()},
        ])
        outcomes = {o.url: o for o in probe_sites(settings, NOW)}
    assert outcomes[base + "/"].ok
    assert (outcomes[base + "/gone"].ok, outcomes[base + "/gone"].failure) == (False, "4xx")
    assert (outcomes[base + "/down"].status, outcomes[base + "/down"].failure) == (503, "5xx")
    refused = next(o for o in outcomes.values() if o.site == "refused")
    assert (refused.ok, refused.status, refused.failure) == (False, None, "refused")


@pytest.mark.parametrize(("error", "kind"), [
    (httpx.ConnectError("x"), "error"),
    (httpx.ReadTimeout("x"), "timeout"),
    (TimeoutError(), "timeout"),
])
def test_probe_failure_of_plain_errors(error: Exception, kind: str) -> None:
    assert failure_of(error) == kind


def test_probe_failure_of_looks_through_causes() -> None:
    for cause, kind in ((socket.gaierror(-2, "Name or service not known"), "dns"),
                        (ssl.SSLCertVerificationError("certificate verify failed"), "tls"),
                        (ConnectionRefusedError(111, "refused"), "refused")):
        try:
            try:
                raise OSError("All connection attempts failed") from cause
            except OSError as inner:
                raise httpx.ConnectError("All connection attempts failed") from inner
        except httpx.ConnectError as error:
            assert failure_of(error) == kind


# 150 probes over the 7 days up to as_of (more than 20 a day); failures at spread-out rounds.
ROUNDS = 150
FAILURES = {"veto": 9, "warn": 6, "quiet": 3}  # 6 %, 4 %, 2 %


def _week_script(path: str, index: int) -> int:
    name = path.strip("/")
    every = ROUNDS // FAILURES[name]
    return 503 if index % every == 0 and index // every < FAILURES[name] else 200


def test_probe_simulated_week_gives_veto_warn_and_nothing(engine: Engine) -> None:
    as_of = date(2026, 11, 27)
    start = datetime.combine(as_of - timedelta(days=6), datetime.min.time())
    step = timedelta(days=7) / ROUNDS
    factory = make_sessionmaker(engine)
    with scripted_server(_week_script) as base:
        settings = _settings([(name, f"{base}/{name}/") for name in FAILURES], timeout=2)
        for round_ in range(ROUNDS):
            outcomes = probe_sites(settings, start + round_ * step)
            with factory.begin() as session:
                add_probes(session, outcomes)
    severities = {}
    with factory() as session:
        for name, failed in FAILURES.items():
            summary = probe_summary(session, name, as_of)
            assert (summary.probes, summary.failed) == (ROUNDS, failed)
            assert summary.by_failure == {"5xx": failed}
            snapshot = site_snapshot(session, 0, name, f"{base}/{name}/", as_of, 7)
            findings = list(site_unreachable(snapshot, settings, as_of))
            severities[name] = [f.severity for f in findings]
            if findings:
                assert findings[0].evidence["probes"] == ROUNDS
                assert findings[0].evidence["failed"] == failed
        assert probe_summary(session, "veto", as_of).ratio == pytest.approx(0.06)
    assert severities == {"veto": [Severity.VETO], "warn": [Severity.WARN], "quiet": []}
