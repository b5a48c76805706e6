"""One patrol: crawl (child process) → snapshots → checks → findings → rectification items.

Each arrow is one function call with plain data. The run's lifecycle lives in
``store.runs``: the run row is written first with this process's pid and host, the patrol
beats while it works, and a run whose process died (kill, crash) is marked ``interrupted``
by the next command that reads runs; nothing a previous run stored is changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from checks.lexicon import Lexicon
from checks.model import Finding
from checks.runner import load_lexicon, run_checks
from checks.security_transport import external_script_hosts
from core.clock import local_now
from core.errors import PatrolError, XunwangError
from core.settings import Settings
from crawler.process import CrawlOutcome, Progress, run_crawl
from rectification.fingerprint import fingerprint
from rectification.reconcile import Coverage, allowlist, reconcile
from rectification.states import LIVE_STATES, State
from reports.activity import activity_row
from reports.alerts import send_alerts
from scheduler.heartbeat import Heartbeat
from scheduler.screenshots import ShotReport, take_screenshots
from store import runs, security
from store.findings import add_findings
from store.items import live_items_of
from store.migrate import upgrade
from store.session import make_engine, make_sessionmaker
from store.snapshot import account_snapshot, site_snapshot

Clock = Callable[[], datetime]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PatrolResult:
    run_id: int
    status: str  # complete | partial | failed
    reason: str
    findings: list[Finding]
    stats: dict[str, Any] = field(default_factory=dict)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    as_of: date | None = None
    activity: tuple[Any, ...] = ()  # reports.activity.ActivityRow per account


def _select(names: Sequence[str] | None, configured: Sequence[str], kind: str) -> list[str]:
    if names is None:
        return list(configured)
    unknown = [n for n in names if n not in configured]
    if unknown:
        raise PatrolError(f"no {kind} named {unknown[0]!r} in the configuration")
    return list(names)


def _start_run(factory: sessionmaker[Session], kind: str, as_of: date, now: datetime,
               targets: list[str]) -> int:
    with factory.begin() as session:
        runs.mark_interrupted(session, now)
        return runs.start_run(session, kind=kind, as_of=as_of, now=now, targets=targets,
                              process=runs.this_process())


def run_patrol(
    settings: Settings,
    *,
    as_of: date,
    now: Clock | None = None,
    sites: Sequence[str] | None = None,
    accounts: Sequence[str] | None = None,
    timeout_s: float | None = None,
    on_progress: Progress | None = None,
    checks: bool = True,
) -> PatrolResult:
    """Crawl the chosen sites and accounts, then (with ``checks``) judge and reconcile.

    ``now`` defaults to the wall clock of ``schedule.timezone``, the time the store keeps.
    """
    if now is None:
        now = partial(local_now, settings.schedule.timezone)
    site_names = _select(sites, [s.name for s in settings.sites], "site")
    account_names = _select(accounts, [a.name for a in settings.accounts], "account")
    if not site_names and not account_names:
        raise PatrolError("nothing to patrol: configure [[sites]] or [[accounts]], or pass URLs")
    limit = timeout_s or settings.schedule.patrol_timeout_minutes * 60
    # Lexicon files are read before anything is crawled: a typo in checks.lexicons must not
    # cost a night's crawl (CheckError, one line naming the file).
    lexicon = load_lexicon(settings) if checks else None
    engine = make_engine(settings.db.url)
    upgrade(engine)
    factory = make_sessionmaker(engine)
    try:
        started = now()
        run_id = _start_run(factory, "patrol" if checks else "crawl", as_of, started,
                            site_names + account_names)
        with Heartbeat(factory, run_id, now):
            outcome = run_crawl(settings, run_id=run_id, as_of=as_of, sites=site_names,
                                accounts=account_names, timeout_s=limit, on_progress=on_progress,
                                verify=_to_verify(factory, site_names, settings, started))
            outcome = _check_reached(factory, run_id, site_names, outcome)
            findings: list[Finding] = []
            activity: list[Any] = []
            shots = ShotReport()
            if checks and outcome.status != "failed":
                findings, activity = _judge(factory, settings, run_id, as_of, now(), site_names,
                                            account_names, outcome, lexicon)
                shots = take_screenshots(factory, settings, run_id, findings, now())
            judged = checks and outcome.status != "failed"
            stats = _finish(factory, run_id, outcome, now(), site_names, account_names, shots,
                            typo_threshold=settings.checks.typo_threshold if judged else None)
        if judged and settings.schedule.alerts:
            _alert(factory, settings, run_id, now())
        return PatrolResult(run_id, outcome.status, outcome.reason, findings, stats,
                            started, now(), as_of, tuple(activity))
    finally:
        engine.dispose()


def _to_verify(factory: sessionmaker[Session], site_names: list[str], settings: Settings,
               now: datetime) -> dict[str, list[str]]:
    """Per site, the pages and targets of its live items and of items closed within
    ``full_check_days`` (a fix is verified, a regression seen): always requested."""
    out: dict[str, set[str]] = {}
    since = now - timedelta(days=settings.crawler.full_check_days)
    with factory() as session:
        items = live_items_of(session, site_names, [], LIVE_STATES) + [
            item for item in live_items_of(session, site_names, [], [State.CLOSED])
            if item.closed_at is None or item.closed_at >= since]
        for item in items:
            if item.site:
                out.setdefault(item.site, set()).update(u for u in (item.url, item.target) if u)
    return {site: sorted(urls) for site, urls in out.items()}


def _alert(factory: sessionmaker[Session], settings: Settings, run_id: int,
           now: datetime) -> None:
    """Security incidents are mailed now, not at the next digest; mail trouble is logged
    (the recorded alert is retried by the digest run), never a failed patrol."""
    try:
        for alert in send_alerts(factory, settings, run_id, now):
            if alert.status == "failed":
                log.warning("alert for item %s to %s failed: %s", alert.item_id,
                            alert.recipient, alert.detail)
    except XunwangError as error:
        log.warning("alerts not sent: %s", error)


def _check_reached(factory: sessionmaker[Session], run_id: int, site_names: list[str],
                   outcome: CrawlOutcome) -> CrawlOutcome:
    """A crawl that never even tried a site's homepage is not complete, whatever it says."""
    if outcome.status != "complete" or not site_names:
        return outcome
    with factory() as session:
        reached = runs.reached_sites(session, run_id)
    missing = [name for name in site_names if name not in reached]
    if not missing:
        return outcome
    return CrawlOutcome("partial", f"未抓取到站点：{'、'.join(missing)}", outcome.returncode,
                        outcome.last)


def _judge(factory: sessionmaker[Session], settings: Settings, run_id: int, as_of: date,
           now: datetime, site_names: list[str], account_names: list[str],
           outcome: CrawlOutcome, lexicon: Lexicon | None = None,
           ) -> tuple[list[Finding], list[Any]]:
    lexicon = lexicon or load_lexicon(settings)
    findings: list[Finding] = []
    with factory.begin() as session:
        allow = allowlist(session)
        covered_sites: set[str] = set()
        for name in site_names:
            site = settings.site(name)
            snap = site_snapshot(session, run_id, name, site.url, as_of,
                                 settings.checks.probe_window_days,
                                 typo_threshold=settings.checks.typo_threshold)
            if snap.homepage_fetched:
                covered_sites.add(name)
            findings += run_checks(snap, settings, as_of, allow=allow, lexicon=lexicon)
            if snap.homepage_fetched:  # a patrol that fetched nothing sets no baseline
                security.remember_script_hosts(session, name, run_id, as_of,
                                               external_script_hosts(snap, settings))
        covered_accounts: set[str] = set()
        activity = []
        for account in [a for a in settings.accounts if a.name in account_names]:
            snap_a = account_snapshot(session, run_id, account.name, account.platform, account.url)
            if snap_a.status == "ok":
                covered_accounts.add(account.name)
            posted = [p.published for p in snap_a.posts if p.published]
            activity.append(activity_row(account, snap_a.status, posted, as_of))
            findings += run_checks(snap_a, settings, as_of, allow=allow, lexicon=lexicon)
        add_findings(session, run_id, findings, fingerprint)
        coverage = _coverage(session, run_id, outcome, covered_sites, covered_accounts)
        reconcile(session, run_id, findings, coverage, settings, as_of, now)
    return findings, activity


def _coverage(session: Session, run_id: int, outcome: CrawlOutcome, sites: set[str],
              accounts: set[str]) -> Any:

    if outcome.status != "complete":
        # A partial crawl may have fetched a page but not yet the targets it links to:
        # nothing is closed by absence after an incomplete run.
        return Coverage(frozenset(), frozenset(), frozenset())
    fetched = runs.fetched_urls(session, run_id)
    return Coverage(frozenset(fetched), frozenset(sites), frozenset(accounts))


def _finish(factory: sessionmaker[Session], run_id: int, outcome: CrawlOutcome, now: datetime,
            site_names: list[str], account_names: list[str], shots: ShotReport, *,
            typo_threshold: float | None = None) -> dict[str, Any]:
    with factory.begin() as session:
        stats = runs.run_stats(session, run_id, site_names, account_names)
        stats["crawl"] = {k: v for k, v in outcome.last.items() if k != "event"}
        truncated = stats["crawl"].get("truncated") or {}
        for name, site in stats["sites"].items():
            # pages and attachments past the site's page_limit: linked, only probed
            site["truncated"] = int(truncated.get(name, 0))
        if typo_threshold is not None:
            # the next run carries this run's typo findings of pages that stay unchanged
            stats["typo_threshold"] = typo_threshold
        if shots.wanted or shots.error:
            stats["screenshots"] = shots.stats()
        runs.finish_run(session, run_id, status=outcome.status, reason=outcome.reason, now=now,
                        stats=stats)
    return stats
