"""Chinese text summaries of a crawl or a patrol for the terminal."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from checks.model import SEVERITY_LABELS, Finding, Severity
from checks.registry import title

STATUS_LABELS = {"complete": "完成", "partial": "未完成（部分结果）", "failed": "失败"}
EXAMPLES = 3
MIRROR_LABELS = {"unreachable": "无法访问", "malformed": "内容无法解析", "empty": "没有文章",
                 "wrong_account": "返回了其他账号", "mirror_stale": "镜像已停止更新"}


def _duration(result: Any) -> str:
    if result.started_at and result.finished_at:
        return f"{(result.finished_at - result.started_at).total_seconds():.0f} 秒"
    return "-"


def crawl_summary(result: Any) -> str:
    lines = [f"巡查任务 #{result.run_id}：{STATUS_LABELS.get(result.status, result.status)}"
             f"（用时 {_duration(result)}）"]
    if result.reason:
        lines.append(f"  原因：{result.reason}")
    for name, site in result.stats.get("sites", {}).items():
        v = site.get("verdicts", {})
        lines.append(
            f"  网站「{name}」：页面 {site['pages']}，附件 {site['attachments']}，"
            f"检查链接 {site['targets']}（不可用 {v.get('broken', 0)}，疑似 {v.get('suspect', 0)}，"
            f"跳过 {v.get('skipped', 0)}）")
    for name, account in result.stats.get("accounts", {}).items():
        status = account["status"]
        if status == "ok":
            lines.append(f"  账号「{name}」：镜像正常，文章 {account['posts']}")
        else:  # a mirror problem: we are blind to this account, it is not judged
            detail = f"：{account['error']}" if account.get("error") else ""
            lines.append(f"  账号「{name}」：镜像异常（{MIRROR_LABELS.get(status, status)}），"
                         f"本次无法判断该账号是否更新{detail}")
    return "\n".join(lines)


def _place(f: Finding) -> str:
    return f.site or f.account or ""


def _example(f: Finding) -> str:
    detail = f.target or f.column or f.text or ""
    return f"{f.message}  {f.url}" + (f"  [{detail}]" if detail and detail not in f.message else "")


def findings_by_rule(findings: Sequence[Finding]) -> str:
    grouped: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        grouped[(_place(f), f.rule)].append(f)
    order = {Severity.VETO: 0, Severity.DEDUCT: 1, Severity.WARN: 2}
    lines: list[str] = []
    for (place, rule), group in sorted(
        grouped.items(), key=lambda kv: (kv[0][0], order[kv[1][0].severity], kv[0][1])
    ):
        sev = SEVERITY_LABELS[group[0].severity]
        lines.append(f"  [{sev}] {place} · {title(rule)}（{rule}）：{len(group)} 处")
        for f in group[:EXAMPLES]:
            lines.append(f"      - {_example(f)}")
        if len(group) > EXAMPLES:
            lines.append(f"      … 另有 {len(group) - EXAMPLES} 处")
    return "\n".join(lines)


def unreachable_sites(result: Any) -> list[str]:
    """Sites whose homepage this run could not fetch: no verdict can be given on them."""
    return [name for name, site in result.stats.get("sites", {}).items()
            if not site.get("homepage", True)]


def patrol_summary(result: Any, scorecards: str) -> str:
    parts = [crawl_summary(result), "", "【评分卡】", scorecards, "", "【问题清单】"]
    parts.append(findings_by_rule(result.findings) or "  未发现问题")
    if result.activity:
        from reports.activity import activity_table_text

        parts += ["", "【政务新媒体活跃度】", activity_table_text(list(result.activity))]
    return "\n".join(parts)


def scorecards_text(findings: Sequence[Finding], settings: Any,
                    unreachable: Sequence[str] = ()) -> str:
    """Per site and account, in the shape of the 2019 indicators."""
    from checks.scorecard import scorecard

    places = list(settings.sites) + list(settings.accounts)
    lines: list[str] = []
    for card in scorecard(findings, places, settings.scoring):
        verdict = f"{card.verdict_label}（得分 {card.score_label}）"
        if card.kind == "site" and unreachable and card.name in unreachable:
            verdict = "无法评定（本次未能访问首页）"
        lines.append(f"  {card.kind_label}「{card.name}」：{verdict}")
        for line in card.vetoes:
            lines.append(f"      单项否决 · {line.indicator}：{line.count} 处")
        for line in card.deductions:
            lines.append(f"      扣分 · {line.indicator}：{line.count} 处，扣 {line.points:g} 分")
        if card.warnings:
            lines.append(f"      提示/疑似：{card.warnings} 处（需人工确认）")
    return "\n".join(lines) or "  （无）"
