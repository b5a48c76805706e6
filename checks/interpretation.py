"""Policy documents and their interpretations: interpretation-missing, -late, -unlinked.

A policy document is an entry of a policy column; its interpretation is a page titled as
one (解读, 图解, 问答, 一图读懂 …) that the document's page links (a), or an entry of a 解读
column whose title names the document by 文号 or by its core title (b). ``pair`` does the
matching once for the three rules and for the yearbook; dates are counted in working days
of the Chinese calendar.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TypedDict

from checks.doc import doc_of
from checks.model import Document, Entry, Finding, Rule, Scope, Severity, SiteSnapshot, Snapshot
from checks.text import one_line
from checks.workdays import working_days_between
from core.settings import Settings

POLICY_WORDS = ("政策文件", "规范性文件", "政府文件", "文件")
INTERPRETATION_TITLE = re.compile(r"解读|图解|问答|一图读懂|新闻发布会")
# 文号: 青政发〔2023〕5号, 青政发[2023]5号, 青政发（2023）5号, 2023年第5号 (公告)
_DOCNO = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[【(（［]\s*((?:19|20)\d\d)\s*[〕\]】)）］]\s*第?\s*(\d{1,4})\s*号"
    r"|()(?<!\d)((?:19|20)\d\d)\s*年\s*第\s*(\d{1,4})\s*号")
_WRAPPER_HEAD = re.compile(r"^.*?关于(?:印发|转发|公布|发布|修订)?")
_WRAPPER_TAIL = re.compile(
    r"的?(?:通知|意见|决定|办法|通告|公告|批复|函|实施意见|指导意见|若干措施|规定)$")
_PUNCT = re.compile(r"[\s《》〈〉<>“”\"'‘’「」【】\[\]（）()，,。.、：:；;！!？?—\-_·]")
_FORMS = (("video", r"视频|微视频|动画|直播"), ("image", r"图解|一图读懂|图说|漫画|长图|海报|图表"),
          ("audio", r"音频|广播|听"), ("h5", r"H5|h5"))
_DATE_LABEL = re.compile(r"成文日期\s*[:：]?\s*((?:19|20)\d\d)\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")


def is_policy_column(name: str) -> bool:
    return "解读" not in name and any(word in name for word in POLICY_WORDS)


def is_interpretation_column(name: str) -> bool:
    return "解读" in name


def document_number(text: str) -> str | None:
    """The first 文号 in ``text``, normalised to 机关代字〔年〕N号 (or 年第N号)."""
    m = _DOCNO.search(text)
    if m is None:
        return None
    if m.group(1) is not None:
        return f"{_issuer(m.group(1))}〔{m.group(2)}〕{int(m.group(3))}号"
    return f"{m.group(4)}{m.group(5)}年第{int(m.group(6))}号"


def _issuer(prefix: str) -> str:
    """The 机关代字 before 〔年〕: the words a title runs into it are cut (关于…的通知青政发)."""
    for word in ("通知", "意见", "办法", "决定", "通告", "公告", "批复", "规定", "》", "号"):
        if word in prefix:
            prefix = prefix.rsplit(word, 1)[1]
    return prefix[-6:]


def _numbers(text: str) -> set[str]:
    out = set()
    for m in _DOCNO.finditer(text):
        if m.group(1) is not None:
            # the issuer's code is compared on its last characters: a title's words run into it
            out.add(f"{m.group(1)[-3:]}〔{m.group(2)}〕{int(m.group(3))}")
        else:
            out.add(f"{m.group(5)}年第{int(m.group(6))}号")
    return out


def _number_key(number: str) -> str:
    return next(iter(sorted(_numbers(number), key=len, reverse=True)), number)


def core_title(title: str) -> str:
    """The title without the 关于 … 的通知/意见/办法 wrapper, brackets and punctuation."""
    text = _DOCNO.sub("", title)
    inner = re.search(r"《([^》]{4,})》", text)
    bare = inner.group(1) if inner else _WRAPPER_TAIL.sub("", _WRAPPER_HEAD.sub("", text).strip())
    return _PUNCT.sub("", bare)


def interpretation_form(title: str, tags: frozenset[str] = frozenset()) -> str:
    """text | image | video | audio | h5, from the title and the media its page embeds."""
    for form, pattern in _FORMS:
        if re.search(pattern, title):
            return form
    if tags & {"video", "embed"}:
        return "video"
    if "audio" in tags:
        return "audio"
    return "text"


@dataclass(frozen=True)
class Interpretation:
    title: str
    url: str
    published: date | None
    form: str
    how: str  # link | number | title


@dataclass(frozen=True)
class PolicyDoc:
    entry: Entry
    published: date | None  # the entry's date, else the page's
    column: str
    number: str | None
    written: date | None  # 成文日期 stated on the page
    interpretation: Interpretation | None
    linked_both_ways: bool


def _written(document: Document | None) -> date | None:
    if document is None:
        return None
    m = _DATE_LABEL.search(document.text)
    if m is None:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _links(snapshot: SiteSnapshot) -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, str]]:
    """(page -> targets, page -> media tags, target -> anchor) from the snapshot's page links."""
    out: dict[str, set[str]] = {}
    tags: dict[str, set[str]] = {}
    anchors: dict[str, str] = {}
    for source, target, tag in snapshot.page_links:
        out.setdefault(source, set()).add(target)
        tags.setdefault(source, set()).add(tag)
    return out, tags, anchors


def pair(snapshot: SiteSnapshot) -> list[PolicyDoc]:
    """Every policy-column entry with the interpretation found for it (or None)."""
    documents = {d.url: d for d in snapshot.documents}
    links, tags, _ = _links(snapshot)
    interpretations: list[Entry] = []
    policies: list[tuple[Entry, str]] = []
    seen: set[str] = set()
    for column in snapshot.columns:
        for entry in column.entries:
            if is_interpretation_column(column.name) or INTERPRETATION_TITLE.search(entry.title):
                interpretations.append(entry)
            elif is_policy_column(column.name) and entry.url not in seen:
                seen.add(entry.url)
                policies.append((entry, column.name))
    titled = {e.url: e for e in interpretations if INTERPRETATION_TITLE.search(e.title)}
    # a list page (the 政策解读 column itself, linked from every page's navigation) or the
    # homepage is not an interpretation, whatever its title says
    lists = {c.url for c in snapshot.columns} | {snapshot.url}
    for url, document in documents.items():  # interpretation pages reached by a link only
        if url not in titled and url not in lists and INTERPRETATION_TITLE.search(document.title):
            titled[url] = Entry(document.title, url, document.published)
    out: list[PolicyDoc] = []
    for entry, column_name in policies:
        page = documents.get(entry.url)
        number = document_number(entry.title) or (document_number(page.text[:3000]) if page else None)
        core = core_title(entry.title)
        found: Interpretation | None = None
        for target in sorted(links.get(entry.url, ())):
            hit = titled.get(target)
            if hit is not None:
                found = _interpretation(hit, "link", tags, documents)
                break
        if found is None:
            found = _by_name(interpretations, number, core, tags, documents)
        both = found is not None and (found.url in links.get(entry.url, set())
                                      or entry.url in links.get(found.url, set()))
        published = entry.published or (page.published if page else None)
        out.append(PolicyDoc(entry, published, column_name, number, _written(page), found, both))
    return out


def _interpretation(entry: Entry, how: str, tags: dict[str, set[str]],
                    documents: dict[str, Document]) -> Interpretation:
    document = documents.get(entry.url)
    published = entry.published or (document.published if document else None)
    return Interpretation(entry.title, entry.url, published,
                          interpretation_form(entry.title, frozenset(tags.get(entry.url, ()))), how)


def _by_name(candidates: list[Entry], number: str | None, core: str, tags: dict[str, set[str]],
             documents: dict[str, Document]) -> Interpretation | None:
    key = _number_key(number) if number else None
    for entry in candidates:
        if not INTERPRETATION_TITLE.search(entry.title):
            continue
        if key and key in _numbers(entry.title):
            return _interpretation(entry, "number", tags, documents)
    if len(core) < 4:
        return None
    for entry in candidates:
        if INTERPRETATION_TITLE.search(entry.title) and core in _PUNCT.sub("", entry.title):
            return _interpretation(entry, "title", tags, documents)
    return None


class PolicyEvidence(TypedDict):
    published: str | None
    written: str | None
    number: str | None
    column: str
    working_days: int


class LateEvidence(TypedDict):
    published: str | None
    interpretation: str
    interpretation_published: str | None
    working_days: int
    limit_working_days: int
    form: str
    how: str


class UnlinkedEvidence(TypedDict):
    interpretation: str
    how: str
    form: str


def _judged(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[tuple[PolicyDoc, int]]:
    """Policy documents in the window and old enough to judge, with their age in working days."""
    if not isinstance(snapshot, SiteSnapshot):
        return
    cfg = settings.checks
    for policy in _pairs(snapshot):
        published = policy.published
        if published is None or not 0 <= (as_of - published).days <= cfg.interpretation_window_days:
            continue
        age = working_days_between(published, as_of)
        if age <= cfg.interpretation_working_days:
            continue  # too recent to judge
        yield policy, age


@lru_cache(maxsize=2)
def _pairs(snapshot: SiteSnapshot) -> tuple[PolicyDoc, ...]:
    return tuple(pair(snapshot))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def interpretation_missing(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """政策文件无解读。

    ## 检查内容 What it checks
    政策文件（栏目名含“政策文件”“规范性文件”“政府文件”或“文件”、不含“解读”的栏目条目），发布于
    监测时间点前 365 天内且早于监测时间点 3 个工作日以上，却找不到解读：标题含“解读”“图解”
    “问答”“一图读懂”的页面，或由文件页面链接，或在解读栏目中且标题写明文件的文号（如
    青政发〔2023〕5号）或去掉“关于……的通知/意见/办法”外壳后的标题。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号“政策解读”指标（W-D9）要求政策文件与解读材料同步组织、同步审签、
    同步部署；没有解读会扣分。

    ## 示例 Example
    “关于印发《促进消费若干措施》的通知”（青政发〔2023〕5号）发布两个月，解读栏目中没有它的
    解读：扣分。

    ## 如何整改 How to fix
    补发解读（文字、图解、视频等形式），并在文件页面和解读页面互相链接。
    """
    for policy, age in _judged(snapshot, settings, as_of):
        if policy.interpretation is not None:
            continue
        entry = policy.entry
        yield Finding(
            rule=INTERPRETATION_MISSING.id, severity=Severity.DEDUCT, url=entry.url,
            site=snapshot.name, column=policy.column,
            message=f"政策文件“{one_line(entry.title)}”发布于 {_iso(policy.published)}，"
                    f"{age} 个工作日后仍未找到解读",
            evidence=PolicyEvidence(published=_iso(policy.published), written=_iso(policy.written),
                                    number=policy.number, column=policy.column, working_days=age))


def interpretation_late(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """政策解读不及时。

    ## 检查内容 What it checks
    政策文件的解读晚于文件发布 3 个工作日以上（按国家法定节假日和调休计算工作日）。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号要求解读与文件同步发布；解读滞后，公众最需要时看不到说明。

    ## 示例 Example
    文件 2023-09-28 发布，解读 2023-10-10 才发布（其间国庆假期，5 个工作日）：提示。

    ## 如何整改 How to fix
    解读与文件同步起草、审签，文件发布时同时发布解读。
    """
    limit = settings.checks.interpretation_working_days
    for policy, _ in _judged(snapshot, settings, as_of):
        found = policy.interpretation
        published = policy.published
        if found is None or found.published is None or published is None:
            continue
        delay = working_days_between(published, found.published)
        if delay <= limit:
            continue
        yield Finding(
            rule=INTERPRETATION_LATE.id, severity=Severity.WARN, url=policy.entry.url,
            site=snapshot.name, column=policy.column,
            message=f"政策文件“{one_line(policy.entry.title)}”的解读“{one_line(found.title)}”"
                    f"晚了 {delay} 个工作日（{_iso(published)} → {_iso(found.published)}）",
            evidence=LateEvidence(published=_iso(published), interpretation=found.url,
                                  interpretation_published=_iso(found.published),
                                  working_days=delay, limit_working_days=limit, form=found.form,
                                  how=found.how))


def interpretation_unlinked(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """政策解读与原文未关联。

    ## 检查内容 What it checks
    解读是在解读栏目中按文号或标题找到的，但文件页面和解读页面都没有链接到对方。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号要求解读与政策文件双向关联，读者从任一页面都能找到另一份。

    ## 示例 Example
    解读“《促进消费若干措施》政策解读”在解读栏目中，文件页面没有“相关解读”链接，解读页面也没有
    “原文链接”：提示。

    ## 如何整改 How to fix
    在文件页面加“相关解读”链接，在解读页面加“政策原文”链接。
    """
    for policy, _ in _judged(snapshot, settings, as_of):
        found = policy.interpretation
        if found is None or found.how == "link" or policy.linked_both_ways:
            continue
        yield Finding(
            rule=INTERPRETATION_UNLINKED.id, severity=Severity.WARN, url=policy.entry.url,
            site=snapshot.name, column=policy.column,
            message=f"政策文件“{one_line(policy.entry.title)}”与解读“{one_line(found.title)}”"
                    "互相没有链接",
            evidence=UnlinkedEvidence(interpretation=found.url, how=found.how, form=found.form))


INTERPRETATION_MISSING = Rule(
    "interpretation-missing", Severity.DEDUCT, "政策解读", "政策文件无解读",
    doc_of(interpretation_missing), Scope.DOCUMENT, PolicyEvidence)
INTERPRETATION_LATE = Rule(
    "interpretation-late", Severity.WARN, "政策解读", "政策解读不及时",
    doc_of(interpretation_late), Scope.DOCUMENT, LateEvidence)
INTERPRETATION_UNLINKED = Rule(
    "interpretation-unlinked", Severity.WARN, "政策解读", "解读与原文未关联",
    doc_of(interpretation_unlinked), Scope.DOCUMENT, UnlinkedEvidence)
