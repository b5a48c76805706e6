"""Wording rules (错敏词): the lexicon applied to every document's title and text."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from datetime import date
from typing import Any

from checks.age import iso
from checks.doc import doc_of
from checks.identifiers import NUMBER_HINT, mask_text
from checks.lexicon import CATEGORIES, Lexicon, Tally, Term, builtin
from checks.model import Document, Finding, Rule, Scope, Severity, Snapshot, masked
from checks.text import LONGEST_NUMBER, SPACE, TextHit, around, one_line, scannable
from checks.typo_findings import confusion_findings, typo_findings
from core.settings import Settings

_LABELS = {"severe": "严重表述错误", "outdated": "过时表述", "sensitive": "敏感或不规范用语",
           "typo": "错别字", "suspect": "疑似用词不当"}


class _WordingHit(TextHit):
    lexicon: str  # file:line of the term


class WordingEvidence(_WordingHit, total=False):
    since: str
    note: str
    linked_from: list[str]  # an attachment's pages
    # wording-typo and wording-suspect: lexicon (a listed term), model (the wrong-character
    # detector of checks/typo) or context (a context rule of checks/typo/confusions.py)
    found_by: str
    score: float  # model: the detector's confidence (log10 odds after the slip's cost)
    typo_kind: str  # model: sound | near | shape | word (what slip it looks like)


# Where terms first occur in a document (title | text), that text, and the terms' tallies.
_Group = tuple[str, str, list[Tally]]
_DIGIT = re.compile("[0-9０-９]")  # NUMBER_HINT finds nothing without one
# Whitespace collapsed as ``around`` does. The only whitespace character that is printable
# is " ", so a printable string without "  " is left as it is and needs no regex.
_collapse = SPACE.sub
_TermParts = tuple[str, Severity, str, str | None, str, str, dict[str, str], dict[str, str],
                   dict[str, str]]


def _applies(term: Term, published: date | None) -> bool:
    """Outdated terms count only in text published on/after the change, or undated."""
    return term.since is None or published is None or published >= term.since


def _message(term: Term, count: int) -> str:
    label = _LABELS[term.category]
    times = f"（共 {count} 处）" if count > 1 else ""
    if term.suggestion:
        return f"{label}：“{term.term}”，建议改为“{term.suggestion}”{times}"
    return f"{label}：“{term.term}”，不宜使用{times}"


def _first_hits(doc: Document, lexicon: Lexicon, wanted: Collection[str]) -> list[_Group]:
    """One entry per term reported in ``doc``, counting its other occurrences, grouped by
    where it first occurs (title, then text).

    A hit's text is its term's text (exact matching), so the term string is the dedupe key;
    whether a term applies is judged once, at its first hit (title before text).
    """
    title = scannable(doc.title)
    text = scannable(doc.text)
    in_text = lexicon.tally(text)
    published = doc.published
    if not title:  # _applies inline: this runs for every term of every document
        kept = [hit for hit in in_text if (term := hit[0]).category in wanted and (
            term.since is None or published is None or published >= term.since)]
        return [("text", text, kept)] if kept else []
    found: dict[str, list[Any] | None] = {}
    for where, tallied in (("title", lexicon.tally(title)), ("text", in_text)):
        for term, start, end, count in tallied:
            if term.term not in found:
                keep = term.category in wanted and _applies(term, published)
                found[term.term] = [term, start, end, count, where] if keep else None
            elif (first := found[term.term]) is not None:
                first[3] += count
    groups = []
    for where, value in (("title", title), ("text", text)):
        entries: list[Tally] = [(f[0], f[1], f[2], f[3]) for f in found.values()
                                if f is not None and f[4] == where]
        if entries:
            groups.append((where, value, entries))
    return groups


def _term_parts(term: Term) -> _TermParts:
    """Everything of a finding that depends on its term alone, masked as ``Finding`` would:
    rule, severity, text, suggestion, the message of a single hit, ``lexicon``, and the
    evidence after it (``found_by`` apart, as a document's ``linked_from`` goes between; and
    joined)."""
    extra = {}
    if term.since:
        extra["since"] = masked(term.since.isoformat())
    if term.note:
        extra["note"] = masked(term.note)
    found_by = {"found_by": "lexicon"} if term.category in ("typo", "suspect") else {}
    return (term.rule, _SEVERITY[term.category], masked(term.term),
            masked(term.suggestion) if term.suggestion else None, masked(_message(term, 1)),
            masked(term.origin), extra, found_by, extra | found_by)


def _masked_window(text: str, start: int, end: int, width: int, as_of: date) -> tuple[str, ...]:
    """Context, before, match and after masked as the rule always masked them: the window
    around the hit, then each field again as ``Finding`` does."""
    shown = around(text, start, end, width, lambda w: mask_text(w, as_of))
    return tuple(masked(shown[key]) for key in ("context", "before", "match", "after"))


class _Writer:
    """Findings of one scan, each built with its fields already masked as ``Finding`` would
    mask them. A window around the hit where ``NUMBER_HINT`` finds nothing is left as it is
    by every mask (collapsing whitespace and adding the brackets joins no digits), so its
    context is sliced once; one where it finds something is masked as the rule always did
    (``_masked_window``). Every other field is masked once per document or term."""

    def __init__(self, as_of: date, width: int) -> None:
        self.as_of, self.width = as_of, width
        self.terms: dict[str, _TermParts] = {}

    def findings(self, doc: Document, groups: list[_Group]) -> Iterator[Finding]:
        url = masked(doc.url)
        kind, published = masked(doc.kind), iso(doc.published)
        published = published and masked(published)
        page_title = masked(one_line(doc.title, 120)) if doc.title else ""
        linked = [masked(page) for page in sorted(doc.linked_from)] if doc.linked_from else []
        width, terms, number, new = self.width, self.terms, NUMBER_HINT.search, \
            Finding.masked_already
        for where, text, entries in groups:
            digits = _DIGIT.search(text) is not None  # a short text often has none at all
            for term, start, end, count in entries:
                rule, severity, shown, suggestion, message, origin, extra, found_by, closing = \
                    terms.get(term.term) or terms.setdefault(term.term, _term_parts(term))
                low, high = (start - width if start > width else 0), end + width
                if digits and number(text, low - LONGEST_NUMBER if low > LONGEST_NUMBER else 0,
                                     high + LONGEST_NUMBER) is not None:
                    context, before, match, after = _masked_window(text, start, end, width,
                                                                   self.as_of)
                else:
                    before, match, after = text[low:start], text[start:end], text[end:high]
                    if not before.isprintable() or "  " in before:
                        before = _collapse(" ", before)
                    if not after.isprintable() or "  " in after:
                        after = _collapse(" ", after)
                    context = f"{before}【{match}】{after}"
                evidence: dict[str, Any] = {
                    "context": context, "before": before, "match": match, "after": after,
                    "count": count, "where": where, "kind": kind, "published": published,
                    "page_title": page_title, "lexicon": origin}
                if linked:
                    evidence.update(extra, linked_from=list(linked), **found_by)
                elif closing:
                    evidence.update(closing)
                yield new(rule, severity, url,
                          message if count == 1 else masked(_message(term, count)),
                          shown, suggestion, evidence)


def scan(
    documents: Iterable[Document], lexicon: Lexicon, as_of: date, *,
    categories: Collection[str] = CATEGORIES, context_chars: int = 30,
) -> Iterator[Finding]:
    """One finding per (rule, document url, matched text), with a count, in document order."""
    wanted = frozenset(categories)
    writer = _Writer(as_of, context_chars)
    for doc in documents:
        firsts = _first_hits(doc, lexicon, wanted)
        if firsts:
            yield from writer.findings(doc, firsts)


def wording_severe(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """严重表述错误。

    ## 检查内容 What it checks
    页面正文、标题、附件和新媒体文章中的严重错误表述：国名、领导人姓名和职务、主权与领土、
    涉台港澳用语等（如“中华人民共合国”“台湾总统”），依据内置及用户自定义错敏词库匹配。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号单项否决指标“严重表述错误”：出现严重错别字（如将党和国家领导人姓名、
    职务写错）、使用涉及国家主权和领土等的错误表述，即判定不合格。

    ## 示例 Example
    正文“……台湾总统选举……”：应为“台湾地区领导人选举”，单项否决。

    ## 如何整改 How to fix
    立即更正原文并复核同一作者、同一栏目的其他稿件；建立发布前审校制度。确属误报的词可在
    整改系统中标记为误报并加入白名单。
    """
    return check(snapshot, settings, as_of, categories=("severe",))


def wording_outdated(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """过时表述。

    ## 检查内容 What it checks
    已撤销机构名称、已变更的职务任职、已更名的术语和旧提法（如“国家工商行政管理总局”
    “新冠肺炎”）。按文档发布日期判断：只有发布日期在变更生效日（词库 since 列）当天或之后，
    或没有发布日期的文档才报；变更前发布的历史文件不算错误。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标对内容准确性的要求：机构改革后仍使用旧名称，属内容不准确，
    影响政府网站权威性。

    ## 示例 Example
    2020 年发布的通知写“国土资源部”：应为“自然资源部”（2018-03-17 起），扣分。

    ## 如何整改 How to fix
    将新发布内容中的旧名称更正为现名称；仍在显示的机构职能、办事指南等常设页面同步更新。
    """
    return check(snapshot, settings, as_of, categories=("outdated",))


def wording_sensitive(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """敏感或不规范用语。

    ## 检查内容 What it checks
    涉及民族、宗教、国际关系的不规范用语和禁用词（如“北朝鲜”“维族”“一带一路战略”），
    依据新华社禁用词和慎用词等整理的词库。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标要求政府网站内容准确、规范，不得出现有损国家形象、民族团结
    和外交政策的表述。

    ## 示例 Example
    “……推进一带一路战略……”：应为“一带一路倡议”，扣分。

    ## 如何整改 How to fix
    按建议改为规范表述；对同类稿件一并排查。
    """
    return check(snapshot, settings, as_of, categories=("sensitive",))


def wording_typo(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """错别字。

    ## 检查内容 What it checks
    公文写作中的错别字，两种来源：一是词库中已知的错法（如“按装”→“安装”，“再接再励”→
    “再接再厉”，依据《咬文嚼字》常见错别字表及通报案例整理）；二是统计模型发现的错字：
    对每个字尝试同音、近音、形近字和同音词替换，用公文语料训练的字模型和词频判断替换后
    是否明显更通顺，置信度达到阈值（阈值可在配置文件中调整）才报告，并给出建议
    改法和置信度。人名、地名、文号、引用的标题、大写数字和本站多个页面都使用的词不报告；
    只检查新增或内容有变化的页面。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标把错别字计入内容质量扣分；错别字多、影响阅读的会被通报。

    ## 示例 Example
    “……项目已于6月峻工……”：应为“竣工”（词库），扣分；“……健全工作机智……”：建议改为
    “机制”（统计模型，同音字），扣分。

    ## 如何整改 How to fix
    更正错字；发布前使用校对工具并由专人审校。
    """
    return check(snapshot, settings, as_of, categories=("typo",))


def wording_suspect(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """疑似用词不当。

    ## 检查内容 What it checks
    与上下文有关的易混词：“截止”后接时间（应为“截至”）、“必需”后接动词（应为“必须”）、
    “必须品”（应为“必需品”）、“做出”后接决定、贡献等抽象事物（应为“作出”），以及“中华民国”
    “中台”等需看语境的词；还有只有看上下文才能判断的常用字误用：的/地/得（完成的很好、
    不断的推进）、做/作（做为、作好）、在/再（再此基础上、在接再厉）、象/像（好象、
    象这样）、已/以（以经、已上、已便、已及）。附上下文，由人工判断。

    ## 为何重要 Why it matters
    国办秘函〔2019〕19号检查指标要求内容准确规范；这些用法在公文中常被检查人员指出。

    ## 示例 Example
    “截止2023年底，全区共有……”：应为“截至2023年底”，提示。

    ## 如何整改 How to fix
    结合上下文确认；确属误用的更正，属正确用法的标记为误报。
    """
    return check(snapshot, settings, as_of, categories=("suspect",))


def check(
    snapshot: Snapshot, settings: Settings, as_of: date, *,
    categories: Collection[str] = CATEGORIES,
) -> Iterator[Finding]:
    """Every wording rule in one pass of the lexicon over the snapshot's documents, then the
    wrong-character detector (``typo``) and the context rules (``suspect``)."""
    lexicon = snapshot.lexicon or builtin()
    documents = snapshot.documents_to_scan
    width = settings.checks.context_chars
    yield from scan(documents, lexicon, as_of, categories=categories, context_chars=width)
    if "typo" in categories:
        yield from typo_findings(documents, lexicon, threshold=settings.checks.typo_threshold,
                                 width=width, as_of=as_of)
    if "suspect" in categories:
        yield from confusion_findings(documents, lexicon, width=width, as_of=as_of)


_SEVERITY = {"severe": Severity.VETO, "outdated": Severity.DEDUCT, "sensitive": Severity.DEDUCT,
             "typo": Severity.DEDUCT, "suspect": Severity.WARN}
WORDING_SEVERE = Rule("wording-severe", Severity.VETO, "严重表述错误", "严重表述错误",
                      doc_of(wording_severe), Scope.DOCUMENT, WordingEvidence)
WORDING_OUTDATED = Rule("wording-outdated", Severity.DEDUCT, "内容准确性", "过时表述",
                        doc_of(wording_outdated), Scope.DOCUMENT, WordingEvidence)
WORDING_SENSITIVE = Rule("wording-sensitive", Severity.DEDUCT, "内容准确性", "敏感或不规范用语",
                         doc_of(wording_sensitive), Scope.DOCUMENT, WordingEvidence)
WORDING_TYPO = Rule("wording-typo", Severity.DEDUCT, "内容准确性", "错别字",
                    doc_of(wording_typo), Scope.DOCUMENT, WordingEvidence)
WORDING_SUSPECT = Rule("wording-suspect", Severity.WARN, "内容准确性", "疑似用词不当",
                       doc_of(wording_suspect), Scope.DOCUMENT, WordingEvidence)
