"""The pre-publication engine: every document rule over a draft, hits placed by line and column."""

from __future__ import annotations

from datetime import date

from checks.model import Scope
from checks.pretext import check_text, document_checks, line_column, spans
from checks.registry import REGISTRY, rule_scope
from core.settings import Settings

AS_OF = date(2026, 12, 1)
SETTINGS = Settings()


def _where(text: str, rule: str) -> list[tuple[int, int]]:
    return [(f.line, f.column) for f in check_text(text, SETTINGS, AS_OF) if f.rule == rule]


def test_line_and_column_are_one_based_characters_of_the_line() -> None:
    text = "第一行\n近日中华人民共合国发布通知\n"
    found = check_text(text, SETTINGS, AS_OF)
    hit = next(f for f in found if f.rule == "wording-severe")
    assert (hit.line, hit.column) == (2, 3)
    assert text.splitlines()[hit.line - 1][hit.column - 1:].startswith("中华人民共合国")
    assert hit.suggestion == "中华人民共和国" and "【中华人民共合国】" in hit.context
    assert line_column("ab\ncd", 0) == (1, 1) and line_column("ab\ncd", 4) == (2, 2)


def test_crlf_and_cr_count_as_one_line_break() -> None:
    assert _where("甲\r\n乙\r丙按装", "wording-typo") == [(3, 2)]


def test_a_repeated_term_is_one_finding_placed_at_its_first_hit_with_a_count() -> None:
    found = [f for f in check_text("按装好了。\n再次按装。", SETTINGS, AS_OF)
             if f.rule == "wording-typo"]
    assert len(found) == 1 and (found[0].line, found[0].column) == (1, 1)
    assert found[0].count == 2
    # every occurrence is highlighted
    marks = spans("按装好了。\n再次按装。", found, AS_OF)
    assert [(m[0], m[1]) for m in marks] == [(0, 2), (8, 10)]


def test_privacy_hits_are_masked_and_placed_at_the_number() -> None:
    text = "公示名单\n联系人：张某 电话13812345678，身份证号11010519491231002X。"
    found = check_text(text, SETTINGS, AS_OF)
    phone = next(f for f in found if f.rule == "privacy-phone")
    ident = next(f for f in found if f.rule == "privacy-id-number")
    assert (phone.line, phone.column) == (2, 10)
    assert (ident.line, ident.column) == (2, text.splitlines()[1].index("1101") + 1) == (2, 26)
    assert phone.text == "138****5678"
    assert all("13812345678" not in str(f.to_json("x")) for f in found)
    assert all("11010519491231002X" not in str(f.to_json("x")) for f in found)


def test_the_hit_described_by_the_context_wins_over_an_earlier_equal_text() -> None:
    # 截止 is reported only where a time follows; the first 截止 is a correct use.
    text = "报名截止。\n截止2023年底，全区共有"
    assert _where(text, "wording-suspect") == [(2, 1)]


def test_only_document_rules_run_and_none_of_the_site_rules() -> None:
    ids = {rule_id for _, rule_ids in document_checks() for rule_id in rule_ids}
    assert {"wording-severe", "wording-typo", "privacy-phone", "privacy-id-number"} <= ids
    assert all(rule_scope(rule_id) is Scope.DOCUMENT for rule_id in ids)
    documents = {r.rule.id for r in REGISTRY if r.rule.scope is Scope.DOCUMENT
                 and r.rule.id.split("-")[0] in ("wording", "privacy", "security")}
    assert ids == documents
    # content obligations judge a site's publishing, not a draft
    assert not any(r.startswith(("interpretation-", "annual-report-")) for r in ids)
    policy = "关于印发《示范区促进就业若干政策措施》的通知\n示政发〔2026〕12号\n各街道：现将政策印发给你们。"
    assert check_text(policy, SETTINGS, AS_OF) == []
    # an empty draft: no site-unreachable, no homepage-stale, nothing
    assert check_text("", SETTINGS, AS_OF) == []
    assert check_text("本站今日正常发布通知。", SETTINGS, AS_OF) == []


def test_json_object_follows_the_contract() -> None:
    found = check_text("台湾总统", SETTINGS, AS_OF)
    assert found[0].to_json("draft.txt") == {
        "rule": "wording-severe", "severity": "veto", "file": "draft.txt", "text": "台湾总统",
        "suggestion": "台湾地区领导人", "message": found[0].message, "line": 1, "column": 1,
        "context": found[0].context,
    }
    assert "file" not in found[0].to_json()


def test_outdated_terms_count_as_published_on_as_of() -> None:
    assert _where("国家工商行政管理总局", "wording-outdated") == [(1, 1)]
    assert check_text("国家工商行政管理总局", SETTINGS, date(2017, 1, 1)) == []
