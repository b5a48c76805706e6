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
from rectification.actor import Actor
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
) -> SiteCard:
    """What is still open at one site or account, judged as an inspection would."""
    kind = "account" if any(a.name == name for a in settings.accounts) else "site"
    flt = ItemFilter(account=name) if kind == "account" else ItemFilter(site=name)
    items = [i for i in all_items(session, flt, actor, as_of) if i.state in LIVE_STATES]
    card = scorecard([_finding(i) for i in items if _known(i.rule)], [(kind, name)])[0]
    return SiteCard(
        name=name, kind=kind, kind_label=card.kind_label, failed=card.verdict == "fail",
        verdict_label=card.verdict_label, indicators=(*card.vetoes, *card.deductions),
        warnings=card.warnings, lines=_lines(items),
    )
