"""Interaction rule: interaction-overdue, from the letters (留言/来信) a site lists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TypedDict

from checks.age import iso
from checks.doc import doc_of
from checks.model import Finding, Rule, Scope, Severity, SiteSnapshot, Snapshot
from checks.text import one_line
from core.settings import Settings


class OverdueEvidence(TypedDict):
    asked: str | None
    replied: str | None
    days: int
    limit_days: int
    status: str


def interaction_overdue(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """互动回应差。

    ## 检查内容 What it checks
    监测时间点前 365 天内提出的留言、来信，答复日期（尚未答复的按监测时间点计）与提出日期
    相差超过 90 天。每条超期留言一条问题。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号单项否决指标“互动回应差”：设有互动栏目但长期未回应（超过 3 个月）
    网民留言，即判定不合格。

    ## 示例 Example
    2024-01-05 的来信直到 2024-05-10 才答复（126 天）：单项否决。

    ## 如何整改 How to fix
    建立留言办理、答复时限制度，3 个月内答复全部留言；不具备办理能力的互动栏目应关闭。
    """
    if not isinstance(snapshot, SiteSnapshot):
        return
    cfg = settings.checks
    for letter in snapshot.letters:
        if letter.asked is None or not 0 <= (as_of - letter.asked).days <= cfg.letters_window_days:
            continue
        answered = letter.replied is not None and letter.replied <= as_of
        end = letter.replied if answered and letter.replied else as_of
        waited = (end - letter.asked).days
        if waited <= cfg.letters_reply_days:
            continue
        state = f"{end.isoformat()} 才答复" if answered else "至今未答复"
        yield Finding(
            rule=INTERACTION_OVERDUE.id, severity=Severity.VETO, url=letter.url,
            message=f"留言“{one_line(letter.title)}”提出于 {letter.asked.isoformat()}，{state}，"
                    f"历时 {waited} 天（超过 {cfg.letters_reply_days} 天）",
            evidence=OverdueEvidence(
                asked=iso(letter.asked), replied=iso(letter.replied) if answered else None,
                days=waited, limit_days=cfg.letters_reply_days, status=letter.status),
        )


INTERACTION_OVERDUE = Rule("interaction-overdue", Severity.VETO, "互动回应差", "互动回应差",
                           doc_of(interaction_overdue), Scope.MESSAGE, OverdueEvidence)
