"""The findings a correct implementation of RULES.md reports on the demo, state by state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from xunwang.demo import articles as art
from xunwang.demo import mirrors, numbers, obligations
from xunwang.demo.columns import DEPT, PORTAL, WINDOWS, Catalog, ColumnSpec, entry_date
from xunwang.demo.layout import LOOKS
from xunwang.demo.letters import LETTERS
from xunwang.demo.pages import HOME_SECTIONS
from xunwang.demo.plan import (
    ATTACHMENT_ARTICLE,
    DARK_LINKS,
    DARK_TERMS,
    LINKS,
    NEW_SCRIPT,
    PARKED,
    SEVERITY,
    SNIPPETS,
    SPIDER_REDIRECT,
    TEMPLATE_BROKEN,
)

Finding = dict[str, str]


@dataclass(frozen=True)
class Where:
    """Everything the manifest needs to name places: names, base URLs, target resolution."""

    catalog: Catalog
    as_of: date
    seed: int
    state: str
    site_names: dict[str, str]
    bases: dict[str, str]
    resolve: dict[str, str]
    mirror_base: str

    def article_url(self, site: str, slug: str, index: int) -> str:
        column = self.catalog.column(site, slug)
        assert column is not None
        article = art.build(self.catalog, column, index, as_of=self.as_of, seed=self.seed,
                            state=self.state)
        return self.bases[site].rstrip("/") + article.path


def _finding(rule: str, where: tuple[str, str], url: str, **extra: str) -> Finding:
    return {"rule": rule, "severity": SEVERITY[rule], where[0]: where[1], "url": url, **extra}


def _stale(column: ColumnSpec, state: str, as_of: date) -> bool:
    if column.is_blank(state):
        return False
    return (as_of - entry_date(column, 0, as_of)).days > WINDOWS[column.kind]


def _site_findings(w: Where, site: str) -> list[Finding]:
    name, home = ("site", w.site_names[site]), w.bases[site]
    columns = w.catalog.site_columns(site)
    out = []
    for column in columns:
        url = home.rstrip("/") + art.list_page_path(column.slug, 0)
        if column.is_blank(w.state):
            out.append(_finding("column-blank", name, url, column=column.name))
        elif _stale(column, w.state, w.as_of):
            out.append(_finding("column-stale", name, url, column=column.name))
    stale = [c for c in columns if _stale(c, w.state, w.as_of)]
    blank = [c for c in columns if c.is_blank(w.state)]
    if (len([c for c in stale if c.kind in ("news", "notice")]) >= 5 or len(stale) >= 10
            or len(blank) >= 5):
        out.append(_finding("columns-veto", name, home))
    newest = min((w.catalog.column(site, slug) or columns[0]).newest_age
                 for slug, _size in HOME_SECTIONS[site])
    if newest > 10:
        out.append({**_finding("homepage-stale", name, home),
                    "severity": "veto" if newest > 14 else "warn"})
    if not LOOKS[site].gongan:
        out.append(_finding("site-identity", name, home))
    return out


def _content_findings(w: Where) -> list[Finding]:
    out = []
    for s in SNIPPETS:
        if s.rule and w.state in s.states:
            finding = _finding(s.rule, ("site", w.site_names[s.site]),
                               w.article_url(s.site, s.slug, s.index), text=s.text)
            out.append({**finding, "severity": s.severity} if s.severity else finding)
    site, slug, index = ATTACHMENT_ARTICLE
    column = w.catalog.column(site, slug)
    assert column is not None
    article = art.build(w.catalog, column, index, as_of=w.as_of, seed=w.seed, state=w.state)
    out.append(_finding("privacy-id-number", ("site", w.site_names[site]),
                        w.bases[site].rstrip("/") + art.attachment_path(article, "xlsx"),
                        text=numbers.mask_id(numbers.ATTACHMENT_ID)))
    for letter in LETTERS:
        if letter.overdue(w.as_of):
            out.append(_finding("interaction-overdue", ("site", w.site_names[PORTAL]),
                                w.bases[PORTAL].rstrip("/") + letter.path))
    return out


def _obligation_findings(w: Where) -> list[Finding]:
    """Policy interpretations and annual reports (``xunwang.demo.obligations``)."""
    portal = ("site", w.site_names[PORTAL])
    out = []
    for index, rules in enumerate((("interpretation-late", "interpretation-unlinked"),
                                   ("interpretation-late", "interpretation-unlinked"),
                                   ("interpretation-missing",))):
        for rule in rules:
            out.append(_finding(rule, portal, w.article_url(PORTAL, "zcwj", index), column="政策文件"))
    report = w.catalog.column(PORTAL, obligations.REPORT_SLUG)
    assert report is not None
    out.append(_finding("annual-report-inconsistent", portal,
                        w.article_url(PORTAL, obligations.REPORT_SLUG, 0),
                        text=obligations.REPORT_KEY))
    year = w.as_of.year
    if w.as_of > date(year, 3, 31) and entry_date(report, 0, w.as_of).year != year:
        out.append(_finding("annual-report-missing", portal, w.bases[PORTAL]))
    if w.as_of > date(year, 1, 31):  # the education bureau is a department: 31 January
        out.append(_finding("annual-report-missing", ("site", w.site_names[DEPT]), w.bases[DEPT]))
    return out


def _link_findings(w: Where) -> list[Finding]:
    out = [_finding("link-broken", ("site", w.site_names[PORTAL]), w.bases[PORTAL],
                    target=w.resolve[TEMPLATE_BROKEN])]
    for plant in LINKS:
        if plant.rule is None or w.state not in plant.states:
            continue
        if plant.page == "home":
            url = w.bases[plant.site]
        else:
            slug, _, index = plant.page.partition(":")
            url = w.article_url(plant.site, slug, int(index))
        out.append(_finding(plant.rule, ("site", w.site_names[plant.site]), url,
                            target=w.resolve[plant.target]))
    return out


def _account_findings(w: Where) -> list[Finding]:
    out = []
    for account in mirrors.ACCOUNTS:
        who, mirror_url = ("account", account.name), w.mirror_base + account.mirror_path
        age = account.newest_age
        if age > 10:
            out.append({**_finding("account-stale", who, mirror_url),
                        "severity": "veto" if age > 14 else "warn"})
        if age > 90:
            out.append(_finding("account-zombie", who, mirror_url))
        for number, _sentence, rule, text in account.planted:
            out.append(_finding(rule, who, w.mirror_base + account.post_path(number), text=text))
    return out


def _attack_findings(w: Where) -> list[Finding]:
    """What the intruder of ``attacked`` left on the portal's homepage (the spam text in an
    article is a ``Snippet``). ``security-script-changed`` assumes an earlier patrol of
    another state in the same database: a site's first patrol only sets the baseline."""
    if w.state != "attacked":
        return []
    portal, home = ("site", w.site_names[PORTAL]), w.bases[PORTAL]
    out = [_finding("security-dark-link", portal, home, target=w.resolve[target])
           for target, _label in DARK_LINKS]
    out += [_finding("security-illegal-content", portal, home, text=term) for term in DARK_TERMS]
    out.append(_finding("security-outbound-hijacked", portal, home, target=w.resolve[PARKED]))
    out.append(_finding("security-script-changed", portal, home, target=w.resolve[NEW_SCRIPT]))
    out.append(_finding("security-redirect", portal, home, target=w.resolve[SPIDER_REDIRECT]))
    return out


def expected(w: Where) -> list[Finding]:
    findings = (_site_findings(w, PORTAL) + _site_findings(w, DEPT) + _content_findings(w)
                + _obligation_findings(w) + _link_findings(w) + _account_findings(w)
                + _attack_findings(w))
    return sorted(findings, key=lambda f: (f["rule"], f.get("site", f.get("account", "")),
                                           f["url"], f.get("target", ""), f.get("column", ""),
                                           f.get("text", "")))
