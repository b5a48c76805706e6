"""The demo patrol against its ground truth: every planted problem found, nothing else."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.settings import load_settings
from scheduler.patrol import run_patrol
from xunwang.demo import DemoSite

AS_OF = date(2026, 11, 27)
KEYS = ("rule", "site", "account", "url", "target", "column", "text")


def _key(finding: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(finding.get(k) for k in KEYS)


def per_rule_scores(found: list[dict[str, Any]], expected: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
    """Precision and recall per rule id."""
    got: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    want: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
    for f in found:
        got[f["rule"]].add(_key(f))
    for f in expected:
        want[f["rule"]].add(_key(f))
    scores = {}
    for rule in sorted(set(got) | set(want)):
        hit = len(got[rule] & want[rule])
        precision = hit / len(got[rule]) if got[rule] else 1.0
        recall = hit / len(want[rule]) if want[rule] else 1.0
        scores[rule] = (precision, recall)
    return scores


@pytest.mark.slow
def test_demo_patrol_matches_manifest(tmp_path: Path) -> None:
    with DemoSite(as_of=AS_OF, articles=300, crawler_timeout=5.0) as site:
        config = tmp_path / "xunwang.toml"
        config.write_text(site.config_toml(db_url=f"sqlite:///{tmp_path / 'x.db'}",
                                           outbox=str(tmp_path / "outbox")), encoding="utf-8")
        result = run_patrol(load_settings(config, environ={}), as_of=AS_OF)
        expected = site.manifest()
    assert result.status == "complete"
    found = [f.to_json() for f in result.findings]
    scores = per_rule_scores(found, expected)
    missing = sorted(set(map(_key, expected)) - set(map(_key, found)))
    extra = sorted(set(map(_key, found)) - set(map(_key, expected)))
    assert (missing, extra) == ([], []), scores
    assert all(p == r == 1.0 for p, r in scores.values())
    rules = {f["rule"] for f in expected}
    assert len(rules) >= 18  # every website rule but site-unreachable, plus the account rules


@pytest.mark.slow
def test_demo_attacked_patrol_matches_manifest(tmp_path: Path) -> None:
    """The attacked state after a patrol of the fixed one (the baseline for new script
    hosts): every security rule fires where planted, and nothing else changes."""
    with DemoSite(as_of=AS_OF, articles=300, crawler_timeout=5.0, state="fixed") as site:
        config = tmp_path / "xunwang.toml"
        config.write_text(site.config_toml(db_url=f"sqlite:///{tmp_path / 'x.db'}",
                                           outbox=str(tmp_path / "outbox")), encoding="utf-8")
        settings = load_settings(config, environ={})
        assert run_patrol(settings, as_of=AS_OF).status == "complete"
        site.set_state("attacked")
        result = run_patrol(settings, as_of=AS_OF)
        expected = site.manifest()
    assert result.status == "complete"
    found = [f.to_json() for f in result.findings]
    missing = sorted(set(map(_key, expected)) - set(map(_key, found)))
    extra = sorted(set(map(_key, found)) - set(map(_key, expected)))
    assert (missing, extra) == ([], []), per_rule_scores(found, expected)
    severities = {(f["rule"], f.get("target") or f.get("text")): f["severity"]
                  for f in found if f["rule"].startswith("security-")}
    assert sorted({rule for rule, _ in severities}) == [
        "security-dark-link", "security-illegal-content", "security-outbound-hijacked",
        "security-redirect", "security-script-changed"]
    assert severities[("security-illegal-content", "真人百家乐")] == "warn"  # visible body only
    assert severities[("security-illegal-content", "澳门新葡京")] == "veto"  # a hidden anchor
