"""Annual-report rules: annual-report-missing, -inconsistent, -incomplete.

The report is the 政府信息公开工作年度报告 in the 2021 national format (国办公开办函〔2021〕30号).
``parse_report`` reads its numbers from table grids (merged cells already expanded, tables
split over several <table>s read as one stream of rows) or, when there are none, from the
text (cells separated by ``|``, tabs or spaces, as PDF text comes out). ``check_report`` is
the pre-publication entry point: a draft's text and tables in, findings out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

from checks.doc import doc_of
from checks.model import Document, Finding, Rule, Scope, Severity, SiteSnapshot, Snapshot, Table
from core.settings import Settings, SiteKind, site_kind

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
REVIEW_GROUPS = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
REVIEW_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
SECTIONS = (
    ("一", "总体情况", r"总体情况"),
    ("二", "主动公开政府信息情况", r"主动公开政府信息情况"),
    ("三", "收到和处理政府信息公开申请情况", r"收到和处理政府信息公开申请"),
    ("四", "政府信息公开行政复议、行政诉讼情况", r"行政复议.{0,3}行政诉讼"),
    ("五", "存在的主要问题及改进情况", r"存在的主要问题"),
    ("六", "其他需要报告的事项", r"其他需要报告"),
)
# 条例 第五十条(四): a people's government reports its 工作考核, 社会评议 and 责任追究 results
ASSESSMENTS = (("工作考核", r"考核|考评"), ("社会评议", r"社会评议|评议"),
               ("责任追究", r"责任追究|追责|问责"))
REPORT_TITLE = re.compile(r"政府信息公开(?:工作)?年度报告|政务公开(?:工作)?年度报告|年报")
_YEAR = re.compile(r"(20\d\d)\s*年")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，", "0123456789,")
_NUMBER = re.compile(r"^\d+$")
_TRAILING_NUMBERS = re.compile(r"^(.*?)((?:\s+\d+)+)\s*$")


def _number(cell: str) -> int | None:
    """A cell's whole number: full-width digits, spaces, thousands commas and 件 allowed."""
    text = re.sub(r"[\s,件个]", "", cell.translate(_FULL_WIDTH))
    return int(text) if _NUMBER.match(text) and len(text) < 10 else None


@dataclass(frozen=True)
class Row:
    label: str
    values: tuple[int, ...]


def _grid_rows(tables: Iterable[Table]) -> list[Row]:
    rows: list[Row] = []
    for grid in tables:
        for cells in grid:
            labels: list[str] = []
            values: list[int] = []
            for cell in cells:
                value = _number(cell) if cell else None
                if value is not None:
                    values.append(value)
                elif cell and (not labels or labels[-1] != cell):
                    labels.append(cell)
            rows.append(Row(" ".join(labels), tuple(values)))
    return rows


def _text_rows(text: str) -> list[Row]:
    """Rows from text: ``a | b | 1 | 2`` lines, tab-separated lines, or a label then numbers."""
    rows: list[Row] = []
    # PDF text spaces out full-width characters: "１３" comes out as "１ ３"
    text = re.sub(r"(?<=[０-９])[ \t]+(?=[０-９])", "", text)
    for line in text.translate(_FULL_WIDTH).splitlines():
        line = line.strip()
        if not line:
            continue
        if "|" in line or "\t" in line:
            cells = [c.strip() for c in re.split(r"[|\t]", line)]
            rows.append(_grid_rows([((*cells,),)])[0])
            continue
        m = _TRAILING_NUMBERS.match(" " + line)
        if m:
            rows.append(Row(m.group(1).strip(), tuple(int(v) for v in m.group(2).split())))
        else:
            rows.append(Row(line, ()))
    return rows


Cell = tuple[str, str]  # (row label, column label)


@dataclass
class Relation:
    """left == right, each a sum of cells; a number restated in the text is a one-cell side."""

    key: str
    description: str
    left: list[Cell]
    right: list[Cell]


@dataclass
class Report:
    """What ``parse_report`` read: the numbers by cell, the relations between them, the text."""

    text: str
    values: dict[Cell, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    found_applications: bool = False
    found_reviews: bool = False


def _first(rows: Sequence[Row], start: int, *words: str) -> int | None:
    for index in range(start, len(rows)):
        if all(w in rows[index].label for w in words) and rows[index].values:
            return index
    return None


def _short(label: str) -> str:
    return re.sub(r"\s+", " ", label)[:60]


def _applications(rows: Sequence[Row], report: Report) -> int | None:
    """Section 三's relations; the index of its last row (结转下年度), or None."""
    new = _first(rows, 0, "本年新收")
    if new is None:
        return None
    carry = _first(rows, new + 1, "上年结转")
    total = _first(rows, (carry or new) + 1, "总计")
    if carry is None or total is None:
        return None
    width = len(rows[new].values)
    if width < 2:
        return None
    nxt = _first(rows, total + 1, "结转下年度")
    names = APPLICANTS + ("总计",) if width == 7 else \
        tuple(f"第{i + 1}列" for i in range(width - 1)) + ("总计",)
    results = [i for i in range(carry + 1, total) if len(rows[i].values) == width]
    used = [new, carry, *results, total] + ([nxt] if nxt is not None else [])
    labels = {index: _short(rows[index].label) for index in used}
    if len(set(labels.values())) < len(labels):  # the same label twice: number them
        labels = {index: f"{label}#{n}" for n, (index, label) in enumerate(labels.items())}
    report.found_applications = True
    for index in used:
        if len(rows[index].values) != width:
            continue
        for name, value in zip(names, rows[index].values, strict=True):
            report.values[(labels[index], name)] = value
        report.relations.append(Relation(
            f"三|行|{labels[index]}", f"第三部分“{labels[index]}”行：总计 = 各类申请人之和",
            [(labels[index], "总计")], [(labels[index], n) for n in names[:-1]]))
    for name in names:
        report.relations.append(Relation(
            f"三|列|{name}|办理结果", f"第三部分“{name}”列：（七）总计 = （一）至（六）之和",
            [(labels[total], name)], [(labels[i], name) for i in results]))
        if nxt is not None and len(rows[nxt].values) == width:
            report.relations.append(Relation(
                f"三|列|{name}|收结", f"第三部分“{name}”列：本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理",
                [(labels[new], name), (labels[carry], name)],
                [(labels[total], name), (labels[nxt], name)]))
    return nxt if nxt is not None else total


def _reviews(rows: Sequence[Row], start: int, report: Report) -> None:
    """Section 四: each 总计 = the sum of its four result columns."""
    for index in range(start, len(rows)):
        values = rows[index].values
        if len(values) == 15 and not re.search(r"本年|结转|总计", rows[index].label):
            break
    else:
        return
    report.found_reviews = True
    row = "行政复议和行政诉讼"
    for group, offset in zip(REVIEW_GROUPS, range(0, 15, 5), strict=True):
        cells = [(row, f"{group}·{result}") for result in REVIEW_RESULTS]
        for cell, value in zip(cells, values[offset:offset + 5], strict=True):
            report.values[cell] = value
        report.relations.append(Relation(
            f"四|{group}", f"第四部分“{group}”：总计 = 维持 + 纠正 + 其他 + 尚未审结",
            [cells[4]], cells[:4]))


# Numbers of section 一 that restate a cell of section 三: (pattern, row word, label)
_RESTATED = (
    (r"(?:本年新收|新收|共收到|收到|受理|依申请公开)(?:政府信息公开)?(?:申请)?(?:共)?\s*(\d+)\s*件",
     "本年新收", "本年新收"),
    (r"上年结转(?:政府信息公开申请)?\s*(\d+)\s*件", "上年结转", "上年结转"),
    (r"办结(?:政府信息公开申请)?(?:共)?\s*(\d+)\s*件", "总计", "办结"),
    (r"结转下年度(?:继续办理)?\s*(\d+)\s*件", "结转下年度", "结转下年度"),
)


def _section_text(text: str, numeral: str) -> str:
    """The text of a section (from its heading to the next), or "" when it has none."""
    index = next((i for i, (n, _, _) in enumerate(SECTIONS) if n == numeral), 0)
    start = re.search(rf"(?m)^\s*{numeral}\s*[、.．]\s*{SECTIONS[index][2]}", text)
    if start is None:
        return ""
    rest = text[start.end():]
    if index + 1 < len(SECTIONS):
        nxt = re.search(rf"(?m)^\s*{SECTIONS[index + 1][0]}\s*[、.．]", rest)
        rest = rest[:nxt.start()] if nxt else rest
    return rest


def _restatements(report: Report) -> None:
    if not report.found_applications:
        return
    overview = _section_text(report.text.translate(_FULL_WIDTH), "一")
    overview = overview or report.text.translate(_FULL_WIDTH)
    overview = re.sub(r"\s*\n\s*", "", overview)  # a PDF breaks lines inside a phrase
    cells = {cell[0]: cell for cell in report.values if cell[1] == "总计"}
    for pattern, word, label in _RESTATED:
        row = next((r for r in cells if word in r), None)
        if row is None:
            continue
        for n, m in enumerate(re.finditer(pattern, overview)):
            cell = (f"正文“{m.group(0)}”", str(n))
            report.values[cell] = int(m.group(1))
            report.relations.append(Relation(
                f"正文|{label}|{n}", f"正文所述{label}件数 = 第三部分“{row}”行总计",
                [cell], [cells[row]]))


def parse_report(text: str, tables: Sequence[Table] = ()) -> Report:
    """The report's numbers and relations, from its tables, else from its text."""
    report = Report(text=text)
    for rows in (_grid_rows(tables), _text_rows(text)):
        end = _applications(rows, report)
        _reviews(rows, (end or 0) + 1, report)
        if report.found_applications or report.found_reviews:
            break
    _restatements(report)
    return report


@dataclass(frozen=True)
class Broken:
    relations: tuple[Relation, ...]
    cell: Cell | None  # the one number that, corrected, mends every relation listed
    value: int | None
    expected: int | None


def _residual(report: Report, relation: Relation) -> int:
    return sum(report.values[c] for c in relation.left) - sum(report.values[c] for c in relation.right)


def broken_relations(report: Report) -> list[Broken]:
    """Relations that do not hold, grouped where one number explains several of them.

    A single wrong number breaks its row and its column at once; when every relation a
    cell is in is broken and the same corrected value mends them all, they are one problem
    at that cell, not two.
    """
    broken = [r for r in report.relations if _residual(report, r) != 0]
    member: dict[Cell, list[Relation]] = {}
    for relation in report.relations:
        for cell in {*relation.left, *relation.right}:
            member.setdefault(cell, []).append(relation)
    out: list[Broken] = []
    open_ = list(broken)
    while open_:
        best: tuple[int, Cell, int] | None = None
        for cell, relations in member.items():
            if len(relations) < 2 or any(r not in open_ for r in relations):
                continue
            implied = {report.values[cell] - _residual(report, r) * (1 if cell in r.left else -1)
                       for r in relations}
            if len(implied) == 1 and (best is None or len(relations) > best[0]):
                best = (len(relations), cell, implied.pop())
        if best is None:
            break
        _, cell, expected = best
        relations = member[cell]
        out.append(Broken(tuple(relations), cell, report.values[cell], expected))
        open_ = [r for r in open_ if r not in relations]
    out.extend(Broken((r,), None, None, None) for r in open_)
    return out


def missing_parts(text: str, kind: SiteKind) -> list[str]:
    """Sections 一 to 六 the text lacks, and (a government's) 第五十条(四) statements."""
    missing = [f"{numeral}、{name}" for numeral, name, pattern in SECTIONS
               if not re.search(pattern, text)]
    if kind == "government":
        absent = [name for name, pattern in ASSESSMENTS if not re.search(pattern, text)]
        if absent:
            missing.append("工作考核、社会评议和责任追究结果情况（缺" + "、".join(absent) + "）")
    return missing


class InconsistentEvidence(TypedDict):
    relations: list[dict[str, object]]
    cell: str | None
    value: int | None
    expected: int | None


class IncompleteEvidence(TypedDict):
    missing: str
    kind: str


class MissingEvidence(TypedDict):
    year: int
    deadline: str
    kind: str


def _relation_json(report: Report, relation: Relation) -> dict[str, object]:
    return {"relation": relation.description,
            "left": sum(report.values[c] for c in relation.left),
            "right": sum(report.values[c] for c in relation.right)}


def _cell_name(cell: Cell) -> str:
    return cell[0] if cell[0].startswith("正文") else f"“{cell[0]}”行“{cell[1]}”列"


def inconsistencies(report: Report, *, url: str, site: str | None) -> Iterator[Finding]:
    for problem in broken_relations(report):
        relations = [_relation_json(report, r) for r in problem.relations]
        if problem.cell is not None:
            message = (f"年度报告中{_cell_name(problem.cell)}为 {problem.value}，与 "
                       f"{len(relations)} 处合计关系不符，按其他数字应为 {problem.expected}")
            key = f"{problem.cell[0]}|{problem.cell[1]}"
        else:
            first = relations[0]
            message = (f"年度报告数字不一致：{first['relation']}，"
                       f"但左边为 {first['left']}，右边为 {first['right']}")
            key = problem.relations[0].key
        yield Finding(
            rule=ANNUAL_REPORT_INCONSISTENT.id, severity=Severity.DEDUCT, url=url, site=site,
            text=key, message=message,
            evidence=InconsistentEvidence(
                relations=relations, cell=None if problem.cell is None else _cell_name(problem.cell),
                value=problem.value, expected=problem.expected))


def incompleteness(text: str, kind: SiteKind, *, url: str, site: str | None) -> Iterator[Finding]:
    for part in missing_parts(text, kind):
        yield Finding(
            rule=ANNUAL_REPORT_INCOMPLETE.id, severity=Severity.WARN, url=url, site=site,
            text=part, message=f"年度报告缺少条例第五十条要求的内容：{part}",
            evidence=IncompleteEvidence(missing=part, kind=kind))


def looks_like_report(text: str, title: str = "") -> bool:
    """A document that is (a draft of) an annual report: its title, or the format's sections."""
    if REPORT_TITLE.search(title):
        return True
    return sum(bool(re.search(p, text)) for _, _, p in SECTIONS) >= 4 and "政府信息公开" in text


def check_report(text: str, tables: Sequence[Table] = (), *, kind: SiteKind | None = None,
                 name: str = "", url: str = "", site: str | None = None) -> list[Finding]:
    """The annual-report content rules on one report (a draft or a published page).

    ``kind`` defaults to what ``name`` (the issuing body or the report's title) says, and to
    government when neither says 人民政府 nor 部门 (the strict reading: every part required).
    """
    chosen: SiteKind = kind or ("government" if not name else site_kind(name))
    report = parse_report(text, tables)
    return [*inconsistencies(report, url=url, site=site),
            *incompleteness(text, chosen, url=url, site=site)]


# --- on a site ---------------------------------------------------------------------


def _kind(settings: Settings, snapshot: SiteSnapshot) -> SiteKind:
    for config in settings.sites:
        if config.name == snapshot.name:
            return config.effective_kind
    return site_kind(snapshot.name)


def report_year(title: str) -> int | None:
    """The year a report title reports on, when it is an annual report's title."""
    if not REPORT_TITLE.search(title):
        return None
    m = _YEAR.search(title) or re.search(r"(20\d\d)", title)
    return int(m.group(1)) if m else None


def _titles(snapshot: SiteSnapshot) -> Iterator[tuple[str, str]]:
    for item in snapshot.home_items:
        yield item.title, item.url
    for column in snapshot.columns:
        for entry in column.entries:
            yield entry.title, entry.url
    for document in snapshot.documents:
        yield document.title, document.url


def _deadline(settings: Settings, kind: SiteKind, year: int) -> date:
    cfg = settings.checks
    month, day = (cfg.annual_report_deadline_government if kind == "government"
                  else cfg.annual_report_deadline_department).split("-")
    return date(year, int(month), int(day))


def annual_report_missing(snapshot: Snapshot, settings: Settings, as_of: date) -> Iterator[Finding]:
    """政府信息公开工作年度报告未按时发布。

    ## 检查内容 What it checks
    监测时间点已过条例第四十九条的期限（部门 1 月 31 日，人民政府 3 月 31 日），网站上仍找不到
    上一年度的政府信息公开工作年度报告：标题含该年份和“政府信息公开工作年度报告”（或“年报”）
    的栏目条目、首页条目或页面。网站类型取配置 ``kind``，未配置时名称含“人民政府”的按人民政府。

    ## 为何重要 Why it matters
    《政府信息公开条例》第四十九条规定年度报告的发布期限，国办秘函〔2019〕19号把政府信息公开
    年度报告列入政务公开检查内容；逾期未发布会被扣分并通报。

    ## 示例 Example
    监测时间点 2024-04-02，区人民政府网站上没有“2023年政府信息公开工作年度报告”：扣分。

    ## 如何整改 How to fix
    按规定格式编制上一年度报告，在期限前发布在政府信息公开专栏的“年报”栏目。
    """
    if not isinstance(snapshot, SiteSnapshot) or not snapshot.homepage_fetched:
        return
    kind = _kind(settings, snapshot)
    year = as_of.year - 1
    deadline = _deadline(settings, kind, as_of.year)
    if as_of <= deadline:
        return
    if any(report_year(title) == year for title, _ in _titles(snapshot)):
        return
    label = "人民政府" if kind == "government" else "部门"
    yield Finding(
        rule=ANNUAL_REPORT_MISSING.id, severity=Severity.DEDUCT, url=snapshot.url,
        site=snapshot.name,
        message=f"截至 {as_of.isoformat()} 网站上未找到 {year} 年政府信息公开工作年度报告"
                f"（{label}应于 {deadline.isoformat()} 前发布）",
        evidence=MissingEvidence(year=year, deadline=deadline.isoformat(), kind=kind))


def newest_report(snapshot: SiteSnapshot) -> Document | None:
    """The newest annual report on the site: the page or attachment whose numbers can be read.

    Candidates are documents whose title names a report year, and attachments linked from
    them; the newest year wins, and within it the one whose tables parse.
    """
    by_url = {d.url: d for d in snapshot.documents}
    candidates: list[tuple[int, int, Document]] = []
    for document in snapshot.documents:
        year = report_year(document.title)
        if year is None and document.kind == "attachment":
            parents = [by_url[p] for p in document.linked_from if p in by_url]
            year = max((y for p in parents if (y := report_year(p.title))), default=None)
        if year is None:
            continue
        report = parse_report(document.text, document.tables)
        readable = int(report.found_applications) + int(report.found_reviews)
        candidates.append((year, readable, document))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1], len(c[2].text)))[2]


def annual_report_inconsistent(snapshot: Snapshot, settings: Settings,
                               as_of: date) -> Iterator[Finding]:
    """年度报告数字前后矛盾。

    ## 检查内容 What it checks
    网站上最新一份年度报告（2021 年新格式，国办公开办函〔2021〕30号）第三、四部分表格中的数字：
    第三部分每个申请人列“本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理”、“（七）总计 =
    （一）至（六）之和”，每行“总计 = 各类申请人之和”；第四部分每个“总计 = 四种结果之和”；正文中
    复述的本年新收、上年结转、办结、结转件数须与表格一致。表格可以是网页表格（含合并单元格、
    拆成多张的表格）或附件 .docx/.pdf。一个数字同时破坏几处关系时合为一条，指出该数字。

    ## 为何重要 Why it matters
    年度报告是政务公开考核的必查材料（国办秘函〔2019〕19号“政务公开”指标），表格数字对不上
    会被认定为报告质量问题并扣分，也影响公众对公开数据的信任。

    ## 示例 Example
    “自然人”列本年新收 91 + 上年结转 0 = 91，而（七）总计 78 + 结转下年度 14 = 92：扣分。

    ## 如何整改 How to fix
    核对原始台账，改正错误数字后重新发布报告，并在发布前用 ``xunwang check-report`` 检查。
    """
    if not isinstance(snapshot, SiteSnapshot):
        return
    document = newest_report(snapshot)
    if document is None:
        return
    report = parse_report(document.text, document.tables)
    yield from inconsistencies(report, url=document.url, site=snapshot.name)


def annual_report_incomplete(snapshot: Snapshot, settings: Settings,
                             as_of: date) -> Iterator[Finding]:
    """年度报告内容不全。

    ## 检查内容 What it checks
    最新一份年度报告缺少条例第五十条要求的部分：格式规定的一至六部分（总体情况、主动公开、
    收到和处理申请、行政复议和诉讼、存在的问题及改进、其他需要报告的事项）之一；人民政府的
    报告还须说明工作考核、社会评议和责任追究结果情况（第五十条（四））。每缺一项一条提示。

    ## 为何重要 Why it matters
    内容完整是年度报告的基本要求，国办秘函〔2019〕19号政务公开检查会逐项核对；缺项的报告
    需要重新编制发布。

    ## 示例 Example
    区政府报告写了“建管考核”，但没有社会评议和责任追究结果：提示。

    ## 如何整改 How to fix
    按格式补齐缺少的部分；没有相关情况的，也应写明“无”或说明原因。
    """
    if not isinstance(snapshot, SiteSnapshot):
        return
    document = newest_report(snapshot)
    if document is None:
        return
    yield from incompleteness(document.text, _kind(settings, snapshot), url=document.url,
                              site=snapshot.name)


ANNUAL_REPORT_MISSING = Rule(
    "annual-report-missing", Severity.DEDUCT, "政务公开", "年度报告未按时发布",
    doc_of(annual_report_missing), Scope.SITE, MissingEvidence)
ANNUAL_REPORT_INCONSISTENT = Rule(
    "annual-report-inconsistent", Severity.DEDUCT, "政务公开", "年度报告数字矛盾",
    doc_of(annual_report_inconsistent), Scope.DOCUMENT, InconsistentEvidence)
ANNUAL_REPORT_INCOMPLETE = Rule(
    "annual-report-incomplete", Severity.WARN, "政务公开", "年度报告内容不全",
    doc_of(annual_report_incomplete), Scope.DOCUMENT, IncompleteEvidence)
