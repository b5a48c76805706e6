"""The detector on the real test sets of ../shared (skipped when absent, failed in CI).

Floors, not targets: they catch a model or guard change that breaks what bench/typo.py
measured (bench/RESULTS-wording.md); the targets themselves are measured by the bench.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.typo import page_texts, read_test, score_test
from checks.typo import TypoDetector
from checks.typo.confusions import find_confusions

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def shared() -> Path:
    path = ROOT.parent / "shared"
    if not (path / "benchmarks" / "lexicons" / "ecspell").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"../shared benchmarks not found at {path}")
        pytest.skip(f"../shared benchmarks not found at {path}")
    return path


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector.load()


@pytest.mark.parametrize(("name", "precision", "recall"), [("odw.test", 0.95, 0.5), ("law.test", 0.9, 0.5)])
def test_ecspell_sets(shared: Path, detector: TypoDetector, name: str, precision: float,
                      recall: float) -> None:
    rows = read_test(shared / "benchmarks" / "lexicons" / "ecspell" / name)
    got = score_test(rows, [detector.find(r.wrong) for r in rows], detector.threshold)
    assert got["precision"] >= precision and got["recall"] >= recall, got
    assert got["exact"] >= 0.9, got


def test_real_pages_get_few_flags_and_no_context_rule_hits(shared: Path, detector: TypoDetector) -> None:
    pages = page_texts(shared)
    han = sum(1 for _, t in pages for ch in t if "\u4e00" <= ch <= "\u9fff")
    flags = sum(len(detector.find(text)) for _, text in pages)
    assert flags * 1e4 / han <= 3.0, flags
    assert [h for _, text in pages for h in find_confusions(text)] == []
