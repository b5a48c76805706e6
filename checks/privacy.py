"""Privacy rules: resident ID, mobile phone and bank-card numbers published in documents."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import date

from checks.age import iso
from checks.doc import doc_of
from checks.identifiers import Detection, detect, mask_text
from checks.model import Document, Finding, Rule, Scope, Severity, Snapshot
from checks.text import TextHit, around, one_line, scannable
from core.settings import Settings

_RULE_OF = {"id": "privacy-id-number", "phone": "privacy-phone", "card": "privacy-bank-card"}
_NAMES = {"id": "居民身份证号", "phone": "手机号码", "card": "银行卡号"}
_SEVERITY = {"id": Severity.VETO, "phone": Severity.DEDUCT, "card": Severity.DEDUCT}


class PrivacyEvidence(TextHit, total=False):
    linked_from: list[str]  # an attachment's pages


def _evidence(doc: Document, found: Detection, masked: str, where: str, width: int) -> PrivacyEvidence:
    shown = around(masked, found.start, found.end, width)
    evidence = PrivacyEvidence(
        context=shown["context"], before=shown["before"], match=shown["match"],
        after=shown["after"], count=1, where=where, kind=doc.kind, published=iso(doc.published),
        page_title=one_line(doc.title, 120))
    if doc.linked_from:
        evidence["linked_from"] = sorted(doc.linked_from)
    return evidence


def scan(
    documents: Iterable[Document], as_of: date, *,
    kinds: Collection[str] = ("id", "phone", "card"), context_chars: int = 30,
) -> Iterator[Finding]:
    """One finding per (rule, document url, number), masked everywhere, with a count."""
    for doc in documents:
        found: dict[tuple[str, str], tuple[Detection, PrivacyEvidence]] = {}
        for where, value in (("title", doc.title), ("text", doc.text)):
            text = scannable(value)
            detections = [d for d in detect(text, as_of) if d.kind in kinds]
            masked = mask_text(text, as_of) if detections else text
            for item in detections:
                key = (item.kind, item.number)
                if key in found:
                    found[key][1]["count"] += 1
                else:
                    found[key] = (item, _evidence(doc, item, masked, where, context_chars))
        for (kind, _), (item, evidence) in found.items():
            where = "附件" if doc.kind == "attachment" else ("文章" if doc.kind == "post" else "页面")
            times = f"（共 {evidence['count']} 处）" if evidence["count"] > 1 else ""
            yield Finding(
                rule=_RULE_OF[kind], severity=_SEVERITY[kind], url=doc.url, text=item.masked,
                message=f"{where}公开了{_NAMES[kind]} {item.masked}{times}", evidence=evidence,
            )


def privacy_id_number(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """泄露居民身份证号。

    ## 检查内容 What it checks
    页面、附件（PDF、Word、Excel）和新媒体文章中的 18 位居民身份证号：前两位为有效省级
    行政区划代码，出生日期真实且不晚于监测时间点，校验码符合 GB 11643；不在更长的数字串中。
    校验不通过的 18 位数字不报。证据中号码只保留前 6 位和后 4 位。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号单项否决指标“安全、泄密事故等”：泄露公民身份证号等个人隐私即判定
    不合格；《个人信息保护法》也要求公开信息前去标识化。

    ## 示例 Example
    公示名单附件中有“110105********1234”：单项否决。

    ## 如何整改 How to fix
    立即撤下或替换为脱敏版本（保留前 6 后 4 位或全部隐去），并清理搜索引擎快照和附件旧地址；
    建立公开前的隐私审查。
    """
    return check(snapshot, settings, as_of, kinds=("id",))


def privacy_phone(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """泄露手机号码。

    ## 检查内容 What it checks
    个人手机号码（1 开头、第二位 3–9 的 11 位数字，不在更长的数字串中）。固定电话不报。
    证据中号码只保留前 3 位和后 4 位。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标“安全、泄密”要求不得泄露个人隐私；公示名单中的个人手机号
    属于应去标识化的个人信息。

    ## 示例 Example
    “联系人：张某，电话 138****5678”：扣分。若为单位公开的办事电话，可标记为误报。

    ## 如何整改 How to fix
    删除或脱敏个人手机号；对外联系优先公布单位固定电话或服务热线。
    """
    return check(snapshot, settings, as_of, kinds=("phone",))


def privacy_bank_card(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """泄露银行卡号。

    ## 检查内容 What it checks
    16–19 位、通过 Luhn 校验、以银行卡发卡机构号段开头（62 银联、4 Visa、51–55 与
    2221–2720 万事达、35 JCB、60/65、9558、95599 等）的数字，不在更长的数字串中、
    不是身份证号。证据中只保留前 6 位和后 4 位。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标“安全、泄密”：补贴发放名单等公示材料中的银行卡号属个人
    隐私，泄露可能造成财产损失。

    ## 示例 Example
    惠农补贴公示表中的“622202******1234”：扣分。

    ## 如何整改 How to fix
    从公示材料中删除银行卡号列或全部脱敏后重新发布，撤下原附件。
    """
    return check(snapshot, settings, as_of, kinds=("card",))


def check(
    snapshot: Snapshot, settings: Settings, as_of: date, *,
    kinds: Collection[str] = ("id", "phone", "card"),
) -> Iterator[Finding]:
    """Every privacy rule in one pass over the snapshot's documents."""
    return scan(snapshot.documents_to_scan, as_of, kinds=kinds,
                context_chars=settings.checks.context_chars)

PRIVACY_ID_NUMBER = Rule("privacy-id-number", Severity.VETO, "安全、泄密事故",
                         "泄露居民身份证号", doc_of(privacy_id_number), Scope.DOCUMENT, PrivacyEvidence)
PRIVACY_PHONE = Rule("privacy-phone", Severity.DEDUCT, "个人隐私保护", "泄露手机号码",
                     doc_of(privacy_phone), Scope.DOCUMENT, PrivacyEvidence)
PRIVACY_BANK_CARD = Rule("privacy-bank-card", Severity.DEDUCT, "个人隐私保护", "泄露银行卡号",
                         doc_of(privacy_bank_card), Scope.DOCUMENT, PrivacyEvidence)
