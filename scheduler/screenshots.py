"""After a patrol's checks: screenshots of the pages whose findings a picture explains.

Which findings get one, and what is outlined on the page, is decided here (``request_for``,
the one table of it); ``crawler.camera`` takes the pictures. Each finding is photographed
once: a fingerprint that already has a screenshot is skipped until retention removes it, so
a daily patrol of an unchanged site takes none; an item this patrol sends back (a fix was
reported, the problem is still there) or finds regressed is photographed again. Findings are taken in order of severity
(veto first) up to ``screenshots.per_patrol``. Nothing here fails a patrol: a browser that
will not start or a page that will not load is logged and counted, never raised.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from checks.model import Finding, Severity
from checks.registry import ORDER
from core.settings import Settings, screenshot_dir
from crawler.camera import Camera, CameraOptions, ShotRequest, ShotResult
from crawler.config import browser_path
from rectification.fingerprint import fingerprint
from store import screenshots as store

log = logging.getLogger(__name__)
_RANK = {Severity.VETO: 0, Severity.DEDUCT: 1, Severity.WARN: 2}
Shoot = Callable[[Sequence[ShotRequest], Path, float], list[ShotResult]]


@dataclass(frozen=True)
class ShotReport:
    wanted: int = 0  # findings a screenshot explains, not yet photographed
    taken: int = 0
    failed: int = 0
    over_cap: int = 0  # left for a later patrol by ``per_patrol``
    error: str = ""  # why none could be taken (the browser did not start, …)
    seconds: float = 0.0  # wall time of the browser work

    def stats(self) -> dict[str, Any]:
        out: dict[str, Any] = {"wanted": self.wanted, "taken": self.taken,
                               "failed": self.failed, "over_cap": self.over_cap,
                               "seconds": round(self.seconds, 1)}
        if self.error:
            out["error"] = self.error
        return out


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _entry_titles(evidence: Mapping[str, Any]) -> tuple[str, ...]:
    entries = evidence.get("latest_entries")
    if not isinstance(entries, list):
        return ()
    return tuple(_text(e.get("title")) for e in entries if isinstance(e, Mapping)
                 and _text(e.get("title")))


def request_for(finding: Finding, key: str) -> ShotRequest | None:
    """What to photograph for ``finding`` (None: a picture would not explain it).

    Wording and privacy hits on web pages (not attachments or posts), blank and stale
    columns, a stale homepage, and security findings that name a text.
    """
    if finding.account is not None:
        return None
    rule, evidence = finding.rule, finding.evidence
    if rule.startswith(("wording-", "privacy-")):
        if evidence.get("kind") != "page":
            return None
        if rule.startswith("privacy-"):
            return ShotRequest(key, finding.url, number=finding.text)
        term = _text(evidence.get("match")) or (finding.text or "")
        return ShotRequest(key, finding.url, marks=(term,), before=_text(evidence.get("before")))
    if rule in ("column-stale", "homepage-stale"):
        marks = _entry_titles(evidence) + ((finding.column,) if finding.column else ())
        return ShotRequest(key, finding.url, marks=marks, row=True)
    if rule == "column-blank":
        marks = tuple(m for m in (_text(evidence.get("placeholder")), finding.column or "") if m)
        return ShotRequest(key, finding.url, marks=marks)
    if rule.startswith("security-") and finding.text:
        return ShotRequest(key, finding.url, marks=(finding.text,))
    return None


def plan(findings: Sequence[Finding], have: set[str], cap: int
         ) -> tuple[list[tuple[Finding, ShotRequest]], int, int]:
    """The requests to take (worst first, at most ``cap``), how many wanted, how many left."""
    wanted: dict[str, tuple[Finding, ShotRequest]] = {}
    for finding in findings:
        key = fingerprint(finding)
        if key in have or key in wanted:
            continue
        request = request_for(finding, key)
        if request is not None:
            wanted[key] = (finding, request)
    ordered = sorted(wanted.values(), key=lambda pair: (
        _RANK.get(pair[0].severity, 3), ORDER.get(pair[0].rule, len(ORDER))))
    return ordered[:cap], len(ordered), max(0, len(ordered) - cap)


def camera_for(settings: Settings) -> Shoot:
    cfg = settings.screenshots
    camera = Camera(CameraOptions(
        chromium_path=browser_path(settings.crawler), cdp_url=settings.crawler.cdp_url,
        user_agent=settings.crawler.user_agent, concurrency=cfg.concurrency,
        timeout_s=cfg.timeout_seconds, width=cfg.width, height=cfg.height))
    return camera.shoot


def take_screenshots(factory: sessionmaker[Session], settings: Settings, run_id: int,
                     findings: Sequence[Finding], now: datetime,
                     shoot: Shoot | None = None) -> ShotReport:
    """Photograph this run's findings that need it and record each picture; never raises."""
    cfg = settings.screenshots
    if not cfg.enabled or cfg.per_patrol == 0 or not findings:
        return ShotReport()
    try:
        with factory() as session:
            have = store.with_screenshot(session, {fingerprint(f) for f in findings})
            have -= store.reopened_in_run(session, run_id)
        chosen, wanted, over = plan(findings, have, cfg.per_patrol)
        if not chosen:
            return ShotReport(wanted, over_cap=over)
        root = screenshot_dir(settings)
        folder = root / str(run_id)
        rounds = math.ceil(len(chosen) / cfg.concurrency)
        budget = cfg.timeout_seconds * rounds + 30
        started = time.monotonic()
        results = (shoot or camera_for(settings))([r for _, r in chosen], folder, budget)
        seconds = time.monotonic() - started
        by_key = {f_r[1].key: f_r[0] for f_r in chosen}
        taken = 0
        with factory.begin() as session:
            for result in results:
                if result.image is None:
                    log.info("screenshot of %s not taken: %s", result.url, result.error)
                    continue
                taken += 1
                store.add_screenshot(
                    session, run_id=run_id, fingerprint=result.key,
                    rule=by_key[result.key].rule, url=result.url,
                    path=result.image.relative_to(root).as_posix(),
                    thumb=result.thumb.relative_to(root).as_posix() if result.thumb else "",
                    taken_at=now, outlined=result.outlined, covered=result.covered,
                    marks=result.marks)
        return ShotReport(wanted, taken, len(results) - taken, over, seconds=seconds)
    except Exception as error:  # screenshots are evidence on top; the patrol stands without
        log.warning("screenshots of run %s failed: %s", run_id, error)
        return ShotReport(error=str(error).splitlines()[0][:300] if str(error) else repr(error))
