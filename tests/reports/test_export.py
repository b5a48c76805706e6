"""The 整改清单 export: columns, state mapping, layout, formula and control-character safety."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from rectification.views import ItemView
from reports.export import HEADERS, Closing, safe_text, write_csv, write_xlsx

ITEM = ItemView(
    id=7, rule="wording-typo", rule_title="错别字", severity="deduct", state="open",
    state_label="待整改", regressions=0, unit="财政局", deadline=date(2026, 12, 10),
    overdue=False, due_soon=False, first_seen=date(2026, 11, 1), last_seen=date(2026, 11, 26),
    site="示范区政府网", account=None, url="http://127.0.0.1/a.html", target=None,
    text="按装", column="通知公告", suggestion="安装", message="错别字「按装」应为「安装」",
    evidence={"before": "请尽快", "match": "按装", "after": "设备", "published": "2026-10-01"},
)


def _xlsx(items: list[ItemView], tmp_path: Path, **kwargs: Any) -> Any:
    target = tmp_path / "out.xlsx"
    write_xlsx(items, target, **kwargs)
    return load_workbook(target).active


def _records(items: list[ItemView], tmp_path: Path, **kwargs: Any) -> list[dict[str, Any]]:
    rows = list(_xlsx(items, tmp_path, **kwargs).iter_rows(values_only=True))
    assert rows[1] == HEADERS
    return [dict(zip(HEADERS, row, strict=True)) for row in rows[2:]]


def test_export_has_each_fact_in_its_own_column(tmp_path: Path) -> None:
    [row] = _records([replace(ITEM, overdue=True, fix_note="已更正")], tmp_path)
    assert row["问题编号"] == 7 and row["网站/账号"] == "示范区政府网"
    assert row["栏目"] == "通知公告" and row["严重程度"] == "扣分"
    assert row["问题类型"] == "错别字（扣分）" and row["状态"] == "待整改"
    assert row["是否超期"] == "是" and row["整改措施/销号说明"] == "已更正"
    assert "…请尽快【按装】设备…" in row["证据"] and "发布日期：2026-10-01" in row["证据"]
    assert "建议改为：安装" in row["问题描述"]
    assert row["发现时间"] == datetime(2026, 11, 1) and row["整改时限"] == datetime(2026, 12, 10)


def test_export_manual_close_is_not_a_passed_recheck(tmp_path: Path) -> None:
    manual = replace(ITEM, id=1, state="closed", state_label="已销号")
    verified = replace(ITEM, id=2, state="closed", state_label="已销号", fix_note="已更正")
    rows = _records([manual, verified], tmp_path, closings={
        1: Closing("close", "线下已整改，无法复查"), 2: Closing("auto_closed", "复查未再发现")})
    assert rows[0]["复核结果"] == "人工销号"
    assert rows[0]["整改措施/销号说明"] == "人工销号：线下已整改，无法复查"
    assert rows[1]["复核结果"] == "复核通过，已销号"


def test_export_maps_states_to_progress_and_review(tmp_path: Path) -> None:
    items = [
        replace(ITEM, state="open", overdue=True),
        replace(ITEM, state="fixed_pending", fix_note="已更正"),
        replace(ITEM, state="sent_back"),
        replace(ITEM, state="dismissed"),
        replace(ITEM, state="dismiss_requested"),
    ]
    rows = _records(items, tmp_path)
    assert [(r["整改情况"], r["复核结果"]) for r in rows] == [
        ("未整改（已逾期）", None), ("已整改", "待复核"), ("已整改", "整改未到位，退回"),
        ("无需整改（已忽略）", "已忽略"), ("申请忽略待审核", None)]


def test_export_layout_title_filter_wrap_print(tmp_path: Path) -> None:
    sheet = _xlsx([ITEM, replace(ITEM, id=8)], tmp_path, unit="财政局", as_of=date(2026, 11, 27))
    assert sheet["A1"].value == "整改清单 · 财政局（截至 2026-11-27）"
    assert "A1:" in str(sheet.merged_cells)
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(2, len(HEADERS)).column_letter}4"
    assert sheet.freeze_panes == "A3"
    description = HEADERS.index("问题描述") + 1
    assert sheet.cell(3, description).alignment.wrap_text
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows in ("2:2", "$2:$2")
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert _xlsx([ITEM], tmp_path)["A1"].value.startswith("整改清单 · 全部责任单位")


def test_export_neutralises_formulas(tmp_path: Path) -> None:
    evil = replace(ITEM, message="=HYPERLINK(\"http://x\",\"y\")", fix_note="+1+1",
                   unit="@SUM(A1)", url="-2+3")
    [row] = _records([evil], tmp_path)
    assert str(row["问题描述"]).startswith("'=HYPERLINK")
    assert (row["网址"], row["责任单位"], row["整改措施/销号说明"]) == (
        "'-2+3", "'@SUM(A1)", "'+1+1")
    buffer = io.BytesIO()
    write_csv([evil], buffer)
    line = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))[1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in line)


def test_export_drops_control_characters_xlsx_cannot_hold(tmp_path: Path) -> None:
    [row] = _records([replace(ITEM, message="错别字\x00\x1b「按装」")], tmp_path)
    assert str(row["问题描述"]).startswith("错别字「按装」")


def test_export_csv_is_utf8_with_bom(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    write_csv([ITEM, replace(ITEM, id=8, deadline=None)], target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(HEADERS)
    found, deadline = HEADERS.index("发现时间"), HEADERS.index("整改时限")
    assert (rows[1][found], rows[1][deadline]) == ("2026-11-01", "2026-12-10")
    assert rows[2][deadline] == ""


def test_safe_text_leaves_ordinary_text_alone() -> None:
    assert safe_text("财政局 -2") == "财政局 -2"
    assert safe_text("\t=1") == "'\t=1"


def test_export_xlsx_dates_display_as_dates(tmp_path: Path) -> None:
    sheet = _xlsx([ITEM], tmp_path)
    cell = sheet.cell(3, HEADERS.index("发现时间") + 1)
    assert cell.is_date and "yy" in cell.number_format and "h" not in cell.number_format


def test_export_problem_type_names_severity_once(tmp_path: Path) -> None:
    veto = replace(ITEM, rule="columns-veto", rule_title="栏目不更新（单项否决）", severity="veto")
    rows = _records([veto, replace(ITEM, severity="veto")], tmp_path)
    assert [r["问题类型"] for r in rows] == ["栏目不更新（单项否决）", "错别字（单项否决）"]
