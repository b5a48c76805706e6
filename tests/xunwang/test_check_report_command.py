"""``xunwang check-report``: the seed's report as HTML, a PDF printed by Chromium, JSON, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.checks.report_html import report_html
from xunwang.cli import main

SEED = "data/annual-report-2023-district.txt"


@pytest.fixture
def seed_html(shared_dir: Path, tmp_path: Path) -> Path:
    text = (shared_dir / SEED).read_text(encoding="utf-8")
    path = tmp_path / "2023年报.html"
    path.write_text(report_html(text.replace("现已办结80件", "现已办结81件")), encoding="utf-8")
    return path


def test_check_report_html_prints_problems_in_chinese(seed_html: Path) -> None:
    result = CliRunner().invoke(main, ["check-report", str(seed_html)])
    assert result.exit_code == 0, result.output
    assert "已核对 46 处数字关系" in result.output and "发现 2 个问题" in result.output
    assert "年度报告数字矛盾" in result.output and "办结" in result.output
    assert "社会评议" in result.output


def test_check_report_json_is_one_object_per_finding(seed_html: Path) -> None:
    result = CliRunner().invoke(main, ["check-report", str(seed_html), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert sorted(f["rule"] for f in found) == ["annual-report-incomplete",
                                                "annual-report-inconsistent"]
    broken = next(f for f in found if f["rule"] == "annual-report-inconsistent")
    assert broken["file"] == str(seed_html)
    assert broken["evidence"]["relations"][0]["left"] == 81


def test_check_report_department_needs_no_assessment_statement(seed_html: Path) -> None:
    result = CliRunner().invoke(main, ["check-report", str(seed_html), "--name", "某区财政局",
                                       "--json"])
    assert [f["rule"] for f in json.loads(result.output)] == ["annual-report-inconsistent"]


def test_check_report_reads_a_real_pdf(seed_html: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    pdf = tmp_path / "report.pdf"
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        page.set_content(seed_html.read_text(encoding="utf-8"))
        page.pdf(path=str(pdf))
        browser.close()
    result = CliRunner().invoke(main, ["check-report", str(pdf), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert sorted(f["rule"] for f in found) == ["annual-report-incomplete",
                                                "annual-report-inconsistent"]


def test_check_report_unreadable_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    result = CliRunner().invoke(main, ["check-report", str(broken)])
    assert result.exit_code == 2
    assert result.output.startswith("错误: ") and len(result.output.strip().splitlines()) == 1
    missing = CliRunner().invoke(main, ["check-report", str(tmp_path / "none.pdf")])
    assert missing.exit_code == 2
