"""Annual reports: the seed's real report as HTML, DOCX and PDF-like text, and one-number edits."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from lxml import html

from checks.annual_report import check_report, parse_report
from checks.model import Document
from checks.runner import run_checks
from core.settings import Settings, SiteConfig
from crawler.extract.tables import document_content, html_tables

from .builders import HOME, entry, site
from .report_html import report_html

SEED = "data/annual-report-2023-district.txt"


@pytest.fixture(scope="module")
def seed(shared_dir: Path) -> str:
    return (shared_dir / SEED).read_text(encoding="utf-8")


def _check_html(text: str) -> list[tuple[str, str | None]]:
    page_text, tables = document_content(report_html(text).encode("utf-8"), "html")
    return [(f.rule, f.text) for f in check_report(page_text, tables)]


def test_seed_report_as_html_passes_every_relation_and_lacks_only_assessment_results(seed: str) -> None:
    page_text, tables = document_content(report_html(seed).encode("utf-8"), "html")
    report = parse_report(page_text, tables)
    assert report.found_applications and report.found_reviews
    # 93 + 0 = 80 + 13 in the 总计 column, read from merged cells and full-width digits
    assert report.values[("一、本年新收政府信息公开申请数量", "总计")] == 93
    assert report.values[("四、结转下年度继续办理", "总计")] == 13
    assert report.values[("行政复议和行政诉讼", "行政复议·总计")] == 4
    assert len(report.relations) >= 40 and any(r.key.startswith("正文|办结") for r in report.relations)
    found = check_report(page_text, tables)
    assert [(f.rule, f.severity) for f in found] == [("annual-report-incomplete", "warn")]
    assert "社会评议" in found[0].message and "责任追究" in found[0].message
    assert "工作考核" not in found[0].message.split("（缺")[1]


def _numeric_cells(text: str) -> list[tuple[int, int]]:
    """(line index, cell index) of every number in the tables of sections 三 and 四."""
    out = []
    section = ""
    for index, line in enumerate(text.splitlines()):
        if "|" not in line and re.match(r"^[一二三四五六]、", line):
            section = line[:2]
        if "|" in line and section in ("三、", "四、"):
            out += [(index, i) for i, cell in enumerate(line.split("|"))
                    if re.fullmatch(r"\s*\d+\s*", cell)]
    return out


def _changed(text: str, line: int, cell: int) -> str:
    lines = text.splitlines()
    cells = lines[line].split("|")
    cells[cell] = f" {int(cells[cell]) + 1} "
    lines[line] = "|".join(cells)
    return "\n".join(lines)


def test_every_single_changed_table_number_is_exactly_one_inconsistency(seed: str) -> None:
    cells = _numeric_cells(seed)
    assert len(cells) == 25 * 7 + 15  # 25 rows of 7 applicant columns + section 四's 15
    for line, cell in cells:
        found = _check_html(_changed(seed, line, cell))
        inconsistent = [f for f in found if f[0] == "annual-report-inconsistent"]
        assert len(inconsistent) == 1, (seed.splitlines()[line][:40], cell, found)
        assert [f for f in found if f[0] == "annual-report-incomplete"]


@pytest.mark.parametrize(("old", "new"), [
    ("依申请公开93件", "依申请公开94件"), ("上年结转0件", "上年结转1件"),
    ("现已办结80件", "现已办结81件"), ("继续办理13件", "继续办理12件"),
])
def test_a_number_restated_in_the_text_must_equal_its_cell(seed: str, old: str, new: str) -> None:
    assert old in seed
    found = [f for f in _check_html(seed.replace(old, new)) if f[0] == "annual-report-inconsistent"]
    assert len(found) == 1 and found[0][1] is not None and found[0][1].startswith("正文")


def test_report_from_pdf_like_text_reads_numbers_after_labels(seed: str) -> None:
    # PDF text: cells come out separated by spaces, not |
    flat = "\n".join(re.sub(r"\s*\|\s*", " ", line).strip() for line in seed.splitlines())
    report = parse_report(flat)
    assert report.found_applications and report.found_reviews
    assert [f.rule for f in check_report(flat)] == ["annual-report-incomplete"]
    broken = flat.replace("(七)总计 78 0 0 0 0 2 80", "(七)总计 79 0 0 0 0 2 80")
    assert [f.rule for f in check_report(broken)].count("annual-report-inconsistent") == 1


def test_report_from_docx_with_merged_cells(seed: str) -> None:
    import docx

    document = docx.Document()
    for line in seed.splitlines():
        if "|" not in line:
            document.add_paragraph(line)
    lines = seed.splitlines()
    section_three = sorted({line for line, _ in _numeric_cells(seed)})[:-1]  # without 四's row
    rows = [[c.strip() for c in lines[i].split("|") if c.strip()] for i in section_three]
    table = document.add_table(rows=len(rows), cols=10)
    for r, cells in enumerate(rows):
        labels = [c for c in cells if not c.isdigit()]
        numbers = [c for c in cells if c.isdigit()]
        table.cell(r, 0).merge(table.cell(r, 2)).text = " ".join(labels)
        for i, value in enumerate(numbers):
            table.cell(r, 3 + i).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    text, tables = document_content(buffer.getvalue(), "docx")
    report = parse_report(text, tables)
    assert report.values[("一、本年新收政府信息公开申请数量", "总计")] == 93
    assert not [f for f in check_report(text, tables) if f.rule == "annual-report-inconsistent"]


def test_merged_cells_of_a_real_page_fill_every_position(shared_dir: Path) -> None:
    folder = shared_dir / "benchmarks/gov-pages/nfra"
    root = html.fromstring((folder / "merged_cells_page_source.html").read_bytes())
    expected = json.loads((folder / "merged_cells_result.json").read_text(encoding="utf-8"))
    grid = next(g for g in html_tables(root) if g and "当事人名称" in g[0])
    header = grid[0]
    first = dict(zip(header, grid[1], strict=True))
    second = dict(zip(header, grid[2], strict=True))
    assert first["当事人名称"] == expected["当事人名称"]
    assert first["主要违法违规行为"] == expected["主要违法违规行为"]
    other = expected["additional_records"][0]
    assert second["主要违法违规行为"] == other["主要违法违规行为"]  # the rowspan cell, repeated
    assert second["作出决定机关"] == other["作出决定机关"]
    assert second["行政处罚内容"] == other["行政处罚内容"]


# --- on a site: present, missing, not yet due, department vs government ---------------


def _settings(kind: str | None) -> Settings:
    return Settings(sites=(SiteConfig(name="示例区政府", url=HOME, kind=kind),))  # type: ignore[arg-type]


def _found(snapshot: object, settings: Settings, as_of: date, rule: str) -> list[str]:
    return [f.message for f in run_checks(snapshot, settings, as_of)  # type: ignore[arg-type]
            if f.rule == rule]


def test_report_missing_after_the_deadline_by_kind() -> None:
    bare = site()
    gov, dept = _settings("government"), _settings("department")
    # a department must publish by 31 January, a government by 31 March
    assert _found(bare, dept, date(2024, 2, 1), "annual-report-missing")
    assert not _found(bare, dept, date(2024, 1, 31), "annual-report-missing")
    assert not _found(bare, gov, date(2024, 3, 31), "annual-report-missing")
    messages = _found(bare, gov, date(2024, 4, 1), "annual-report-missing")
    assert len(messages) == 1 and "2023" in messages[0] and "2024-03-31" in messages[0]


def test_report_present_by_title_in_a_column_or_homepage() -> None:
    gov = _settings("government")
    column = site(columns=(
        __import__("checks.model", fromlist=["Column"]).Column(
            url=f"{HOME}nb/", name="年报", blank=False,
            entries=(entry(30, "安居区2023年政府信息公开工作年度报告"),)),))
    assert not _found(column, gov, date(2024, 4, 1), "annual-report-missing")
    home = site(home_items=(entry(1, "2023年度政务公开年报"),))
    assert not _found(home, gov, date(2024, 4, 1), "annual-report-missing")
    old = site(home_items=(entry(1, "2022年政府信息公开工作年度报告"),))
    assert _found(old, gov, date(2024, 4, 1), "annual-report-missing")


def test_default_kind_follows_the_site_name() -> None:
    assert SiteConfig(name="某区人民政府门户网站", url=HOME).effective_kind == "government"
    assert SiteConfig(name="某区财政局", url=HOME).effective_kind == "department"


def test_newest_report_on_a_site_prefers_its_attachment_with_tables(seed: str) -> None:
    page_text, tables = document_content(report_html(_changed(seed, *_numeric_cells(seed)[0]))
                                         .encode("utf-8"), "html")
    old = Document(url=f"{HOME}nb/2022.html", kind="page", title="2022年政府信息公开工作年度报告",
                   text="一、总体情况")
    new = Document(url=f"{HOME}nb/2023.html", kind="page", title="2023年政府信息公开工作年度报告",
                   text="见附件")
    attached = Document(url=f"{HOME}nb/2023.docx", kind="attachment", title="", text=page_text,
                        tables=tables, linked_from=(new.url,))
    snapshot = site(documents=(old, new, attached))
    found = [f for f in run_checks(snapshot, _settings("government"), date(2024, 4, 1))
             if f.rule.startswith("annual-report-")]
    assert {(f.rule, f.url) for f in found} == {
        ("annual-report-inconsistent", attached.url), ("annual-report-incomplete", attached.url)}
