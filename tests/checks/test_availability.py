from __future__ import annotations

from datetime import datetime

from checks.availability import site_unreachable
from checks.model import Probe, Severity

from .builders import AS_OF, SETTINGS, ago, probes, site


def _run(snapshot):  # noqa: ANN001, ANN202
    return list(site_unreachable(snapshot, SETTINGS, AS_OF))


def test_site_unreachable_5_percent_is_veto_just_below_is_warn() -> None:
    assert _run(site(probes=probes(100, 5)))[0].severity == Severity.VETO
    assert _run(site(probes=probes(100, 4)))[0].severity == Severity.WARN


def test_site_unreachable_3_percent_warns_below_nothing() -> None:
    assert _run(site(probes=probes(100, 3)))[0].severity == Severity.WARN
    assert _run(site(probes=probes(100, 2))) == []


def test_site_unreachable_evidence_counts_kinds_and_worst_hours() -> None:
    found = _run(site(probes=probes(96, 10, failure="timeout")))[0]  # one day, 15-minute spacing
    assert found.rule == "site-unreachable"
    assert found.evidence["probes"] == 96 and found.evidence["failed"] == 10
    assert found.evidence["failures"] == {"timeout": 10}
    assert found.evidence["worst_hours"] == [
        {"hour": 0, "failed": 4, "probes": 4}, {"hour": 1, "failed": 4, "probes": 4},
        {"hour": 2, "failed": 2, "probes": 4},
    ]


def test_site_unreachable_ignores_probes_after_as_of() -> None:
    assert _run(site(probes=probes(96, 96, days_ago=-1) + probes(96, 0))) == []


def test_site_unreachable_only_counts_the_seven_days_ending_with_as_of() -> None:
    def failed_on(days: int) -> tuple[Probe, ...]:
        return tuple(Probe(at=datetime.combine(ago(days), datetime.min.time()), ok=False)
                     for _ in range(50))

    assert _run(site(probes=failed_on(7) + probes(100, 0))) == []
    assert _run(site(probes=failed_on(6) + probes(100, 0)))[0].evidence["failed"] == 50


def test_site_unreachable_without_probes_reports_nothing() -> None:
    assert _run(site(probes=())) == []
