"""Link rules: link-broken and link-suspect, judged from what the crawler saw of each target."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TypedDict

from checks.doc import doc_of
from checks.model import Finding, LinkTarget, Rule, Scope, Severity, Snapshot
from checks.text import one_line
from core.settings import Settings

FAILURE_LABELS = {
    "404": "页面不存在（404）", "410": "页面已删除（410）", "soft404": "内容为错误页（软 404）",
    "dns": "域名无法解析", "refused": "连接被拒绝", "403": "禁止访问（403）",
    "timeout": "访问超时", "5xx": "服务器错误（5xx）", "429": "请求过多（429）",
    "tls": "证书或加密连接错误",
    # failure classes of crawler/refusals.py (issue 13)
    "redirect-loop": "循环跳转（跳转回到已访问的地址）", "too-many-redirects": "跳转次数过多（超过 20 次）",
    "refresh-loop": "页面自动刷新循环", "bomb": "压缩内容异常（解压后超过大小上限）",
}


class SourceEvidence(TypedDict):
    page: str
    tag: str
    anchor: str


class _LinkFacts(TypedDict):
    status: int | None
    failure: str | None
    attempts: int
    in_scope: bool
    source_count: int
    on_homepage: bool
    in_template: bool  # cited from (nearly) every page: the site's header/footer template
    sources: list[SourceEvidence]


class LinkEvidence(_LinkFacts, total=False):
    """``sources`` lists every page citing the target: re-fetching any of them re-checks it."""

    redirects: list[str]


# A link cited from this share of a site's pages (and from TEMPLATE_MIN_PAGES at least)
# sits in the template every page shares: one fix in the header or footer repairs them all.
TEMPLATE_SHARE = 0.8
TEMPLATE_MIN_PAGES = 3


def in_template(citing_pages: int, site_pages: int) -> bool:
    """Whether a link cited from ``citing_pages`` of ``site_pages`` pages is a template link."""
    return citing_pages >= TEMPLATE_MIN_PAGES and citing_pages >= TEMPLATE_SHARE * site_pages


def _site_pages(snapshot: Snapshot) -> int:
    return sum(1 for doc in snapshot.documents_to_scan if doc.kind == "page")


def _same_page(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


# What RULES.md counts as confirmed broken anywhere, and what is only ever suspect: the rest
# of the 4xx, 5xx, 429, timeouts, TLS errors and decompression bombs.
_BROKEN = frozenset({"404", "410", "400", "soft404", "dns", "refused"})
# Broken inside the site, suspect outside it: another site's 403 or an endless redirect may
# be a bot wall (a cookie or script check); every browser gives up on our own loops too.
_BROKEN_IN_SCOPE = frozenset({"403", "redirect-loop", "too-many-redirects", "refresh-loop"})
# Not checked at all: a robots.txt ban, a crawler trap, a request we chose not to send.
SKIPPED = frozenset({"robots", "trap", "ignored"})
_OK = frozenset({"too-large"})  # answered, but too big to read: the link itself works


def verdict(failure: str | None, in_scope: bool) -> str:
    """ok | broken | suspect | skipped, for a target's failure class (None: fetched fine)."""
    if failure is None or failure in _OK:
        return "ok"
    if failure in SKIPPED:
        return "skipped"
    if failure in _BROKEN or (in_scope and failure in _BROKEN_IN_SCOPE):
        return "broken"
    return "suspect"


def failure_label(failure: str | None) -> str:
    """A failure class in office Chinese (the class itself when it has no label)."""
    return FAILURE_LABELS.get(failure or "", failure or "访问失败")


def _label(target: LinkTarget) -> str:
    label = failure_label(target.failure)
    if target.status and str(target.status) not in label:
        label += f"，HTTP {target.status}"
    return label


def _finding(target: LinkTarget, rule: Rule, home: str, site_pages: int) -> Finding:
    sources = sorted(target.sources, key=lambda s: (s.page, s.tag, s.anchor))
    pages = sorted({s.page for s in sources})
    template = in_template(len(pages), site_pages)
    evidence = LinkEvidence(
        status=target.status, failure=target.failure, attempts=target.attempts,
        in_scope=target.in_scope, source_count=len(pages),
        on_homepage=any(_same_page(page, home) for page in pages), in_template=template,
        sources=[SourceEvidence(page=s.page, tag=s.tag, anchor=s.anchor) for s in sources],
    )
    if target.redirects:
        evidence["redirects"] = list(target.redirects)
    anchor = next((s.anchor for s in sources if s.anchor), "")
    named = f"“{one_line(anchor, 30)}”" if anchor.strip() else ""
    kind = "不可用" if rule is LINK_BROKEN else "疑似不可用"
    if template:
        where = f"，位于网站模板（页头/页脚），共 {len(pages)} 个页面"
    else:
        where = f"，共 {len(pages)} 个页面引用" if len(pages) > 1 else ""
    return Finding(
        rule=rule.id, severity=rule.severity, url=pages[0] if pages else home,
        target=target.url, evidence=evidence,
        message=f"链接{named}{kind}：{_label(target)}{where}",
    )


def link_broken(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """链接不可用。

    ## 检查内容 What it checks
    页面中的链接（超链接、图片、脚本、样式表、框架、附件等）经多次重试后确认不可用：404、410、
    内容是错误页的“软 404”、域名无法解析、连接被拒绝、站内 403、站内循环跳转或跳转次数过多
    （浏览器同样无法打开）。每个失效地址报一条，证据中列出引用它的全部页面；首页上的失效链接
    在评分表中单独计数。几乎每个页面（八成以上、至少 3 个）都引用的失效链接位于网站模板
    （页头/页脚），报一条并注明页面数，在模板中修改一次即可。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标“链接不可用”（可用性）：首页链接不可用每个扣分，其他页面
    链接不可用累计扣分。

    ## 示例 Example
    “办事指南”链接指向 http://www.example.gov.cn/bszn/old.html，返回 404：扣分。

    ## 如何整改 How to fix
    修正或删除失效链接；网站改版、栏目调整时为旧地址设置跳转，附件不要随意移动。
    """
    site_pages = _site_pages(snapshot)
    for target in snapshot.targets:
        if verdict(target.failure, target.in_scope) == "broken":
            yield _finding(target, LINK_BROKEN, snapshot.url, site_pages)


def link_suspect(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """疑似不可用链接。

    ## 检查内容 What it checks
    重试后仍超时、服务器 5xx 错误、429 限流（含对方要求暂停访问的时间过长而未再访问的链接）、
    证书错误、站外 403 或站外循环跳转（可能是防爬拦截）、解压后超过大小上限的压缩内容。
    这类问题可能是临时故障，只作提示，需人工确认；下次巡查会再次检测。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标“链接不可用”：检查人员访问时若同样失败即扣分，应提前排查。

    ## 示例 Example
    “政务服务”链接访问超时 3 次：疑似不可用。

    ## 如何整改 How to fix
    人工打开链接确认；若确实不可用，修正或删除；若是对方网站限流或拦截，联系对方或改用可用地址。
    """
    site_pages = _site_pages(snapshot)
    for target in snapshot.targets:
        if verdict(target.failure, target.in_scope) == "suspect":
            yield _finding(target, LINK_SUSPECT, snapshot.url, site_pages)


LINK_BROKEN = Rule("link-broken", Severity.DEDUCT, "链接不可用", "链接不可用",
                   doc_of(link_broken), Scope.LINK, LinkEvidence)
LINK_SUSPECT = Rule("link-suspect", Severity.WARN, "链接不可用", "疑似不可用链接",
                    doc_of(link_suspect), Scope.LINK, LinkEvidence)
