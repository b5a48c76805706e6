"""Meta-tests: the registry, RULES.md and the tests agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from checks.doc import SECTIONS, missing_sections
from checks.registry import RULES, rule
from core.errors import CheckError

TESTS = Path(__file__).parent


def _catalogue_ids(shared_dir: Path) -> list[str]:
    text = (shared_dir / "RULES.md").read_text(encoding="utf-8")
    ids = re.findall(r"^\| `([a-z0-9-]+)` \|", text, flags=re.MULTILINE)
    return [i for i in ids if "-" in i]  # the severity table's rows are single words


# Rules of the catalogue not built yet, each with the issue that builds it. This set only
# shrinks: a rule leaves it in the commit that registers it.
PENDING = {
}


def test_registry_ids_are_unique_and_exactly_the_catalogue_in_order(shared_dir: Path) -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    catalogue = _catalogue_ids(shared_dir)
    assert ids == [i for i in catalogue if i not in PENDING]
    assert set(PENDING) <= set(catalogue) and not set(PENDING) & set(ids)


def test_no_title_table_outside_the_registry() -> None:
    """A rule's title is declared once, on its Rule: nothing else maps rule ids to Chinese."""
    root = TESTS.parent.parent
    ids = "|".join(re.escape(r.id) for r in RULES)
    pattern = re.compile(rf'"(?:{ids})"\s*:\s*"[^"]*[\u4e00-\u9fff]')
    packages = ("core", "checks", "crawler", "rectification", "store", "reports", "scheduler",
                "web", "xunwang")
    offenders = [str(path.relative_to(root)) for package in packages
                 for path in (root / package).rglob("*.py") if pattern.search(path.read_text("utf-8"))]
    assert offenders == []


@pytest.mark.parametrize("item", RULES, ids=lambda r: r.id)
def test_registry_rule_doc_has_every_section(item) -> None:  # noqa: ANN001
    assert missing_sections(item.doc) == [], item.id
    assert "国办秘函〔2019〕19号" in item.doc and item.title and item.indicator
    assert item.doc.index(SECTIONS[0]) < item.doc.index(SECTIONS[-1])


@pytest.mark.parametrize("item", RULES, ids=lambda r: r.id)
def test_registry_rule_is_mentioned_by_a_test(item) -> None:  # noqa: ANN001
    sources = [p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py")
               if p.name != "test_registry.py"]
    assert any(f'"{item.id}"' in source for source in sources), item.id


def test_registry_severity_matches_the_catalogue(shared_dir: Path) -> None:
    text = (shared_dir / "RULES.md").read_text(encoding="utf-8")
    for item in RULES:
        row = next(line for line in text.splitlines() if line.startswith(f"| `{item.id}` |"))
        assert f"`{item.severity}`" in row or f" {item.severity} " in row, item.id


def test_rule_lookup_and_unknown_id() -> None:
    assert rule("column-blank").id == "column-blank"
    with pytest.raises(CheckError, match="no rule 'nope'"):
        rule("nope")
