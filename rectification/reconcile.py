"""After a patrol: turn its findings into items and verify the items it could re-check.

The loop, per item: new ``warn`` → 待确认; new veto/deduct → 待整改 with a deadline; seen
again → last_seen moves; 已整改待复核 still seen → 退回; 已销号 seen again → 待整改 and a
regression; a live item NOT seen whose location this run re-fetched → 已销号. An item whose
location was not re-fetched (page limit, fetch error, site not patrolled) is never closed
by absence. 已忽略 stays dismissed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from checks.allow import Allowlist
from checks.model import Finding, Scope, Severity
from checks.registry import rule_scope
from core.settings import Settings
from rectification.actions import record_event
from rectification.deadline import deadline_for
from rectification.fingerprint import fingerprint, normalize_url
from rectification.routing import route
from rectification.states import LIVE_STATES, State
from store.allow_rules import text_rules
from store.items import add_item, items_by_fingerprint, live_items_of
from store.models import Item
from store.runs import read_urls

PATROL = "patrol"


@dataclass(frozen=True)
class Coverage:
    """What this run actually re-fetched: URLs, and sites/accounts whose homepage or mirror
    was fetched OK."""

    fetched_urls: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ReconcileResult:
    """Counts of one reconcile; ``seen_again`` excludes the sent back and the regressed."""

    new: int = 0
    seen_again: int = 0
    closed: int = 0
    sent_back: int = 0
    regressed: int = 0
    allowed: int = 0  # findings dropped because an allow rule covers them


class _Refetch:
    """Decides whether an item's location was re-fetched by this run."""

    def __init__(self, coverage: Coverage, extra_urls: Iterable[str] = ()) -> None:
        self.coverage = coverage
        self.urls = frozenset(normalize_url(u) for u in (*coverage.fetched_urls, *extra_urls))

    def covers(self, item: Item) -> bool:
        scope = rule_scope(item.rule)
        if scope is Scope.ACCOUNT:
            return item.account in self.coverage.accounts
        if scope is Scope.SITE:
            return item.site in self.coverage.sites
        if item.account and item.account not in self.coverage.accounts:
            return False
        if scope is Scope.LINK:
            pages = [item.url, *_source_pages(item.evidence or {})]
            return any(normalize_url(p) in self.urls for p in pages)
        return normalize_url(item.url) in self.urls


def _source_pages(evidence: Mapping[str, Any]) -> Iterator[str]:
    """The citing pages of a link finding (``LinkEvidence.sources``)."""
    for source in evidence.get("sources") or ():
        if isinstance(source, Mapping) and isinstance(source.get("page"), str):
            yield source["page"]


def allowlist(session: Session) -> Allowlist:
    """The allow rules (site and global dismissals) as the checks' Allowlist."""
    everywhere: set[tuple[str, str]] = set()
    per_place: set[tuple[str, str, str]] = set()
    for scope, site, rule, text in text_rules(session):
        if scope == "global":
            everywhere.add((rule, text))
        elif site:
            per_place.add((site, rule, text))
    return Allowlist(everywhere=frozenset(everywhere), per_place=frozenset(per_place))


def _refresh(item: Item, finding: Finding, run_id: int, as_of: date, now: datetime) -> None:
    item.severity = str(finding.severity)
    item.url = finding.url
    item.message = finding.message
    item.suggestion = finding.suggestion
    item.evidence = dict(finding.evidence)
    item.last_seen = max(as_of, item.last_seen)
    item.last_run_id = run_id
    item.updated_at = now


def _create(
    session: Session, fp: str, finding: Finding, run_id: int, settings: Settings,
    as_of: date, now: datetime,
) -> Item:
    warn = finding.severity == Severity.WARN
    item = add_item(
        session, fingerprint=fp, rule=finding.rule, severity=str(finding.severity), site=finding.site,
        account=finding.account, url=finding.url, target=finding.target,
        column=finding.column, text=finding.text, suggestion=finding.suggestion,
        message=finding.message, evidence=dict(finding.evidence),
        state=State.TO_CONFIRM if warn else State.OPEN, unit=route(finding, settings),
        deadline=None if warn else deadline_for(str(finding.severity), as_of,
                                                settings.rectification),
        first_seen=as_of, last_seen=as_of, first_run_id=run_id, last_run_id=run_id,
        regressions=0, fix_note="", updated_at=now,
    )
    record_event(session, item, PATROL, "detected", "", finding.message, now, run_id=run_id)
    return item


def _seen(
    session: Session, item: Item, finding: Finding, run_id: int, settings: Settings,
    as_of: date, now: datetime,
) -> str:
    """Update a known item seen by this run; returns which counter it belongs to."""
    _refresh(item, finding, run_id, as_of, now)
    before = item.state
    if before == State.FIXED_PENDING:
        item.state = State.SENT_BACK
        record_event(session, item, PATROL, "sent_back", before, "复查仍发现该问题，整改未到位",
                     now, run_id=run_id)
        return "sent_back"
    if before == State.CLOSED:
        item.state = State.OPEN
        item.regressions = (item.regressions or 0) + 1
        item.closed_at = None
        item.deadline = deadline_for(item.severity, as_of, settings.rectification)
        record_event(session, item, PATROL, "regressed", before, "已销号的问题再次出现",
                     now, run_id=run_id)
        return "regressed"
    if before == State.TO_CONFIRM and item.severity != Severity.WARN:
        item.state = State.OPEN
        item.deadline = deadline_for(item.severity, as_of, settings.rectification)
        record_event(session, item, PATROL, "escalated", before, finding.message, now,
                     run_id=run_id)
    return "seen_again"


def _unseen_candidates(
    session: Session, coverage: Coverage, seen: set[str],
) -> Iterator[Item]:
    """Live items of the sites/accounts this run covered that it did not find again."""
    for item in live_items_of(session, sorted(coverage.sites), sorted(coverage.accounts),
                              LIVE_STATES):
        if item.fingerprint not in seen:
            yield item


def reconcile(
    session: Session, run_id: int, findings: Sequence[Finding], coverage: Coverage,
    settings: Settings, as_of: date, now: datetime,
) -> ReconcileResult:
    """Apply one patrol's findings to the items; never commits."""
    allow = allowlist(session)
    by_fp: dict[str, Finding] = {}
    allowed = 0
    for finding in findings:
        if allow.allows(finding):
            allowed += 1
            continue
        by_fp.setdefault(fingerprint(finding), finding)
    counts = {"new": 0, "seen_again": 0, "closed": 0, "sent_back": 0, "regressed": 0}
    existing = items_by_fingerprint(session, list(by_fp))
    for fp, finding in by_fp.items():
        item = existing.get(fp)
        if item is None:
            _create(session, fp, finding, run_id, settings, as_of, now)
            counts["new"] += 1
        else:
            counts[_seen(session, item, finding, run_id, settings, as_of, now)] += 1
    refetch = _Refetch(coverage, read_urls(session, run_id))
    for item in list(_unseen_candidates(session, coverage, set(by_fp))):
        if refetch.covers(item):
            _close_by_absence(session, item, run_id, now)
            counts["closed"] += 1
    return ReconcileResult(allowed=allowed, **counts)


def _close_by_absence(session: Session, item: Item, run_id: int, now: datetime) -> None:
    before = item.state
    item.state = State.CLOSED
    item.closed_at = now
    item.updated_at = now
    if before == State.FIXED_PENDING:
        record_event(session, item, PATROL, "verified", before, "复查未再发现，整改到位，已销号",
                     now, run_id=run_id)
    else:
        record_event(session, item, PATROL, "auto_closed", before, "复查未再发现该问题，已销号",
                     now, run_id=run_id)
