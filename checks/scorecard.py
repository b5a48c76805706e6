"""Scorecards in the shape of the 2019 indicators: any veto fails; else 100 minus deductions.

Each deduct finding costs its indicator's points (``ScoringConfig``), capped per indicator;
a score below ``pass_score`` fails; above ``bonus_from`` the bonus items (加分项) count.

``sites_and_accounts`` names the places to score: ``("site", name)`` / ``("account", name)``
pairs, or objects with a ``name`` (snapshots, configs; an object with a ``platform`` is an
account). A place with no findings gets a passing card; a finding for an unlisted place
adds its place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from checks.model import Finding, Severity
from checks.registry import RULES, rule
from core.settings import ScoringConfig

VERDICT_LABELS = {"pass": "合格", "fail": "不合格"}
KIND_LABELS = {"site": "网站", "account": "政务新媒体"}
HOMEPAGE_LINKS = "首页链接不可用"
OTHER_LINKS = "其他页面链接不可用"


@dataclass(frozen=True)
class IndicatorCount:
    indicator: str  # Chinese label of the 2019 indicator
    severity: Severity
    count: int
    rules: tuple[str, ...]
    points: float = 0.0  # deducted, after the indicator's cap (deductions only)


@dataclass(frozen=True)
class Scorecard:
    kind: str  # site | account
    name: str
    verdict: str  # pass | fail
    vetoes: tuple[IndicatorCount, ...]
    deductions: tuple[IndicatorCount, ...]
    warnings: int
    score: float = 100.0
    bonus_counts: bool = False  # above bonus_from: the bonus items (加分项) would count

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def deduction_total(self) -> int:
        return sum(line.count for line in self.deductions)

    @property
    def score_label(self) -> str:
        return f"{self.score:.1f}".removesuffix(".0")


def _place(item: Any) -> tuple[str, str]:
    if isinstance(item, tuple):
        return (str(item[0]), str(item[1]))
    return ("account" if hasattr(item, "platform") else "site", item.name)


def _indicator(finding: Finding) -> str:
    if finding.rule == "link-broken":
        return HOMEPAGE_LINKS if finding.evidence.get("on_homepage") else OTHER_LINKS
    return rule(finding.rule).indicator


def _lines(findings: list[Finding], severity: Severity) -> tuple[IndicatorCount, ...]:
    counts: Counter[str] = Counter()
    rules: dict[str, set[str]] = {}
    for finding in findings:
        if finding.severity != severity:
            continue
        label = _indicator(finding)
        counts[label] += 1
        rules.setdefault(label, set()).add(finding.rule)
    order: dict[str, float] = {r.indicator: i for i, r in enumerate(RULES)}
    links = order.get("链接不可用", 0)
    order.update({HOMEPAGE_LINKS: links, OTHER_LINKS: links + 0.5})
    return tuple(
        IndicatorCount(label, severity, counts[label], tuple(sorted(rules[label])))
        for label in sorted(counts, key=lambda x: (order.get(x, len(order)), x))
    )


def _priced(lines: tuple[IndicatorCount, ...], scoring: ScoringConfig) -> tuple[IndicatorCount, ...]:
    return tuple(
        replace(line, points=round(min(line.count * scoring.points_of(line.indicator),
                                       scoring.cap_of(line.indicator)), 2))
        for line in lines
    )


def scorecard(
    findings: Sequence[Finding], sites_and_accounts: Iterable[Any] = (),
    scoring: ScoringConfig | None = None,
) -> tuple[Scorecard, ...]:
    """One card per site/account: 不合格 on any veto or a score below the pass line."""
    scoring = scoring or ScoringConfig()
    places = [_place(item) for item in sites_and_accounts]
    grouped: dict[tuple[str, str], list[Finding]] = {place: [] for place in places}
    for finding in findings:
        place = ("account", finding.account) if finding.account else ("site", finding.site or "")
        grouped.setdefault(place, []).append(finding)
    cards = []
    for (kind, name), found in grouped.items():
        vetoes = _lines(found, Severity.VETO)
        deductions = _priced(_lines(found, Severity.DEDUCT), scoring)
        score = round(max(scoring.full_score - sum(d.points for d in deductions), 0.0), 2)
        failed = bool(vetoes) or score < scoring.pass_score
        cards.append(Scorecard(
            kind=kind, name=name, verdict="fail" if failed else "pass", vetoes=vetoes,
            deductions=deductions,
            warnings=sum(1 for f in found if f.severity == Severity.WARN),
            score=score, bonus_counts=not failed and score > scoring.bonus_from,
        ))
    return tuple(cards)
