"""Availability rule: site-unreachable, from the homepage probes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import TypedDict

from checks.doc import doc_of
from checks.links import failure_label
from checks.model import Finding, Probe, Rule, Scope, Severity, SiteSnapshot, Snapshot
from core.settings import Settings


class HourCount(TypedDict):
    hour: int
    failed: int
    probes: int


class _ProbeCounts(TypedDict):
    probes: int
    failed: int
    ratio: float
    threshold: float
    window_days: int
    failures: dict[str, int]
    worst_hours: list[HourCount]


class UnreachableEvidence(_ProbeCounts, total=False):
    patrol_failure: str  # this patrol could not fetch the homepage: its failure class


def _in_window(probes: tuple[Probe, ...], as_of: date, days: int) -> list[Probe]:
    """Probes of the ``days`` calendar days ending with ``as_of`` (as store.snapshot selects)."""
    return [p for p in probes if 0 <= (as_of - p.at.date()).days < days]


def _worst_hours(probes: list[Probe], limit: int = 3) -> list[HourCount]:
    total = Counter(p.at.hour for p in probes)
    failed = Counter(p.at.hour for p in probes if not p.ok)
    worst = sorted(failed, key=lambda hour: (-failed[hour], hour))[:limit]
    return [HourCount(hour=h, failed=failed[h], probes=total[h]) for h in worst]


def site_unreachable(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """站点无法访问。

    ## 检查内容 What it checks
    每天多次（默认每 15 分钟、每次 15 秒超时）探测首页。监测时间点前 7 天内，探测失败次数占
    全部探测次数 5% 及以上为单项否决，3% 及以上为预警。巡查本身未能打开首页时，这次访问
    计入探测次数，且至少报预警：无法访问的网站不会被判为“未发现问题”。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号单项否决指标“站点无法访问”：监测 1 周，每天间隔一定时间访问首页
    不少于 20 次，超时 15 秒即为无法访问，累计无法访问次数占比超过（含）5% 即判定不合格。

    ## 示例 Example
    7 天共探测 672 次，失败 40 次（6.0%，多为超时，集中在凌晨 2 点）：单项否决。

    ## 如何整改 How to fix
    排查服务器、带宽、DNS 与安全防护设备（防火墙、WAF 不要拦截正常访问），做好备份和负载
    均衡；按失败类型和集中时段定位原因。
    """
    if not isinstance(snapshot, SiteSnapshot):
        return
    cfg = settings.checks
    probes = _in_window(snapshot.probes, as_of, cfg.probe_window_days)
    patrol = snapshot.homepage_failure
    if not probes and patrol is None:
        return
    failed = [p for p in probes if not p.ok]
    kinds = Counter(p.failure or "error" for p in failed)
    if patrol is not None:
        kinds[patrol] += 1
    total, lost = len(probes) + (patrol is not None), sum(kinds.values())
    ratio = lost / total
    if probes and ratio >= cfg.unreachable_veto_ratio:  # one failed visit alone is no veto
        severity, line = Severity.VETO, cfg.unreachable_veto_ratio
    elif ratio >= cfg.unreachable_warn_ratio or patrol is not None:
        severity, line = Severity.WARN, cfg.unreachable_warn_ratio
    else:
        return
    evidence = UnreachableEvidence(
        probes=total, failed=lost, ratio=round(ratio, 4), threshold=line,
        window_days=cfg.probe_window_days, failures=dict(sorted(kinds.items())),
        worst_hours=_worst_hours(probes))
    message = (f"近 {cfg.probe_window_days} 天首页探测 {total} 次，失败 {lost} 次"
               f"（{ratio:.1%}）")
    if patrol is not None:
        evidence["patrol_failure"] = patrol
        message = f"本次巡查无法打开首页（{failure_label(patrol)}）；" + message
    if ratio >= line:
        message += f"，达到 {line:.0%} 标准"
    yield Finding(rule=SITE_UNREACHABLE.id, severity=severity, url=snapshot.url,
                  message=message, evidence=evidence)


SITE_UNREACHABLE = Rule("site-unreachable", Severity.VETO, "站点无法访问", "站点无法访问",
                        doc_of(site_unreachable), Scope.SITE, UnreachableEvidence)
