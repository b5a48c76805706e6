"""The detector inside the wording rules: loaded lazily once per process, the lexicon first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from checks.runner import run_checks
from checks.typo_findings import MODEL
from core.settings import load_settings

from .builders import AS_OF, SETTINGS, doc, site

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
from checks.runner import run_checks
from checks import typo_findings
from tests.checks.builders import AS_OF, SETTINGS, doc, site
run_checks(site(documents=(doc("Annual report 2026, page 3"),)), SETTINGS, AS_OF)
print(typo_findings.is_loaded())
run_checks(site(documents=(doc("要进一步健全工作机智。"),)), SETTINGS, AS_OF)
first = typo_findings.detector()
run_checks(site(documents=(doc("要进一步健全工作机制。"),)), SETTINGS, AS_OF)
print(typo_findings.is_loaded(), typo_findings.detector() is first)
"""


def test_model_loads_only_when_there_is_han_text_and_only_once() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                         text=True, check=True, timeout=120).stdout.split()
    assert out == ["False", "True", "True"]


def test_model_hit_carries_suggestion_score_and_kind() -> None:
    [found] = [f for f in run_checks(site(documents=(doc("要进一步健全工作机智，确保落实。"),)),
                                     SETTINGS, AS_OF) if f.rule == "wording-typo"]
    assert (found.text, found.suggestion) == ("机智", "机制")
    assert found.evidence["found_by"] == MODEL and found.evidence["typo_kind"] == "sound"
    assert found.evidence["score"] >= SETTINGS.checks.typo_threshold
    assert found.evidence["context"].startswith("要进一步健全工作【机智】")


def test_threshold_is_the_setting() -> None:
    strict = load_settings(None, environ={}, overrides={"checks": {"typo_threshold": 9.0}})
    snapshot = site(documents=(doc("要进一步健全工作机智，确保落实。"),))
    assert [f for f in run_checks(snapshot, strict, AS_OF) if f.rule == "wording-typo"] == []


def test_lexicon_terms_and_allowed_terms_are_not_reported_by_the_model() -> None:
    allowing = load_settings(None, environ={}, overrides={"checks": {"allow_terms": ["机智"]}})
    from checks.runner import load_lexicon

    snapshot = site(documents=(doc("要进一步健全工作机智，确保落实。项目已于6月峻工。"),))
    found = run_checks(snapshot, allowing, AS_OF, lexicon=load_lexicon(allowing))
    typos = [(f.text, f.evidence["found_by"]) for f in found if f.rule == "wording-typo"]
    assert typos == [("峻工", "lexicon")]


def test_a_string_written_twice_in_one_text_is_taken_as_meant() -> None:
    text = "健全工作机智，确保落实。\n全区各部门健全工作机智，确保落实到位。"
    found = [f for f in run_checks(site(documents=(doc(text),)), SETTINGS, AS_OF)
             if f.rule == "wording-typo"]
    # written twice in one text, a string is taken as meant (a name, a term): not reported
    assert found == []


def test_vocabulary_of_a_large_site_is_counted_on_the_changed_pages_and_a_spread() -> None:
    from checks import typo_findings
    from checks.model import Document

    pages = [Document(url=f"u{n}", kind="page", title="", text="正文") for n in range(5000)]
    changed = pages[4990:]
    sample = typo_findings._vocabulary_sample(pages, changed)
    assert len(sample) == typo_findings.VOCABULARY_PAGES
    assert all(any(p is doc for p in sample) for doc in changed)
    assert len({doc.url for doc in sample}) == len(sample)
    assert typo_findings._vocabulary_sample(pages[:50], pages[:1]) == pages[:50]
