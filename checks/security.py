"""Security rules on page content (W-V1): illegal content, dark links, hijacked outbound links.

The ``illegal`` lexicon (``checks.illegal``) is the vocabulary they share; the crawler's
page facts (``PageSecurity``: hidden text and links, meta text, other hosts' anchors) and
outbound pages' content (``LinkTarget.content``) are what they read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any, TypedDict

from checks.doc import doc_of
from checks.illegal import KINDS, Hit, IllegalLexicon, illegal_lexicon
from checks.model import Finding, LinkTarget, Rule, Scope, Severity, SiteSnapshot, Snapshot
from checks.scope import gov_host, hostname, in_any_site, site_scope
from checks.text import around, one_line
from core.settings import Settings

# every security rule: their items are shown first, apart, and their vetoes are incidents
SECURITY_RULE_IDS = frozenset({
    "security-illegal-content", "security-dark-link", "security-redirect",
    "security-outbound-hijacked", "security-script-changed", "tls-certificate", "mixed-content",
})
_WHERE = {"title": "标题", "meta": "关键词/描述", "hidden": "隐藏元素", "anchor": "链接文字",
          "body": "正文"}
_VETO_PLACES = ("title", "meta", "hidden", "anchor")


class IllegalContentEvidence(TypedDict):
    where: str  # title | meta | hidden | anchor | body
    kind: str  # gambling | porn | fraud | drugs | certificates | surrogacy
    context: str
    guarded: bool  # crackdown / warning vocabulary nearby: a person decides
    lexicon: str


class DarkLinkEvidence(TypedDict):
    anchor: str
    title: str
    how: str  # display:none | visibility:hidden | font-size | off-screen | marquee | …
    written: bool  # written by document.write
    illegal: str  # the matching term, "" when none


class HijackEvidence(TypedDict):
    kind: str  # illegal | parked
    match: str  # the term or parking phrase found
    title: str  # the target page's title now
    previous: str  # what it showed when last fine ("" unknown)
    sources: list[str]


def _places(page: Any, doc_title: str, doc_text: str) -> Iterator[tuple[str, str]]:
    yield "title", doc_title
    if page is not None:
        yield "meta", page.meta
        for _how, text in page.hidden:
            yield "hidden", text
        for _url, anchor, title, _how, _written in page.hidden_links:
            yield "anchor", f"{anchor} {title}"
        for _url, anchor, title in page.anchors:
            yield "anchor", f"{anchor} {title}"
    yield "body", doc_text


def _first_hits(lexicon: IllegalLexicon, title: str, places: Iterator[tuple[str, str]],
                ) -> dict[str, tuple[str, Hit, str]]:
    """term -> (where, hit, text) of its most telling place; an unguarded hit beats a guarded."""
    found: dict[str, tuple[str, Hit, str]] = {}
    for where, text in places:
        for hit in lexicon.scan(text, title if where in ("title", "body") else ""):
            known = found.get(hit.term.term)
            if known is None or (known[1].guarded and not hit.guarded):
                found[hit.term.term] = (where, hit, text)
    return found


def security_illegal_content(snapshot: Snapshot, settings: Settings,
                             as_of: date) -> Iterator[Finding]:
    """页面含涉赌、涉黄、涉诈等违法内容。

    ## 检查内容 What it checks
    页面标题、关键词和描述（meta）、隐藏元素中的文字、链接文字、正文中出现的违法类词语：
    博彩（百家乐、娱乐城、真人视讯、时时彩等）、色情、诈骗、毒品、办假证假发票、代孕等，
    含全角、空格、符号间隔（如“百-家-乐”）和拼音写法。出现在标题、meta、隐藏元素或链接
    文字中为单项否决；只出现在可见正文中，或附近有“打击”“破获”“警惕”等用语（如打击整治
    的新闻报道），为提示，由人工判断。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号单项否决指标“安全、泄密事故”：发布或链接反动、暴力、色情等内容，
    页面被挂马、内容被篡改，即判定不合格。这类词语通常是网站被入侵后植入的“黑帽 SEO”内容。

    ## 示例 Example
    首页 meta 关键词为“澳门威尼斯人,百家乐,真人视讯”，页面上看不到：网站已被篡改，单项否决。

    ## 如何整改 How to fix
    立即下线被篡改页面，清除植入内容，排查后台账号、上传目录和服务器后门，修补漏洞后
    再恢复；向网信、公安部门报告。确为打击整治报道的，标记为误报。
    """
    lexicon = illegal_lexicon(snapshot.lexicon)
    pages = ({p.url: p for p in snapshot.page_security}
             if isinstance(snapshot, SiteSnapshot) else {})
    width = settings.checks.context_chars
    for doc in snapshot.documents_to_scan:
        page = pages.get(doc.url)
        found = _first_hits(lexicon, doc.title, _places(page, doc.title, doc.text))
        for term, (where, hit, text) in found.items():
            veto = where in _VETO_PLACES and not hit.guarded
            shown = around(text, hit.start, hit.end, width)
            label = KINDS.get(hit.term.kind, hit.term.kind)
            guard = "，附近有打击整治用语，请人工判断" if hit.guarded else ""
            yield Finding(
                rule=SECURITY_ILLEGAL_CONTENT.id, url=doc.url, text=term,
                severity=Severity.VETO if veto else Severity.WARN,
                message=f"{_WHERE[where]}出现{label}类违法词语“{term}”{guard}",
                evidence=IllegalContentEvidence(
                    where=where, kind=hit.term.kind, context=shown["context"],
                    guarded=hit.guarded, lexicon=hit.term.origin),
            )


def security_dark_link(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """暗链：访问者看不到的外部链接。

    ## 检查内容 What it checks
    页面中被隐藏的链接（行内样式或页面自身 <style> 规则：display:none、visibility:hidden、
    字号或高度不超过 1px 且溢出隐藏、定位到屏幕外 999px 以上、高度 1px 的 <marquee>，
    以及 document.write 写入这类元素的链接），且指向所有已配置网站之外。链接文字、标题或
    目标域名含违法类词语为单项否决，否则为提示。指向 .gov.cn 的隐藏链接（折叠的友情链接
    菜单）不报。

    ## 为何重要 Why it matters
    暗链是网站被入侵的典型迹象：搜索引擎能抓到、访问者看不到，用来给博彩、色情网站导流。
    属于“页面被挂马、内容被篡改”，国办秘函〔2019〕19号单项否决。

    ## 示例 Example
    首页底部 <div style="display:none"> 中有 20 个指向博彩网站的链接：单项否决。

    ## 如何整改 How to fix
    删除暗链代码（含模板、公共页脚和 JS 文件中的写入语句），查清植入途径并修补漏洞，
    修改后台口令；确属本单位有意隐藏的正常链接，改为可见或删除。
    """
    if not isinstance(snapshot, SiteSnapshot):
        return
    lexicon = illegal_lexicon(snapshot.lexicon)
    for page in snapshot.page_security:
        seen: set[str] = set()
        for url, anchor, title, how, written in page.hidden_links:
            if url in seen or gov_host(url) or in_any_site(settings, url, snapshot.name,
                                                            snapshot.url):
                continue
            seen.add(url)
            labels = hostname(url).replace(".", "\n")  # each label a word of its own
            hits = lexicon.scan(f"{anchor} {title}") or lexicon.scan(labels)
            term = hits[0].term.term if hits else ""
            where = "（document.write 写入）" if written else ""
            yield Finding(
                rule=SECURITY_DARK_LINK.id, url=page.url, target=url,
                severity=Severity.VETO if term else Severity.WARN,
                message=(f"隐藏的外部链接{where}“{one_line(anchor) or url}”"
                         + (f"，含违法类词语“{term}”" if term else "")),
                evidence=DarkLinkEvidence(anchor=anchor, title=title, how=how,
                                          written=bool(written), illegal=term),
            )


# Parked / for-sale / expired domain pages: registrar templates and their usual phrases.
_PARKED = re.compile(
    r"该?域名(?:正在)?(?:出售|转让|待售|可出售|已过期|已到期|过期)|(?:出售|转让)(?:此|本|该)域名|"
    r"域名停放|此域名(?:可|正在)|domain (?:is |may be )?for sale|buy this domain|"
    r"this domain (?:is|may be) for sale|domain has expired|this domain has expired|"
    r"parked (?:free|domain)|domain parking|is parked|sedo(?:parking)?\.com|dan\.com|"
    r"afternic|hugedomains|bodis\.com|parkingcrew|这个域名可以出售|域名已经过期",
    re.IGNORECASE)


def outbound_state(content: Any, lexicon: IllegalLexicon) -> tuple[str, str] | None:
    """("illegal", term) | ("parked", phrase) for an outbound page's content; None if fine."""
    if not content:
        return None
    title, meta, text = (str(content.get(k) or "") for k in ("title", "meta", "text"))
    for value in (title, meta, text):
        hits = [h for h in lexicon.scan(value, title) if not h.guarded]
        if hits:
            return "illegal", hits[0].term.term
    match = _PARKED.search(f"{title}\n{meta}\n{text[:5000]}")
    if match:
        return "parked", match.group(0)
    return None


def _hijack(target: LinkTarget, state: tuple[str, str]) -> Finding:
    kind, match = state
    title = str(target.content.get("title") or "")
    was = f"，此前为“{one_line(target.previous)}”" if target.previous else ""
    what = f"违法内容（“{match}”）" if kind == "illegal" else "域名出售或停放页面"
    return Finding(
        rule=SECURITY_OUTBOUND_HIJACKED.id, url=target.sources[0].page if target.sources else "",
        target=target.url, severity=Severity.VETO if kind == "illegal" else Severity.DEDUCT,
        message=f"外部链接现在指向{what}{was}",
        evidence=HijackEvidence(kind=kind, match=match, title=title, previous=target.previous,
                                sources=sorted({s.page for s in target.sources})),
    )


def security_outbound_hijacked(snapshot: Snapshot, settings: Settings,
                               as_of: date) -> Iterator[Finding]:
    """外部链接被劫持或域名易主。

    ## 检查内容 What it checks
    每次巡查读取外部链接目标页面的开头部分（默认 256 KiB），目标页面出现违法类内容为单项
    否决；变成域名出售、域名停放或域名已过期页面（“该域名出售”“domain for sale”等）为扣分。
    能查到时，附上这个链接上次正常时指向的页面标题。

    ## 为何重要 Why it matters
    友情链接、下级单位旧网站的域名过期后常被抢注改作博彩、色情网站，政府网站就成了违法
    网站的入口，属于国办秘函〔2019〕19号单项否决的“链接反动、暴力、色情等内容”。

    ## 示例 Example
    “友情链接”中的某协会网站域名已过期，现在打开是“真人视讯 娱乐城”：单项否决。

    ## 如何整改 How to fix
    立即删除或更正该链接；定期核对外部链接的单位和域名是否仍然有效。
    """
    lexicon = illegal_lexicon(snapshot.lexicon)
    scope = site_scope(settings, snapshot.name, snapshot.url)
    for target in snapshot.targets:
        if not target.content or scope.contains(target.url):
            continue
        state = outbound_state(target.content, lexicon)
        if state is not None and target.sources:
            yield _hijack(target, state)


SECURITY_ILLEGAL_CONTENT = Rule(
    "security-illegal-content", Severity.VETO, "安全、泄密事故", "页面含违法内容",
    doc_of(security_illegal_content), Scope.DOCUMENT, IllegalContentEvidence)
SECURITY_DARK_LINK = Rule(
    "security-dark-link", Severity.VETO, "安全、泄密事故", "暗链",
    doc_of(security_dark_link), Scope.DOCUMENT, DarkLinkEvidence)
SECURITY_OUTBOUND_HIJACKED = Rule(
    "security-outbound-hijacked", Severity.VETO, "安全、泄密事故", "外部链接被劫持",
    doc_of(security_outbound_hijacked), Scope.LINK, HijackEvidence)
