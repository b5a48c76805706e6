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
