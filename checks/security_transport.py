"""Security rules on how a site is delivered: cloaked redirects, new script hosts,
certificates and mixed content (W-V1 and transport security)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import TypedDict

from checks.doc import doc_of
from checks.model import Finding, Rule, Scope, Severity, SiteSnapshot, Snapshot, Visit
from checks.scope import SiteScope, netloc, site_scope
from core.settings import Settings

VISITORS = {"spider": "搜索引擎爬虫", "search": "从搜索引擎进入的访问者", "mobile": "手机访问者"}
# which script conditions send which visitor away ("" : every visitor)
_CONDITION_VISITORS = {"": ("plain", "spider", "search", "mobile"), "referrer": ("search",),
                       "useragent": ("spider", "mobile")}


class RedirectEvidence(TypedDict):
    visitor: str  # spider | search | mobile
    target: str  # where that visitor is sent
    via: str  # status | refresh | script
    status: int | None


class ScriptChangedEvidence(TypedDict):
    host: str
    tag: str  # script | iframe | frame
    src: str
    pages: list[str]


class CertificateEvidence(TypedDict):
    problem: str  # expired | host-mismatch | expiring
    not_after: str | None
    days_left: int | None
    issuer: str
    subject: str
    host: str
    checked_at: str


class MixedContentEvidence(TypedDict):
    resources: list[str]  # "tag url", first ones
    count: int


def _offsite(visit: Visit, scope: SiteScope) -> tuple[str, str] | None:
    """(target, via) where ``visit`` sends its visitor outside the site; None if it stays."""
    for hop in visit.hops:
        if not scope.contains(hop):
            return hop, "status"
    if visit.refresh and not scope.contains(visit.refresh):
        return visit.refresh, "refresh"
    for target, condition in visit.scripts:
        if visit.visitor in _CONDITION_VISITORS.get(condition, ()) and not scope.contains(target):
            return target, "script"
    return None


def security_redirect(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """搜索引擎劫持：对某类访问者跳转到站外。

    ## 检查内容 What it checks
    每次巡查分别以搜索引擎爬虫（Baiduspider）、从搜索结果页进入的访问者（带百度搜索
    Referer）和手机浏览器的身份访问首页和重点栏目，跟随 3xx 跳转、meta refresh 和页面加载时
    给 location 赋值的脚本。某类访问者被带到本站范围（本站域名、配置的 hosts，如 m. 站点）
    以外，而普通访问者没有被带走：单项否决。

    ## 为何重要 Why it matters
    这是“黑帽 SEO”劫持：被入侵的网站只对搜索引擎或从搜索进入的人显示或跳转到博彩页面，
    管理员自己打开时一切正常。属于国办秘函〔2019〕19号单项否决的“内容被篡改”。

    ## 示例 Example
    带百度 Referer 打开首页时，页面脚本执行 location.href="https://xx娱乐城.com"：单项否决。

    ## 如何整改 How to fix
    检查服务器配置（.htaccess、nginx/IIS 重写规则）、全局脚本和模板中按 User-Agent 或
    Referer 判断跳转的代码并删除，排查后门，修改口令。
    """
    if not isinstance(snapshot, SiteSnapshot) or not snapshot.visits:
        return
    scope = site_scope(settings, snapshot.name, snapshot.url)
    by_url: dict[str, dict[str, Visit]] = {}
    for visit in snapshot.visits:
        by_url.setdefault(visit.url, {})[visit.visitor] = visit
    for url, visits in by_url.items():
        plain = visits.get("plain")
        if plain is None or plain.failure or _offsite(plain, scope) is not None:
            continue  # nothing to compare with, or every visitor leaves alike
        for visitor, label in VISITORS.items():
            other = visits.get(visitor)
            away = _offsite(other, scope) if other is not None else None
            if other is None or away is None:
                continue
            target, via = away
            yield Finding(
                rule=SECURITY_REDIRECT.id, severity=Severity.VETO, url=url, target=target,
                message=f"{label}被跳转到站外 {netloc(target)}，普通访问者没有",
                evidence=RedirectEvidence(visitor=visitor, target=target, via=via,
                                          status=other.status),
            )


def _allowed(host: str, allow: tuple[str, ...]) -> bool:
    bare = host.split(":")[0]
    return any(bare == a or bare.endswith("." + a) or host == a for a in allow)


def external_script_hosts(snapshot: SiteSnapshot, settings: Settings) -> set[str]:
    """Hosts outside the site's scope that its pages load scripts or frames from."""
    scope = site_scope(settings, snapshot.name, snapshot.url)
    return {netloc(src) for page in snapshot.page_security for _tag, src in page.embeds
            if netloc(src) and not scope.contains(src)}


def security_script_changed(snapshot: Snapshot, settings: Settings,
                            as_of: date) -> Iterator[Finding]:
    """新出现的外部脚本或框架来源。

    ## 检查内容 What it checks
    页面从本站范围以外的主机加载脚本（script）或框架（iframe），而该主机不在本站首次巡查
    建立的基线中，也不在 checks.allow_script_hosts（网站确实使用的统计、地图等服务）中：提示。
    首次巡查只建立基线，不报告。

    ## 为何重要 Why it matters
    被植入的外部脚本可以在访问者浏览器中跳转、弹窗、挂马或窃取信息，是“页面被挂马”的
    常见形式，而页面看起来没有变化（国办秘函〔2019〕19号：页面被挂马，单项否决）。

    ## 示例 Example
    首页新出现 <script src="https://js.abc-tongji.xyz/a.js">，此前从未加载过：提示。

    ## 如何整改 How to fix
    确认脚本来源：本单位新接入的服务，加入 allow_script_hosts 或标记为误报；来历不明的
    立即删除并排查模板和服务器。
    """
    if not isinstance(snapshot, SiteSnapshot) or snapshot.script_baseline is None:
        return
    scope = site_scope(settings, snapshot.name, snapshot.url)
    allow = settings.checks.allow_script_hosts
    found: dict[str, tuple[str, str, list[str]]] = {}
    for page in snapshot.page_security:
        for tag, src in page.embeds:
            host = netloc(src)
            if not host or scope.contains(src) or host in snapshot.script_baseline \
                    or _allowed(host, allow):
                continue
            entry = found.setdefault(host, (tag, src, []))
            entry[2].append(page.url)
    for host, (tag, src, pages) in found.items():
        yield Finding(
            rule=SECURITY_SCRIPT_CHANGED.id, severity=Severity.WARN, url=pages[0], target=src,
            message=f"页面新加载了外部{'脚本' if tag == 'script' else '框架'}，来源 {host}",
            evidence=ScriptChangedEvidence(host=host, tag=tag, src=src, pages=pages[:20]),
        )


def tls_certificate(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """HTTPS 证书过期、不匹配或即将过期。

    ## 检查内容 What it checks
    可用性监测访问 HTTPS 首页时记录证书的到期时间、签发者和域名是否匹配。证书已过期或与
    网站域名不匹配为扣分；30 天内到期（checks.certificate_warn_days）为提示。

    ## 为何重要 Why it matters
    证书失效时浏览器显示“不安全”并阻止访问，等同于网站无法访问；《政府网站发展指引》
    要求政府网站使用 HTTPS 并保障安全；国办秘函〔2019〕19号把网站安全列为检查内容。

    ## 示例 Example
    证书 2026-11-30 到期，监测时间点 2026-12-03：已过期，扣分。

    ## 如何整改 How to fix
    及时续期证书并部署到所有服务器；证书的域名须包含网站实际使用的域名。
    """
    if not isinstance(snapshot, SiteSnapshot) or snapshot.certificate is None:
        return
    cert = snapshot.certificate
    moment = datetime.combine(as_of, time.max)
    days = (cert.not_after.date() - as_of).days if cert.not_after else None
    problems = []
    if cert.not_after is not None and cert.not_after < moment:
        problems.append(("expired", Severity.DEDUCT, f"HTTPS 证书已于 {cert.not_after:%Y-%m-%d} 过期"))
    if cert.host_ok is False:
        problems.append(("host-mismatch", Severity.DEDUCT, f"HTTPS 证书与域名 {cert.host} 不匹配"))
    if not problems and days is not None and days <= settings.checks.certificate_warn_days:
        problems.append(("expiring", Severity.WARN, f"HTTPS 证书将于 {days} 天后到期"))
    for problem, severity, message in problems:
        yield Finding(
            rule=TLS_CERTIFICATE.id, severity=severity, url=cert.url, message=message,
            evidence=CertificateEvidence(
                problem=problem, days_left=days, issuer=cert.issuer, subject=cert.subject,
                not_after=cert.not_after.isoformat() if cert.not_after else None,
                host=cert.host, checked_at=cert.at.isoformat(timespec="minutes")),
        )


def mixed_content(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """HTTPS 页面加载 HTTP 资源（混合内容）。

    ## 检查内容 What it checks
    HTTPS 页面通过明文 HTTP 加载脚本、样式表、框架或图片：提示，每个页面一条，列出资源。

    ## 为何重要 Why it matters
    明文加载的脚本和框架可被网络中间人篡改，浏览器会拦截或标记“不安全”，页面显示不全；
    国办秘函〔2019〕19号把网站安全列为检查内容。

    ## 示例 Example
    https://www.example.gov.cn/ 中有 <script src="http://cdn.example.com/jquery.js">：提示。

    ## 如何整改 How to fix
    把资源地址改为 https:// 或相对地址；第三方资源不支持 HTTPS 的，改用本站副本。
    """
    if not isinstance(snapshot, SiteSnapshot):
        return
    for page in snapshot.page_security:
        if not page.insecure or not page.url.startswith("https://"):
            continue
        shown = [f"{tag} {url}" for tag, url in page.insecure]
        yield Finding(
            rule=MIXED_CONTENT.id, severity=Severity.WARN, url=page.url,
            message=f"HTTPS 页面通过 HTTP 加载 {len(shown)} 个资源",
            evidence=MixedContentEvidence(resources=shown[:20], count=len(shown)),
        )


SECURITY_REDIRECT = Rule("security-redirect", Severity.VETO, "安全、泄密事故", "对特定访问者跳转站外",
                         doc_of(security_redirect), Scope.DOCUMENT, RedirectEvidence)
SECURITY_SCRIPT_CHANGED = Rule(
    "security-script-changed", Severity.WARN, "安全、泄密事故", "新出现的外部脚本",
    doc_of(security_script_changed), Scope.DOCUMENT, ScriptChangedEvidence)
TLS_CERTIFICATE = Rule("tls-certificate", Severity.DEDUCT, "网站安全", "HTTPS 证书问题",
                       doc_of(tls_certificate), Scope.SITE, CertificateEvidence)
MIXED_CONTENT = Rule("mixed-content", Severity.WARN, "网站安全", "混合内容",
                     doc_of(mixed_content), Scope.DOCUMENT, MixedContentEvidence)
