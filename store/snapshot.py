"""Build the snapshots rules read from what one run stored (plain data, no ORM objects)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checks import model as m
from checks.illegal import builtin_illegal
from checks.interpretation import INTERPRETATION_TITLE, is_interpretation_column, is_policy_column
from checks.links import verdict
from checks.security import outbound_state
from store import security
from store.bodies import link_lists
from store.models import (
    AccountRun,
    ColumnEntry,
    ColumnPage,
    FindingRow,
    Letter,
    Page,
    PageLinks,
    Post,
    ProbeResult,
    Run,
    Target,
)


def _entries(rows: list[ColumnEntry]) -> tuple[m.Entry, ...]:
    return tuple(m.Entry(r.title, r.url, r.published) for r in rows)


def _columns(session: Session, run_id: int, site: str) -> tuple[m.Column, ...]:
    entries: dict[int, list[ColumnEntry]] = defaultdict(list)
    for entry in session.scalars(
        select(ColumnEntry).where(ColumnEntry.run_id == run_id, ColumnEntry.site == site,
                                  ColumnEntry.column_id.is_not(None))
    ):
        entries[entry.column_id or 0].append(entry)
    return tuple(
        m.Column(url=c.url, name=c.name, blank=c.blank and not entries[c.id],
                 entries=_entries(entries[c.id]), top_level=c.top_level,
                 placeholder=c.placeholder or None, role=c.role or "")
        for c in session.scalars(
            select(ColumnPage).where(ColumnPage.run_id == run_id, ColumnPage.site == site)
            .order_by(ColumnPage.url))
    )


def _referenced(session: Session, run_id: int, place: str) -> set[str]:
    return {target for _site, _source, links in link_lists(session.connection(), run_id, place)
            for target, _tag, _anchor in links}


def _sources_of(session: Session, run_id: int, site: str | None,
                wanted: set[str]) -> dict[str, list[m.LinkSource]]:
    """The pages (in source order) of run ``run_id`` that link to each of ``wanted``."""
    sources: dict[str, list[m.LinkSource]] = defaultdict(list)
    if not wanted:
        return sources
    for _site, source, links in link_lists(session.connection(), run_id, site):
        for target, tag, anchor in links:
            if target in wanted:
                sources[target].append(m.LinkSource(source, tag, anchor))
    return sources


def _attachment_sources(session: Session, run_id: int) -> dict[str, list[str]]:
    """The pages linking to each attachment of run ``run_id``, from every site of the run (an
    attachment may be linked from another site). One pass over the run's link lists serves
    the snapshots of all its sites: the result stays in the session while the run's links
    are the same."""
    stored = session.scalar(select(func.count()).select_from(PageLinks)
                            .where(PageLinks.run_id == run_id))
    key = ("store.snapshot.attachment_sources", run_id, stored)
    cached = session.info.get(key)
    if cached is None:
        attachments = set(session.scalars(select(Page.url).where(
            Page.run_id == run_id, Page.kind == "attachment")))
        cached = {target: [s.page for s in found] for target, found in
                  _sources_of(session, run_id, None, attachments).items()}
        session.info[key] = cached
    return dict(cached)


def _targets(session: Session, run_id: int, place: str) -> tuple[m.LinkTarget, ...]:
    """Targets referenced from ``place``; sources are loaded only for failing ones."""
    referenced = sorted(_referenced(session, run_id, place))
    rows: list[Target] = []
    for chunk in range(0, len(referenced), 500):
        rows += session.scalars(select(Target).where(
            Target.run_id == run_id, Target.url.in_(referenced[chunk:chunk + 500])))
    rows.sort(key=lambda t: t.url)  # the order the checks saw before (by URL)
    lexicon = builtin_illegal()
    hijacked = {t.url for t in rows if t.content and not t.in_scope
                and outbound_state(t.content, lexicon) is not None}
    failing = {t.url for t in rows if verdict(t.failure, t.in_scope) in ("broken", "suspect")
               or t.url in hijacked}
    previous = security.last_fine_titles(
        session, run_id, sorted(hijacked),
        lambda content: outbound_state(content, lexicon) is None) if hijacked else {}
    sources = _sources_of(session, run_id, place, failing)
    return tuple(
        m.LinkTarget(url=t.url, failure=t.failure, status=t.status,
                     in_scope=t.in_scope, sources=tuple(dict.fromkeys(sources.get(t.url, ()))),
                     attempts=t.attempts, redirects=tuple(t.redirects or ()),
                     content=t.content or {}, previous=previous.get(t.url, ""))
        for t in rows
    )


def _previous_checked_run(session: Session, run_id: int, site: str,
                          threshold: float) -> int | None:
    """The newest earlier run of ``site`` whose checks ran the typo detector at ``threshold``."""
    for row in session.execute(
        select(Run.id, Run.targets, Run.stats).where(
            Run.id < run_id, Run.status.in_(("complete", "partial"))).order_by(Run.id.desc())
        .limit(50)
    ):
        if site in (row.targets or ()):
            return row.id if (row.stats or {}).get("typo_threshold") == threshold else None
    return None


def known_typos(session: Session, run_id: int, site: str, unchanged: dict[str, str],
                threshold: float | None) -> dict[str, tuple[m.Finding, ...]]:
    """For pages of ``unchanged`` (url -> content hash) whose text an earlier run checked with
    the same threshold: the wrong-character detector's findings there (maybe none)."""
    if threshold is None or not unchanged:
        return {}
    previous = _previous_checked_run(session, run_id, site, threshold)
    if previous is None:
        return {}
    urls = list(unchanged)
    same: list[str] = []
    for chunk in range(0, len(urls), 500):
        for url, content_hash in session.execute(
            select(Page.url, Page.content_hash).where(
                Page.run_id == previous, Page.site == site, Page.url.in_(urls[chunk:chunk + 500]))
        ):
            if content_hash and content_hash == unchanged[url]:
                same.append(url)
    found: dict[str, list[m.Finding]] = {url: [] for url in same}
    for chunk in range(0, len(same), 500):
        for row in session.scalars(
            select(FindingRow).where(
                FindingRow.run_id == previous, FindingRow.site == site,
                FindingRow.rule == "wording-typo", FindingRow.url.in_(same[chunk:chunk + 500]))
            .order_by(FindingRow.id)
        ):
            if (row.evidence or {}).get("found_by") == "model":
                found[row.url].append(m.Finding(
                    rule=row.rule, severity=m.Severity(row.severity), url=row.url,
                    message=row.message, text=row.text, suggestion=row.suggestion,
                    evidence=dict(row.evidence)))
    return {url: tuple(findings) for url, findings in found.items()}


def _documents(session: Session, run_id: int, site: str,
               typo_threshold: float | None = None) -> tuple[m.Document, ...]:
    pages = list(session.execute(
        select(Page.url, Page.kind, Page.title, Page.text, Page.published, Page.unchanged,
               Page.content_hash, Page.tables).where(
            Page.run_id == run_id, Page.site == site, Page.status == 200,
            Page.text.is_not(None))
        .order_by(Page.url)))
    linked = _attachment_sources(session, run_id) if any(
        p.kind == "attachment" for p in pages) else {}
    known = known_typos(session, run_id, site, {p.url: p.content_hash for p in pages if p.unchanged},
                        typo_threshold)
    return tuple(
        m.Document(url=p.url, kind=p.kind, title=p.title or "", text=p.text or "",
                   published=p.published, linked_from=tuple(dict.fromkeys(linked.get(p.url, ()))),
                   typos_known=known.get(p.url), tables=_grids(p.tables))
        for p in pages
    )


def _grids(value: object) -> tuple[m.Table, ...]:
    """Stored JSON grids (lists) as the snapshot's tuples; anything malformed is dropped."""
    if not isinstance(value, list):
        return ()
    return tuple(
        tuple(tuple(str(cell) for cell in row) for row in grid if isinstance(row, list))
        for grid in value if isinstance(grid, list))


def _page_links(session: Session, run_id: int, site: str, columns: tuple[m.Column, ...],
                documents: tuple[m.Document, ...]) -> tuple[tuple[str, str, str], ...]:
    """Links of policy documents and interpretation pages (the only pages a rule asks about)."""
    sources = sorted({e.url for c in columns if is_policy_column(c.name)
                      or is_interpretation_column(c.name) for e in c.entries}
                     | {d.url for d in documents if INTERPRETATION_TITLE.search(d.title)})
    out = [(source, target, tag) for _site, source, links in
           link_lists(session.connection(), run_id, site, sources)
           for target, tag, _anchor in links]
    out.sort(key=lambda link: (link[0], link[1]))
    return tuple(dict.fromkeys(out))


def probes(session: Session, site: str, as_of: date, days: int) -> tuple[m.Probe, ...]:
    end = datetime.combine(as_of + timedelta(days=1), time.min)
    start = end - timedelta(days=days)
    return tuple(
        m.Probe(at=p.at, ok=p.ok, failure=p.failure, status=p.status, elapsed_ms=p.elapsed_ms)
        for p in session.scalars(
            select(ProbeResult).where(ProbeResult.site == site, ProbeResult.at >= start,
                                      ProbeResult.at < end).order_by(ProbeResult.at))
    )


def _homepage_failure(session: Session, run_id: int, url: str, home: Page | None) -> str | None:
    """Why the run did not fetch the homepage (its failure class); None when it never tried."""
    row = session.scalars(select(Target).where(Target.run_id == run_id, Target.url == url)).first()
    if row is not None and row.failure:
        return row.failure
    if home is not None and home.status:
        return "5xx" if home.status >= 500 else str(home.status)
    return None


def site_snapshot(session: Session, run_id: int, name: str, url: str, as_of: date,
                  probe_days: int = 7, typo_threshold: float | None = None) -> m.SiteSnapshot:
    """What run ``run_id`` stored of site ``name``. With ``typo_threshold``, unchanged pages
    bring the typo detector's findings of the last run that checked them at that threshold."""
    home = session.scalars(
        select(Page).where(Page.run_id == run_id, Page.site == name, Page.is_homepage)
    ).first()
    home_items = list(session.scalars(
        select(ColumnEntry).where(ColumnEntry.run_id == run_id, ColumnEntry.site == name,
                                  ColumnEntry.home)))
    letters = tuple(
        m.Letter(l.url, l.title, l.asked, l.replied, l.status)
        for l in session.scalars(  # noqa: E741
            select(Letter).where(Letter.run_id == run_id, Letter.site == name).order_by(Letter.url))
    )
    fetched = frozenset(session.scalars(
        select(Target.url).where(Target.run_id == run_id, Target.site == name)))
    fetched_home = bool(home and home.status == 200)
    columns = _columns(session, run_id, name)
    documents = _documents(session, run_id, name, typo_threshold)
    return m.SiteSnapshot(
        name=name, url=url,
        homepage_fetched=fetched_home,
        homepage_failure=None if fetched_home else _homepage_failure(session, run_id, url, home),
        home_items=_entries(home_items),
        footer_text=(home.footer or "") if home else "",
        documents=documents,
        targets=_targets(session, run_id, name),
        columns=tuple(c for c in columns if c.role != "repost"),
        repost_sources=tuple(c for c in columns if c.role == "repost"),
        page_links=_page_links(session, run_id, name, columns, documents),
        letters=letters,
        probes=probes(session, name, as_of, probe_days),
        fetched_urls=fetched,
        page_security=security.page_security(session, run_id, name),
        visits=security.visits(session, run_id, name),
        certificate=security.latest_certificate(session, name, *_window(as_of, probe_days)),
        script_baseline=security.script_baseline(session, name),
    )


def _window(as_of: date, days: int) -> tuple[datetime, datetime]:
    end = datetime.combine(as_of + timedelta(days=1), time.min)
    return end - timedelta(days=days), end


def account_snapshot(session: Session, run_id: int, name: str, platform: str,
                     url: str) -> m.AccountSnapshot:
    row = session.scalars(
        select(AccountRun).where(AccountRun.run_id == run_id, AccountRun.account == name)
    ).first()
    posts = tuple(
        m.Post(url=p.url, title=p.title, published=p.published, text=p.text or "",
               links=tuple(p.links or ()))
        for p in session.scalars(
            select(Post).where(Post.run_id == run_id, Post.account == name).order_by(Post.url))
    )
    return m.AccountSnapshot(
        name=name, platform=platform, url=url,
        status=row.status if row else "unreachable",
        error=row.error if row else "mirror was not fetched",
        posts=posts, targets=_targets(session, run_id, name),
    )
