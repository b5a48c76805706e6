"""Every registered rule has pass and fail fixtures, and its findings follow its evidence type."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any, get_type_hints

import pytest

from checks.model import SEVERITY_RANK, Finding, Rule, Snapshot
from checks.registry import RULES
from checks.runner import run_checks

from .builders import AS_OF, SETTINGS

FIXTURES = Path(__file__).parent / "fixtures"


def _fixtures(rule: Rule) -> ModuleType:
    return importlib.import_module(f"tests.checks.fixtures.{rule.id.replace('-', '_')}")


def _found(rule: Rule, snapshot: Snapshot) -> list[Finding]:
    return [f for f in run_checks(snapshot, SETTINGS, AS_OF) if f.rule == rule.id]


def test_every_rule_has_a_fixture_module_and_no_module_is_orphaned() -> None:
    modules = {p.stem for p in FIXTURES.glob("*.py") if p.stem != "__init__"}
    assert modules == {r.id.replace("-", "_") for r in RULES}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_fails_every_fail_fixture(rule: Rule) -> None:
    cases = _fixtures(rule).FAIL
    assert cases, f"{rule.id}: no fail fixtures"
    for index, snapshot in enumerate(cases):
        found = _found(rule, snapshot)
        assert found, f"{rule.id}: FAIL[{index}] produced no finding"
        # a rule reports at its declared severity or below (veto / deduct rules of RULES.md)
        assert all(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[rule.severity] for f in found)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_passes_every_pass_fixture(rule: Rule) -> None:
    cases = _fixtures(rule).PASS
    assert cases, f"{rule.id}: no pass fixtures"
    for index, snapshot in enumerate(cases):
        assert _found(rule, snapshot) == [], f"{rule.id}: PASS[{index}] produced a finding"


def _keys(evidence_type: Any) -> tuple[frozenset[str], frozenset[str]]:
    required = frozenset(evidence_type.__required_keys__)
    return required, required | frozenset(evidence_type.__optional_keys__)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_evidence_follows_its_declared_type(rule: Rule) -> None:
    required, allowed = _keys(rule.evidence)
    assert get_type_hints(rule.evidence), f"{rule.id}: evidence type declares no fields"
    for snapshot in _fixtures(rule).FAIL:
        for finding in _found(rule, snapshot):
            keys = set(finding.evidence)
            assert required <= keys, (rule.id, sorted(required - keys))
            assert keys <= allowed, (rule.id, sorted(keys - allowed))
