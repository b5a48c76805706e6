from __future__ import annotations

from datetime import date

import pytest

from checks.lexicon import load
from checks.model import Document, Severity, SiteSnapshot
from checks.wording import (
    scan,
    wording_outdated,
    wording_sensitive,
    wording_severe,
    wording_suspect,
    wording_typo,
)

from .builders import AS_OF, SETTINGS, doc, site
from .test_identifiers import ID

LEXICON = load([])


def _site(document: Document) -> SiteSnapshot:
    return site(documents=(document,), lexicon=LEXICON)


def _found(text: str, **kwargs: object) -> list[tuple[str, str, str | None]]:
    return [(f.rule, f.text or "", f.suggestion) for f in scan([doc(text, **kwargs)], LEXICON, AS_OF)]


def test_wording_severe_is_veto_with_suggestion_and_context() -> None:
    text = "本届" + "很长的前文" * 10 + "台湾总统选举结果公布" + "很长的后文" * 10
    (finding,) = wording_severe(_site(doc(text)), SETTINGS, AS_OF)
    assert (finding.rule, finding.severity) == ("wording-severe", Severity.VETO)
    assert finding.text == "台湾总统选举" and finding.suggestion == "台湾地区领导人选举"
    ev = finding.evidence
    assert ev["match"] == "台湾总统选举" and len(ev["before"]) == 30 and len(ev["after"]) == 30
    assert ev["context"] == f"{ev['before']}【台湾总统选举】{ev['after']}"
    assert "台湾地区领导人选举" in finding.message


def test_wording_outdated_judged_against_publish_date() -> None:
    text = "国土资源部发布通知"
    assert list(wording_outdated(_site(doc(text, published=date(2018, 3, 16))), SETTINGS, AS_OF)) == []
    on_day = list(wording_outdated(_site(doc(text, published=date(2018, 3, 17))), SETTINGS, AS_OF))
    assert [(f.rule, f.suggestion) for f in on_day] == [("wording-outdated", "自然资源部")]
    assert on_day[0].evidence["since"] == "2018-03-17"
    undated = list(wording_outdated(_site(doc(text)), SETTINGS, AS_OF))
    assert len(undated) == 1


def test_wording_sensitive_and_typo_are_deduct() -> None:
    found = list(wording_sensitive(_site(doc("访问北朝鲜")), SETTINGS, AS_OF))
    assert [(f.rule, f.severity, f.suggestion) for f in found] == [
        ("wording-sensitive", Severity.DEDUCT, "朝鲜")]
    typo = list(wording_typo(_site(doc("项目已于6月峻工，再接再励")), SETTINGS, AS_OF))
    assert [(f.rule, f.text, f.suggestion) for f in typo] == [
        ("wording-typo", "峻工", "竣工"), ("wording-typo", "再接再励", "再接再厉")]


def test_wording_except_string_is_not_reported() -> None:
    assert _found("朝鲜族群众和农业部门") == []
    assert _found("鲜族") == [("wording-sensitive", "鲜族", "朝鲜族")]


@pytest.mark.parametrize("text,expected", [
    ("截止2023年底，全区共有", [("截止", "截至")]),
    ("截止12月31日", [("截止", "截至")]),
    ("截止目前已完成", [("截止", "截至")]),
    ("报名截止日期为3月1日", []),
    ("报名于今日截止。", []),
    ("截止到2023年底", []),
    ("必需遵守规定", [("必需", "必须")]),
    ("生活必需品和所必需的条件", []),
    ("生活必须品", [("必须", "必需")]),
    ("必须遵守", []),
    ("做出重要决定", [("做出", "作出")]),
    ("做出了突出贡献", [("做出", "作出")]),
    ("工厂做出新产品", []),
])
def test_wording_suspect_context_rules(text: str, expected: list[tuple[str, str]]) -> None:
    found = list(wording_suspect(_site(doc(text)), SETTINGS, AS_OF))
    assert [(f.text, f.suggestion) for f in found] == expected
    assert all(f.rule == "wording-suspect" and f.severity == Severity.WARN for f in found)


def test_wording_dedupes_per_document_and_text_with_count() -> None:
    findings = list(scan([doc("按装空调，按装热水器，按装", title="按装通知")], LEXICON, AS_OF))
    assert [(f.text, f.evidence["count"]) for f in findings] == [("按装", 4)]
    assert findings[0].evidence["where"] == "title" and "共 4 处" in findings[0].message


def test_wording_context_masks_personal_numbers() -> None:
    (finding,) = scan([doc(f"身份证{ID}按装")], LEXICON, AS_OF)
    assert ID not in str(finding.to_json()) and "440304********1233" in finding.evidence["before"]


def test_wording_bad_document_text_is_handled() -> None:
    docs = [doc(None), doc(b"\xff\xfe\xe6\x8c\x89\xe8\xa3\x85"), doc("按" * 10 + "装")]  # type: ignore[arg-type]
    assert [f.text for f in scan(docs, LEXICON, AS_OF)] == ["按装", "按装"]


def test_wording_context_masks_a_number_cut_by_the_context_edge() -> None:
    (finding,) = scan([doc(f"按装{ID}")], LEXICON, AS_OF, context_chars=12)
    assert finding.evidence["after"] == "440304******"
