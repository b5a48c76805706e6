"""The security rules over plain snapshots: places, evasions, the crackdown guard, scope."""

from __future__ import annotations

from datetime import datetime

import pytest

from checks.illegal import builtin_illegal, normalise
from checks.model import CertificateFact, Finding, LinkSource, LinkTarget, PageSecurity, Visit
from checks.runner import run_checks
from core.settings import Settings, SiteConfig

from .builders import AS_OF, HOME, SETTINGS, doc, site

OFF = "http://bet.example/"


def _rules(snapshot: object, settings: Settings = SETTINGS, rule: str | None = None) -> list[Finding]:
    found = run_checks(snapshot, settings, AS_OF)  # type: ignore[arg-type]
    return [f for f in found if rule is None or f.rule == rule]


@pytest.mark.parametrize("text", ["百家乐", "百 家 乐", "百-家-乐", "百*家*乐", "ＢＡＩＪＩＡＬＥ",
                                  "bai jia le", "澳门\u200b威尼斯人"])
def test_illegal_lexicon_sees_through_spacing_fullwidth_and_pinyin(text: str) -> None:
    assert builtin_illegal().scan(f"欢迎光临{text}官网"), text


@pytest.mark.parametrize("text", ["菠菜每斤3元", "一百家\n乐器店", "rubbing alcohol", "办证大厅",
                                  "养老上门服务", "体育彩票投注站", "太阳城小区"])
def test_illegal_lexicon_leaves_everyday_words_alone(text: str) -> None:
    assert builtin_illegal().scan(text) == [], text


def test_normalise_folds_width_and_case() -> None:
    assert normalise("ＡＢ c-d") == "abcd"


def test_illegal_content_severity_follows_the_place() -> None:
    page = f"{HOME}a.html"
    snap = site(documents=(doc("正文里也有时时彩。", url=page, title="时时彩平台"),
                           doc("网站提供真人视讯。", url=f"{HOME}b.html", title="页面")),
                page_security=(PageSecurity(url=page),))
    found = {(f.url, f.text): f for f in _rules(snap, rule="security-illegal-content")}
    assert found[(page, "时时彩")].severity == "veto"
    assert found[(page, "时时彩")].evidence["where"] == "title"
    assert found[(f"{HOME}b.html", "真人视讯")].severity == "warn"
    assert len([k for k in found if k[0] == page]) == 1  # one finding per page and term


def test_crackdown_report_is_never_a_veto() -> None:
    report = doc("我区公安机关破获一起利用“澳门威尼斯人”等网站开设赌场案，查获百家乐赌台。",
                 title="我区严厉打击百家乐等网络赌博犯罪")
    found = _rules(site(documents=(report,)), rule="security-illegal-content")
    assert found and all(f.severity == "warn" and f.evidence["guarded"] for f in found)


def test_hidden_spam_on_a_normal_page_is_a_veto() -> None:
    page = f"{HOME}a.html"
    snap = site(documents=(doc("区政府召开常务会议", url=page, title="首页"),),
                page_security=(PageSecurity(url=page, hidden=(("display:none", "澳门新葡京 真人视讯"),)),))
    found = _rules(snap, rule="security-illegal-content")
    assert {f.text for f in found} == {"澳门新葡京", "真人视讯"}
    assert {f.severity for f in found} == {"veto"}


def test_dark_link_scope_gov_and_other_configured_sites() -> None:
    settings = Settings(sites=(SiteConfig(name="示例区政府", url=HOME, hosts=("m.example.gov.cn",)),
                               SiteConfig(name="教育局", url="http://jyj.example.org/")))
    links = tuple((url, "链接", "", "display:none", False) for url in (
        "http://m.example.gov.cn/a.html", "http://jyj.example.org/x", "http://www.gov.cn/",
        "http://friend.example.com/", "http://www.bjl-example.com/?baijiale"))
    snap = site(page_security=(PageSecurity(url=HOME, hidden_links=links),))
    found = _rules(snap, settings, "security-dark-link")
    assert [(f.target, f.severity) for f in found] == [
        ("http://friend.example.com/", "warn"), ("http://www.bjl-example.com/?baijiale", "warn")]


def test_dark_link_veto_on_illegal_anchor_or_host() -> None:
    links = (("http://a.example/", "真人百家乐", "", "font-size", False),
             ("http://baijiale.example/", "", "", "off-screen", True))
    found = _rules(site(page_security=(PageSecurity(url=HOME, hidden_links=links),)),
                   rule="security-dark-link")
    assert [f.severity for f in found] == ["veto", "veto"]
    assert found[1].evidence["written"] is True


def test_redirect_in_scope_is_fine_off_site_for_one_visitor_is_a_veto() -> None:
    settings = Settings(sites=(SiteConfig(name="示例区政府", url=HOME, hosts=("m.example.gov.cn",)),))
    fine = site(visits=(Visit(HOME, "plain", 200),
                        Visit(HOME, "mobile", 302, hops=("http://m.example.gov.cn/",))))
    assert _rules(fine, settings, "security-redirect") == []
    bad = site(visits=(Visit(HOME, "plain", 200), Visit(HOME, "spider", 302, hops=(OFF,)),
                       Visit(HOME, "search", 200, scripts=((OFF, "referrer"),))))
    found = _rules(bad, settings, "security-redirect")
    assert [(f.evidence["visitor"], f.evidence["via"]) for f in found] == [
        ("spider", "status"), ("search", "script")]


def test_outbound_hijacked_names_what_the_link_was() -> None:
    target = LinkTarget(url=OFF, failure=None, status=200, in_scope=False,
                        sources=(LinkSource(HOME, "a", "协会"),),
                        content={"title": "娱乐城 真人视讯", "text": ""}, previous="某某协会")
    [finding] = _rules(site(targets=(target,)), rule="security-outbound-hijacked")
    assert finding.severity == "veto" and "某某协会" in finding.message
    assert finding.evidence["sources"] == [HOME]


def test_script_changed_baseline_and_allow_list() -> None:
    page = PageSecurity(url=HOME, embeds=(("script", "https://hm.baidu.com/hm.js"),
                                          ("script", "https://new.example/x.js")))
    assert _rules(site(page_security=(page,)), rule="security-script-changed") == []
    later = site(page_security=(page,), script_baseline=frozenset())
    allowing = Settings(checks={"allow_script_hosts": ("baidu.com",)})  # type: ignore[arg-type]
    found = _rules(later, allowing, "security-script-changed")
    assert [f.evidence["host"] for f in found] == ["new.example"]


@pytest.mark.parametrize(("not_after", "host_ok", "expected"), [
    (datetime(2024, 3, 19), True, [("expired", "deduct")]),
    (datetime(2024, 4, 10), True, [("expiring", "warn")]),
    (datetime(2025, 1, 1), True, []),
    (datetime(2025, 1, 1), False, [("host-mismatch", "deduct")]),
])
def test_tls_certificate(not_after: datetime, host_ok: bool, expected: list[tuple[str, str]]) -> None:
    cert = CertificateFact(url="https://www.example.gov.cn/", at=datetime(2024, 3, 20, 3),
                           host="www.example.gov.cn", not_after=not_after, host_ok=host_ok)
    found = _rules(site(certificate=cert), rule="tls-certificate")
    assert [(f.evidence["problem"], f.severity) for f in found] == expected


def test_mixed_content_only_on_https_pages() -> None:
    pages = (PageSecurity(url="https://www.example.gov.cn/", insecure=(("script", "http://x/j.js"),)),
             PageSecurity(url="http://www.example.gov.cn/b", insecure=(("img", "http://x/a.png"),)))
    found = _rules(site(page_security=pages), rule="mixed-content")
    assert [f.url for f in found] == ["https://www.example.gov.cn/"]
