"""What the security rules read beyond pages and targets: visits, certificates, script hosts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from checks import model as m
from store.models import Certificate, Item, Page, ScriptHost, Target, Visit

BASELINE = ""  # the row that says a site's first patrol set its baseline


def visits(session: Session, run_id: int, site: str) -> tuple[m.Visit, ...]:
    return tuple(
        m.Visit(url=v.url, visitor=v.visitor, status=v.status, hops=tuple(v.hops or ()),
                refresh=v.refresh or "", scripts=tuple(tuple(s) for s in v.scripts or ()),
                failure=v.failure)
        for v in session.scalars(select(Visit).where(Visit.run_id == run_id, Visit.site == site)
                                 .order_by(Visit.url, Visit.visitor)))


def add_certificates(session: Session, outcomes: Iterable[Any]) -> None:
    """Store probe-read certificates (``scheduler.certificates.CertificateOutcome``)."""
    session.add_all(
        Certificate(site=c.site, url=c.url, at=c.at, host=c.host, not_after=c.not_after,
                    issuer=c.issuer, subject=c.subject, names=list(c.names), host_ok=c.host_ok,
                    error=c.error)
        for c in outcomes)


def latest_certificate(session: Session, site: str, start: datetime,
                       end: datetime) -> m.CertificateFact | None:
    """The newest certificate a probe of ``site`` recorded with start <= at < end."""
    row = session.scalars(
        select(Certificate).where(Certificate.site == site, Certificate.at >= start,
                                  Certificate.at < end)
        .order_by(Certificate.at.desc(), Certificate.id.desc())).first()
    if row is None:
        return None
    return m.CertificateFact(url=row.url, at=row.at, host=row.host, not_after=row.not_after,
                             issuer=row.issuer, subject=row.subject, host_ok=row.host_ok,
                             error=row.error)


def page_security(session: Session, run_id: int, site: str) -> tuple[m.PageSecurity, ...]:
    def rows(facts: dict[str, Any], key: str) -> tuple[Any, ...]:
        return tuple(tuple(r) for r in facts.get(key) or ())

    out = []
    for url, title, facts in session.execute(
        select(Page.url, Page.title, Page.security).where(
            Page.run_id == run_id, Page.site == site, Page.kind == "page")
        .order_by(Page.url)).tuples():
        if not facts:
            continue
        out.append(m.PageSecurity(
            url=url, title=title or "", meta=str(facts.get("meta") or ""),
            hidden=rows(facts, "hidden"), hidden_links=rows(facts, "hidden_links"),
            anchors=rows(facts, "anchors"), embeds=rows(facts, "embeds"),
            insecure=rows(facts, "insecure")))
    return tuple(out)


def script_baseline(session: Session, site: str) -> frozenset[str] | None:
    """Hosts of the site's baseline patrol; None before its first patrol set one."""
    first = session.scalar(select(func.min(ScriptHost.first_run_id)).where(
        ScriptHost.site == site))
    if first is None:
        return None
    return frozenset(session.scalars(select(ScriptHost.host).where(
        ScriptHost.site == site, ScriptHost.first_run_id == first, ScriptHost.host != BASELINE)))


def remember_script_hosts(session: Session, site: str, run_id: int, day: date,
                          hosts: Iterable[str]) -> None:
    """Record hosts not seen before (and, on the first patrol, the baseline marker)."""
    known = set(session.scalars(select(ScriptHost.host).where(ScriptHost.site == site)))
    for host in sorted({BASELINE, *hosts} - known):
        session.add(ScriptHost(site=site, host=host, first_run_id=run_id, first_seen=day))
    session.flush()


def last_fine_titles(session: Session, run_id: int, urls: list[str],
                     fine: Any) -> dict[str, str]:
    """For each url, the title its content had in the newest earlier run where ``fine`` says so."""
    out: dict[str, str] = {}
    for chunk in range(0, len(urls), 500):
        for url, content in session.execute(
            select(Target.url, Target.content).where(
                Target.run_id < run_id, Target.url.in_(urls[chunk:chunk + 500]))
            .order_by(Target.run_id.desc())).tuples():
            if url not in out and content and fine(content):
                out[url] = str(content.get("title") or "")
    return out


def alert_items(session: Session, run_id: int, rules: Iterable[str]) -> list[Item]:
    """Veto items of ``rules`` that run ``run_id`` saw, still to be acted on."""
    return list(session.scalars(
        select(Item).where(Item.last_run_id == run_id, Item.severity == "veto",
                           Item.rule.in_(sorted(rules)),
                           Item.state.in_(("to_confirm", "open", "sent_back")))
        .order_by(Item.site, Item.id)))


def incident_counts(session: Session, rules: Iterable[str], since: date,
                    until: date) -> dict[str, int]:
    """Per site: veto security items first seen in [since, until] (an incident each)."""
    rows = session.execute(
        select(Item.site, func.count(Item.id)).where(
            Item.rule.in_(sorted(rules)), Item.severity == "veto", Item.site.is_not(None),
            Item.first_seen >= since, Item.first_seen <= until, Item.state != "dismissed")
        .group_by(Item.site)).tuples()
    return {str(site): int(count) for site, count in rows}
