from __future__ import annotations

from checks.model import Finding, Severity
from checks.scorecard import HOMEPAGE_LINKS, OTHER_LINKS, scorecard

from .builders import account, site


def _f(rule: str, severity: Severity, *, on_home: bool = False, **place: str) -> Finding:
    return Finding(rule=rule, severity=severity, url="http://x/", message="m",
                   evidence={"on_homepage": on_home}, **place)


def test_scorecard_veto_fails_else_counts_deductions_per_indicator() -> None:
    findings = [
        _f("link-broken", Severity.DEDUCT, on_home=True, site="甲"),
        _f("link-broken", Severity.DEDUCT, site="甲"),
        _f("link-broken", Severity.DEDUCT, site="甲"),
        _f("column-stale", Severity.DEDUCT, site="甲"),
        _f("link-suspect", Severity.WARN, site="甲"),
        _f("homepage-stale", Severity.VETO, site="乙"),
        _f("account-stale", Severity.VETO, account="号"),
    ]
    cards = {c.name: c for c in scorecard(findings, [site(name="甲"), site(name="丙"), account()])}
    a = cards["甲"]
    assert (a.verdict, a.verdict_label, a.kind_label) == ("pass", "合格", "网站")
    assert [(d.indicator, d.count) for d in a.deductions] == [
        ("栏目不更新", 1), (HOMEPAGE_LINKS, 1), (OTHER_LINKS, 2)]
    assert a.warnings == 1 and a.deduction_total == 4
    assert cards["丙"].verdict == "pass" and cards["丙"].deductions == ()
    assert cards["乙"].verdict_label == "不合格" and cards["乙"].vetoes[0].indicator == "首页不更新"
    assert cards["号"].kind == "account" and cards["号"].verdict == "fail"
    assert cards["示例发布"].verdict == "pass"


def test_scorecard_accepts_configs_and_pairs() -> None:
    from core.settings import AccountConfig, SiteConfig

    places = [SiteConfig(name="甲", url="http://a.example/"),
              AccountConfig(name="号", url="http://m.example/"), ("site", "乙")]
    cards = scorecard([_f("privacy-id-number", Severity.VETO, site="乙")], places)
    assert [(c.kind, c.name, c.verdict) for c in cards] == [
        ("site", "甲", "pass"), ("account", "号", "pass"), ("site", "乙", "fail")]
    assert cards[2].vetoes[0].indicator == "安全、泄密事故" and cards[2].vetoes[0].rules == (
        "privacy-id-number",)
