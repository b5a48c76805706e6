"""Identity rule: site-identity, the four marks a government site's footer must carry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TypedDict
from urllib.parse import urlsplit

from checks.doc import doc_of
from checks.model import Finding, Rule, Scope, Severity, SiteSnapshot, Snapshot
from core.settings import Settings

# (label, pattern over the footer text). Spaces inside the marks are common ("京ICP 备").
MARKS = (
    ("网站标识码", re.compile(r"网\s*站\s*标\s*识\s*码")),
    ("ICP备案号", re.compile(r"ICP\s*[备证]", re.IGNORECASE)),
    ("公安机关备案号", re.compile(r"公\s*网\s*安\s*备|公安机关备案|公安备案")),
    ("党政机关网站标识", re.compile(r"党政机关|政府网站标识|conac\.cn", re.IGNORECASE)),
)
# The 党政机关网站标识 badge is usually an image linking to the registry at conac.cn.
_BADGE_HOSTS = ("conac.cn",)


class IdentityEvidence(TypedDict):
    missing: list[str]
    present: list[str]
    footer: str
    footer_chars: int


def _badge_linked(snapshot: SiteSnapshot) -> bool:
    home = snapshot.url.rstrip("/")
    for target in snapshot.targets:
        host = (urlsplit(target.url).hostname or "").lower()
        if not any(host == h or host.endswith("." + h) for h in _BADGE_HOSTS):
            continue
        if any(s.page.rstrip("/") == home for s in target.sources):
            return True
    return False


def site_identity(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """网站标识。

    ## 检查内容 What it checks
    首页底部（页脚）是否载明四项标识：网站标识码、ICP 备案号、公安机关备案号、党政机关网站
    标识（文字或指向 conac.cn 的标识图片链接）。缺少任一项报一条问题，列出缺少的项目。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标“网站标识”，以及《政府网站发展指引》（国办发〔2017〕47号）：
    网站页面底部功能区应列明党政机关网站标识、网站标识码、ICP 备案编号、公安机关备案标识。

    ## 示例 Example
    页脚只有“主办单位：××区人民政府 京ICP备12345678号”：缺少网站标识码、公安机关备案号、
    党政机关网站标识，扣分。

    ## 如何整改 How to fix
    在全站页脚补齐四项标识：网站标识码（形如 1101050001）、ICP 备案号、公安机关备案号（附
    链接）、党政机关网站标识图片（链接到 conac.cn 的核验地址）。
    """
    if not isinstance(snapshot, SiteSnapshot) or not snapshot.homepage_fetched:
        return
    footer = snapshot.footer_text or ""
    present = [label for label, pattern in MARKS if pattern.search(footer)]
    if "党政机关网站标识" not in present and _badge_linked(snapshot):
        present.append("党政机关网站标识")
    missing = [label for label, _ in MARKS if label not in present]
    if not missing:
        return
    yield Finding(
        rule=SITE_IDENTITY.id, severity=Severity.DEDUCT, url=snapshot.url,
        message="首页页脚缺少：" + "、".join(missing),
        evidence=IdentityEvidence(
            missing=missing, present=[label for label, _ in MARKS if label in present],
            footer=footer[:300], footer_chars=len(footer)),
    )


SITE_IDENTITY = Rule("site-identity", Severity.DEDUCT, "网站标识", "网站标识缺失",
                     doc_of(site_identity), Scope.SITE, IdentityEvidence)
