"""No real page in ../shared/benchmarks/ gets a veto from the wording (or privacy) rules, with
the statistical typo detector on, each folder of pages patrolled as one site."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from checks import privacy, wording
from checks.model import Document, Severity, SiteSnapshot
from core.settings import Settings
from crawler.extract import analyse

AS_OF = date(2026, 11, 27)
SUFFIXES = (".html", ".htm", ".xhtml")


def _page(path: Path) -> Document:
    page = analyse(path.read_bytes(), f"http://bench.invalid/{path.name}", as_of=AS_OF)
    return Document(url=str(path), kind="page", title=page.title,
                    text="\n".join((page.text, page.footer, page.boilerplate)),
                    published=page.dates.published)


def _sites(shared_dir: Path) -> dict[Path, list[Document]]:
    sites: dict[Path, list[Document]] = defaultdict(list)
    for path in sorted((shared_dir / "benchmarks").rglob("*")):
        if path.suffix.lower() in SUFFIXES and path.is_file():
            sites[path.parent].append(_page(path))
    return sites


def test_no_real_page_gets_a_veto_from_the_wording_rules(shared_dir: Path) -> None:
    sites = _sites(shared_dir)
    assert sum(len(d) for d in sites.values()) >= 27  # gov-pages (18) and gov-pages-2 (9) at least
    settings = Settings()
    vetoes = []
    typos = 0
    for folder, docs in sites.items():
        snapshot = SiteSnapshot(name=folder.name, url="http://bench.invalid/", homepage_fetched=True,
                                documents=tuple(docs))
        for finding in [*wording.check(snapshot, settings, AS_OF),
                        *privacy.check(snapshot, settings, AS_OF)]:
            typos += finding.rule == "wording-typo"
            if finding.severity == Severity.VETO:
                vetoes.append((finding.url, finding.rule, finding.text))
    assert vetoes == []
    assert typos >= 1  # the detector ran (粗旷 on the people.com.cn page is a real slip)
