"""The planted problems and traps: the one table both the pages and the manifest read.

A ``Snippet`` is a sentence added to one article's body (or to an attachment, a post);
a ``LinkPlant`` is a link added to one page. Each names the states it appears in and the
finding it must cause (``rule`` None = a trap that must cause nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from xunwang.demo import numbers as n

ALL = frozenset({"initial", "fixed", "regressed", "attacked"})
INITIAL = frozenset({"initial"})
AFTER = frozenset({"fixed", "regressed", "attacked"})
# ``attacked`` is ``fixed`` after a break-in: ATTACKED marks what the intruder planted.
ATTACKED = frozenset({"attacked"})
TYPO_STATES = frozenset({"initial", "regressed"})

SEVERITY = {
    "wording-severe": "veto", "wording-outdated": "deduct", "wording-sensitive": "deduct",
    "wording-typo": "deduct", "wording-suspect": "warn", "privacy-id-number": "veto",
    "privacy-phone": "deduct", "privacy-bank-card": "deduct", "link-broken": "deduct",
    "link-suspect": "warn", "column-stale": "deduct", "column-blank": "deduct",
    "columns-veto": "veto", "homepage-stale": "veto", "site-identity": "deduct",
    "interaction-overdue": "veto", "account-stale": "veto", "account-zombie": "warn",
    "interpretation-missing": "deduct", "interpretation-late": "warn",
    "interpretation-unlinked": "warn", "annual-report-missing": "deduct",
    "annual-report-inconsistent": "deduct", "security-illegal-content": "veto",
    "security-dark-link": "veto", "security-redirect": "veto",
    "security-outbound-hijacked": "deduct", "security-script-changed": "warn",
}


@dataclass(frozen=True)
class Snippet:
    """A sentence in article ``index`` of column ``slug`` on ``site``."""

    site: str
    slug: str
    index: int
    sentence: str
    states: frozenset[str] = ALL
    rule: str | None = None
    text: str = ""
    severity: str = ""  # when not the rule's usual one (SEVERITY)


@dataclass(frozen=True)
class LinkPlant:
    """A link on a page. ``page`` is 'home' or 'slug:index'; ``target`` is 'server:path'."""

    site: str
    page: str
    target: str
    label: str
    states: frozenset[str] = ALL
    rule: str | None = None


SNIPPETS: tuple[Snippet, ...] = (
    Snippet("portal", "ywdt", 2, "会议强调，要深刻认识中华人民共合国成立以来的伟大成就。",
            rule="wording-severe", text="中华人民共合国"),
    Snippet("portal", "ywdt", 4, "会上通报了区环保局牵头开展的秋冬季大气污染防治工作情况。",
            states=AFTER, rule="wording-outdated", text="环保局"),
    Snippet("portal", "gzdt", 1, f"咨询联系人：王老师，联系电话：{n.MOBILE}。",
            states=INITIAL, rule="privacy-phone", text=n.mask_phone(n.MOBILE)),
    Snippet("portal", "gzdt", 1, f"咨询联系人：王老师，联系电话：{n.mask_phone(n.MOBILE)}。",
            states=AFTER),
    Snippet("portal", "gzdt", 3, "工作人员上门为困难家庭按装烟雾报警器和燃气泄漏报警装置。",
            states=TYPO_STATES, rule="wording-typo", text="按装"),
    Snippet("portal", "gzdt", 3, "工作人员上门为困难家庭安装烟雾报警器和燃气泄漏报警装置。",
            states=frozenset({"fixed", "attacked"})),
    Snippet("portal", "gzdt", 5, "截止目前，全区已完成老旧小区改造项目十二个。",
            rule="wording-suspect", text="截止"),
    Snippet("portal", "gzdt", 6, f"服务热线：{n.LANDLINE}；业务受理编号：{n.LONG_RUN}。"),
    Snippet("portal", "gzdt", 6, f"示例证件号码（已作废）：{n.BROKEN_ID}；示例账号：{n.NON_LUHN_CARD}。"),
    Snippet("portal", "gzdt", 6, "今年以来，区政务服务中心共办理跨区通办事项404件，群众满意率持续提升。"),
    Snippet("portal", "gzdt", 7, "原国家工商行政管理总局印发的有关文件已按规定清理。",
            rule="wording-outdated", text="国家工商行政管理总局"),
    Snippet("portal", "gzdt", 8, f"经审核，申请人李某某（身份证号：{n.ARTICLE_ID}）符合补助条件。",
            rule="privacy-id-number", text=n.mask_id(n.ARTICLE_ID)),
    Snippet("portal", "gzdt", 9, f"补助资金将发放至申请人银行卡（卡号：{n.BANK_CARD}）。",
            rule="privacy-bank-card", text=n.mask_card(n.BANK_CARD)),
    Snippet("portal", "zcwj", 7, "本通知所称国家工商行政管理总局有关规定，以现行文件为准。"),
    Snippet("portal", "tjxx", 0, "报告同时收录了北朝鲜等周边国家和地区的对外贸易统计口径说明。",
            rule="wording-sensitive", text="北朝鲜"),
    # Spam text injected into a 要闻 body (visible body only: warn, a person decides).
    Snippet("portal", "ywdt", 6, "真人百家乐在线开户，每日返水不封顶。",
            states=ATTACKED, rule="security-illegal-content", text="真人百家乐", severity="warn"),
)

# Targets: 'portal:/path', 'dept:/path', 'external:/path' or 'closed:/path'.
TEMPLATE_BROKEN = "portal:/images/wza.png"
LINKS: tuple[LinkPlant, ...] = (
    LinkPlant("portal", "home", "external:/", "省政府门户网站"),
    LinkPlant("portal", "home", "dept:/", "区教育局"),
    LinkPlant("portal", "home", "external:/bot-blocked/", "市场监管信息平台", rule="link-suspect"),
    LinkPlant("portal", "home", "external:/rate-limited/", "公共资源交易平台", rule="link-suspect"),
    # A partner's page: fine, until in ``attacked`` its domain is parked (域名出售).
    LinkPlant("portal", "home", "external:/shanghui/", "区工商业联合会"),
    LinkPlant("portal", "gzdt:2", "external:/slow/", "相关报道"),
    LinkPlant("portal", "gzdt:4", "portal:/gzdt/202001/t20200105_999999.html", "往期报道",
              states=INITIAL, rule="link-broken"),
    LinkPlant("portal", "gzdt:4", "portal:/zt/2019/index.html", "2019年专题", rule="link-broken"),
    LinkPlant("portal", "gzdt:4", "portal:/xwzx/zt2019.html", "专题回顾", rule="link-broken"),
    LinkPlant("portal", "tzgg:1", "portal:/oa/index.html", "内部办公系统", rule="link-broken"),
    LinkPlant("portal", "tzgg:1", "portal:/jsearch/index.do", "站内检索", rule="link-suspect"),
    LinkPlant("portal", "tzgg:1", "external:/maintenance/", "网上办事大厅", rule="link-suspect"),
    LinkPlant("portal", "tzgg:1", "external:/timeout/", "在线申报系统", rule="link-suspect"),
    LinkPlant("portal", "tzgg:1", "closed:/", "原专题网站", rule="link-broken"),
    LinkPlant("dept", "home", "portal:/", "云溪区人民政府"),
)

# The attacked homepage: links hidden by a class of the page's own <style> (target, anchor),
# a script from a host no earlier patrol saw, and where Baiduspider is sent instead.
DARK_LINKS = (("external:/bet/", "澳门新葡京"), ("external:/bet/lhc.html", "六合彩开奖"))
DARK_TERMS = ("澳门新葡京", "六合彩开奖")  # each term once on the homepage: illegal-content
NEW_SCRIPT = "external:/js/tj.js"
SPIDER_REDIRECT = "external:/bet/"
PARKED = "external:/shanghui/"

# The attachment that leaks an ID number (the XLSX linked from 通知公告 article 0).
ATTACHMENT_ARTICLE = ("portal", "tzgg", 0)
