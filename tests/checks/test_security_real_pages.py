"""No real page of ../shared/benchmarks gets a false veto from the security rules.

Every HTML page of the benchmark material (government pages, WeChat articles, date and
link-checker fixtures) is analysed as the crawler would and judged by the security rules
as a page of a configured site: none of them is hacked, so none may be a veto.
"""

from __future__ import annotations

from pathlib import Path

from checks.model import Document, PageSecurity, SiteSnapshot
from checks.runner import run_checks
from core.settings import Settings, SiteConfig
from crawler.extract import analyse

from .builders import AS_OF

SECURITY = {"security-illegal-content", "security-dark-link", "security-redirect",
            "security-outbound-hijacked", "security-script-changed"}


def _snapshot(path: Path, url: str) -> SiteSnapshot:
    page = analyse(path.read_bytes(), url, as_of=AS_OF)
    facts = page.security
    rows = lambda key: tuple(tuple(r) for r in facts.get(key) or ())  # noqa: E731
    security = PageSecurity(url=url, title=page.title, meta=str(facts.get("meta") or ""),
                            hidden=rows("hidden"), hidden_links=rows("hidden_links"),
                            anchors=rows("anchors"), embeds=rows("embeds"),
                            insecure=rows("insecure"))
    return SiteSnapshot(name="benchmark", url=url, homepage_fetched=True,
                        documents=(Document(url=url, kind="page", title=page.title,
                                            text=page.text),),
                        page_security=(security,), script_baseline=frozenset())


def test_no_false_veto_on_real_pages(shared_dir: Path) -> None:
    pages = sorted(p for p in (shared_dir / "benchmarks").rglob("*")
                   if p.suffix.lower() in (".html", ".htm") and p.is_file())
    assert len(pages) > 50
    vetoes = []
    for index, path in enumerate(pages):
        url = f"http://www.site{index}.gov.cn/page.html"
        settings = Settings(sites=(SiteConfig(name="benchmark", url=url),))
        for finding in run_checks(_snapshot(path, url), settings, AS_OF):
            if finding.rule in SECURITY and finding.severity == "veto":
                vetoes.append((str(path.relative_to(shared_dir)), finding.rule, finding.message))
    assert vetoes == []
