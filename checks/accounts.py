"""New-media rules: account-stale and account-zombie."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TypedDict

from checks.age import age_days, exceeded, iso, newest
from checks.doc import doc_of
from checks.model import AccountSnapshot, Finding, Rule, Scope, Severity, Snapshot
from core.settings import Settings


class AccountEvidence(TypedDict):
    newest: str | None
    age_days: int | None
    window_days: int
    posts: int
    platform: str


def _newest(snapshot: AccountSnapshot, as_of: date) -> date | None:
    return newest((p.published.date() for p in snapshot.posts if p.published), as_of)


def account_stale(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """政务新媒体内容不更新。

    ## 检查内容 What it checks
    账号最新一篇文章的发布日期距监测时间点超过 14 天为单项否决，超过 10 天为预警。
    镜像页无法访问、格式无法识别或为空时不判断——抓不到不等于没更新，巡查结果中另有记录。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号政务新媒体单项否决指标“内容不更新”：监测时间点前 2 周内无更新，
    即判定不合格。

    ## 示例 Example
    公众号最新文章为 20 天前：单项否决。

    ## 如何整改 How to fix
    保持至少每两周发布一次内容；无力维护的账号应按程序整合或关停。
    """
    if not isinstance(snapshot, AccountSnapshot) or snapshot.status != "ok":
        return
    cfg = settings.checks
    latest = _newest(snapshot, as_of)
    age = age_days(as_of, latest)
    if exceeded(age, cfg.account_veto_days):
        severity, window = Severity.VETO, cfg.account_veto_days
    elif exceeded(age, cfg.account_warn_days):
        severity, window = Severity.WARN, cfg.account_warn_days
    else:
        return
    when = f"最新文章发布于 {latest.isoformat()}，已 {age} 天" if latest else "没有可识别日期的文章，"
    yield Finding(
        rule=ACCOUNT_STALE.id, severity=severity, url=snapshot.url,
        message=f"账号“{snapshot.name}”{when}未更新（阈值 {window} 天）",
        evidence=AccountEvidence(newest=iso(latest), age_days=age, window_days=window,
                                 posts=len(snapshot.posts), platform=snapshot.platform),
    )


def account_zombie(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """僵尸账号。

    ## 检查内容 What it checks
    账号超过 90 天没有发布任何内容。镜像页无法访问、格式无法识别或为空时不判断。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标及《关于推进政务新媒体健康有序发展的意见》（国办发〔2018〕
    123号）：长期不更新的“僵尸”账号应关停整合。

    ## 示例 Example
    微博账号最后一条发布于 120 天前：提示按程序关停或恢复运营。

    ## 如何整改 How to fix
    恢复日常运营，或按程序注销账号并在主管部门备案中更新。
    """
    if not isinstance(snapshot, AccountSnapshot) or snapshot.status != "ok":
        return
    cfg = settings.checks
    latest = _newest(snapshot, as_of)
    age = age_days(as_of, latest)
    if not exceeded(age, cfg.account_zombie_days):
        return
    when = f"已 {age} 天" if latest else "长期"
    yield Finding(
        rule=ACCOUNT_ZOMBIE.id, severity=Severity.WARN, url=snapshot.url,
        message=f"账号“{snapshot.name}”{when}未发布内容，疑似僵尸账号，应恢复运营或关停",
        evidence=AccountEvidence(newest=iso(latest), age_days=age,
                                 window_days=cfg.account_zombie_days, posts=len(snapshot.posts),
                                 platform=snapshot.platform),
    )


ACCOUNT_STALE = Rule("account-stale", Severity.VETO, "内容不更新", "新媒体内容不更新",
                     doc_of(account_stale), Scope.ACCOUNT, AccountEvidence)
ACCOUNT_ZOMBIE = Rule("account-zombie", Severity.WARN, "僵尸账号", "僵尸账号",
                      doc_of(account_zombie), Scope.ACCOUNT, AccountEvidence)
