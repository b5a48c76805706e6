from __future__ import annotations

import json

from checks.model import Severity
from checks.privacy import privacy_bank_card, privacy_id_number, privacy_phone, scan

from .builders import AS_OF, SETTINGS, doc, site
from .test_identifiers import CARD, ID, ID_X, PHONE


def _all_fields(finding) -> str:  # noqa: ANN001
    return json.dumps(finding.to_json(), ensure_ascii=False)


def test_privacy_id_number_veto_with_masked_text() -> None:
    found = list(privacy_id_number(site(documents=(doc(f"申请人张三，身份证号{ID_X}，住址……"),)), SETTINGS, AS_OF))
    assert [(f.rule, f.severity, f.text) for f in found] == [
        ("privacy-id-number", Severity.VETO, "110105********002X")]
    assert found[0].evidence["match"] == "110105********002X"


def test_privacy_phone_and_bank_card_deduct() -> None:
    text = f"联系人李四 {PHONE}，收款账号 {CARD}，办公电话 010-65123456"
    assert [(f.rule, f.text) for f in privacy_phone(site(documents=(doc(text),)), SETTINGS, AS_OF)] == [
        ("privacy-phone", "138****5678")]
    assert [(f.rule, f.severity) for f in privacy_bank_card(site(documents=(doc(text),)), SETTINGS, AS_OF)] == [
        ("privacy-bank-card", Severity.DEDUCT)]


def test_privacy_no_field_of_any_finding_holds_the_full_number() -> None:
    other = "620102200002294568"
    text = (f"{ID}{'甲' * 5}{other} 手机{PHONE}，卡{CARD}。" * 3
            + f"标题后再出现 {ID} 与 {PHONE}")
    findings = list(scan([doc(text, title=f"名单{ID}")], AS_OF, context_chars=60))
    assert {f.rule for f in findings} == {"privacy-id-number", "privacy-phone", "privacy-bank-card"}
    for finding in findings:
        dumped = _all_fields(finding)
        for number in (ID, other, PHONE, CARD):
            assert number not in dumped, (finding.rule, number)
    # one finding per (rule, document, number), counted
    by_text = {(f.rule, f.text): f.evidence["count"] for f in findings}
    assert by_text[("privacy-phone", "138****5678")] == 4


def test_privacy_attachment_names_linking_pages() -> None:
    attachment = doc(f"公示表 {ID}", url="http://www.example.gov.cn/f/list.xlsx", kind="attachment",
                     linked_from=("http://www.example.gov.cn/b.html", "http://www.example.gov.cn/a.html"))
    (found,) = scan([attachment], AS_OF)
    assert found.url == "http://www.example.gov.cn/f/list.xlsx"
    assert found.evidence["linked_from"] == ["http://www.example.gov.cn/a.html",
                                             "http://www.example.gov.cn/b.html"]
    assert "附件" in found.message


def test_privacy_bad_text_is_handled() -> None:
    weird = [doc(None), doc(PHONE.encode()), doc("1" * 6_000_000)]  # type: ignore[arg-type]
    found = list(scan(weird, AS_OF))
    assert [(f.rule, f.text) for f in found] == [("privacy-phone", "138****5678")]
