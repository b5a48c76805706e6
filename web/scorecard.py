"""The per-site (or per-account) scorecard page: the checks' scorecard over live items."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from checks.model import Finding, Severity
from checks.registry import rule
from checks.scorecard import IndicatorCount, scorecard
from core.errors import CheckError
from core.settings import Settings
from rectification.actor import SYSTEM, Actor
from rectification.queries import ItemFilter, all_items
from rectification.views import LIVE_STATES, SEVERITY_ORDER, ItemView


@dataclass(frozen=True)
class RuleLine:
    rule: str
    rule_title: str
    severity: str
    live: int
    overdue: int


@dataclass(frozen=True)
class SiteCard:
    name: str
    kind: str  # site | account
    kind_label: str
    failed: bool
    verdict_label: str
    indicators: tuple[IndicatorCount, ...]  # vetoes first, then deductions
    warnings: int
    lines: tuple[RuleLine, ...]
    score: str = "100"
    pass_score: str = "60"

    @property
    def filter_key(self) -> str:
        return self.kind


def _known(rule_id: str) -> bool:
    try:
        rule(rule_id)
    except CheckError:
        return False
    return True


def _finding(item: ItemView) -> Finding:
    return Finding(
        rule=item.rule, severity=Severity(item.severity), url=item.url, message=item.message,
        site=item.site, account=item.account, target=item.target, column=item.column,
        text=item.text, evidence=item.evidence,
    )


def _lines(items: list[ItemView]) -> tuple[RuleLine, ...]:
    live = Counter((i.rule, i.severity) for i in items)
    late = Counter((i.rule, i.severity) for i in items if i.overdue)
    first = {(i.rule, i.severity): i.rule_title for i in items}
    keys = sorted(live, key=lambda k: (SEVERITY_ORDER.get(k[1], 9), k[0]))
    return tuple(RuleLine(r, first[(r, s)], s, live[(r, s)], late[(r, s)]) for r, s in keys)


def site_card(
    session: Session, name: str, settings: Settings, actor: Actor, as_of: date
) -> SiteCard | None:
    """What is still open at one site or account, judged as an inspection would.

    The verdict and score are one fact about the place, over all its live items whoever
    looks; the per-rule lines list what the viewer may see. None: no such site or account.
    """
    kind = "account" if any(a.name == name for a in settings.accounts) else "site"
    flt = ItemFilter(account=name) if kind == "account" else ItemFilter(site=name)
    every = [i for i in all_items(session, flt, SYSTEM, as_of) if i.state in LIVE_STATES]
    configured = name in {p.name for p in settings.sites} | {a.name for a in settings.accounts}
    if not configured and not every and not all_items(session, flt, SYSTEM, as_of):
        return None
    card = scorecard([_finding(i) for i in every if _known(i.rule)], [(kind, name)],
                     settings.scoring)[0]
    seen = [i for i in all_items(session, flt, actor, as_of) if i.state in LIVE_STATES]
    return SiteCard(
        name=name, kind=kind, kind_label=card.kind_label, failed=card.verdict == "fail",
        verdict_label=card.verdict_label, indicators=(*card.vetoes, *card.deductions),
        warnings=card.warnings, lines=_lines(seen), score=card.score_label,
        pass_score=f"{settings.scoring.pass_score:g}",
    )
