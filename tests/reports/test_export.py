"""The 整改清单 export: columns, state mapping, formula and control-character safety."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from rectification.views import ItemView
from reports.export import COLUMNS, safe_text, write_csv, write_xlsx

ITEM = ItemView(
    id=7, rule="wording-typo", rule_title="错别字", severity="deduct", state="open",
    state_label="待整改", regressions=0, unit="财政局", deadline=date(2026, 12, 10),
    overdue=False, due_soon=False, first_seen=date(2026, 11, 1), last_seen=date(2026, 11, 26),
    site="示范区政府网", account=None, url="http://127.0.0.1/a.html", target=None,
    text="按装", column=None, suggestion="安装", message="错别字「按装」应为「安装」",
)


def _xlsx_rows(items: list[ItemView], tmp_path: Path) -> list[tuple[object, ...]]:
    target = tmp_path / "out.xlsx"
    write_xlsx(items, target)
    return list(load_workbook(target).active.iter_rows(values_only=True))


def test_export_xlsx_has_office_columns_and_real_dates(tmp_path: Path) -> None:
    rows = _xlsx_rows([ITEM], tmp_path)
    assert rows[0] == COLUMNS
    number, kind, description, url, unit, found, deadline, *_ = rows[1]
    assert (number, kind, url, unit) == (1, "错别字（扣分）", ITEM.url, "财政局")
    assert "建议改为：安装" in str(description)
    assert found == datetime(2026, 11, 1) and deadline == datetime(2026, 12, 10)


def test_export_maps_states_to_progress_and_review(tmp_path: Path) -> None:
    items = [
        replace(ITEM, state="open", overdue=True),
        replace(ITEM, state="fixed_pending", fix_note="已更正"),
        replace(ITEM, state="closed", fix_note="已更正"),
        replace(ITEM, state="sent_back"),
        replace(ITEM, state="dismissed"),
    ]
    rows = _xlsx_rows(items, tmp_path)[1:]
    assert [(r[7], r[8], r[9]) for r in rows] == [
        (None, "未整改（已逾期）", None),
        ("已更正", "已整改", "待复核"),
        ("已更正", "已整改", "复核通过，已销号"),
        (None, "已整改", "整改未到位，退回"),
        (None, "无需整改（已忽略）", "已忽略"),
    ]


def test_export_neutralises_formulas(tmp_path: Path) -> None:
    evil = replace(ITEM, message="=HYPERLINK(\"http://x\",\"y\")", fix_note="+1+1",
                   unit="@SUM(A1)", url="-2+3")
    row = _xlsx_rows([evil], tmp_path)[1]
    assert str(row[2]).startswith("'=HYPERLINK")
    assert (row[3], row[4], row[7]) == ("'-2+3", "'@SUM(A1)", "'+1+1")
    buffer = io.BytesIO()
    write_csv([evil], buffer)
    line = list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))[1]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in line)


def test_export_drops_control_characters_xlsx_cannot_hold(tmp_path: Path) -> None:
    row = _xlsx_rows([replace(ITEM, message="错别字\x00\x1b「按装」")], tmp_path)[1]
    assert str(row[2]).startswith("错别字「按装」")


def test_export_csv_is_utf8_with_bom(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    write_csv([ITEM, replace(ITEM, id=8, deadline=None)], target)
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(COLUMNS)
    assert rows[1][5:7] == ["2026-11-01", "2026-12-10"] and rows[2][6] == ""


def test_safe_text_leaves_ordinary_text_alone() -> None:
    assert safe_text("财政局 -2") == "财政局 -2"
    assert safe_text("\t=1") == "'\t=1"


def test_export_xlsx_dates_display_as_dates(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    write_xlsx([ITEM], target)
    row = list(load_workbook(target).active.iter_rows(min_row=2))[0]
    assert row[5].is_date and row[6].is_date
    assert "yy" in row[5].number_format and "h" not in row[5].number_format


def test_export_problem_type_names_severity_once(tmp_path: Path) -> None:
    veto = replace(ITEM, rule="columns-veto", rule_title="栏目不更新（单项否决）", severity="veto")
    rows = _xlsx_rows([veto, replace(ITEM, severity="veto")], tmp_path)
    assert [row[1] for row in rows[1:]] == ["栏目不更新（单项否决）", "错别字（单项否决）"]
