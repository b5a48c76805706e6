"""The 整改清单 export: items as an .xlsx sheet or a CSV file in the columns offices use.

Every text cell is crawled or typed by someone else, so a cell that a spreadsheet would
read as a formula (``= + - @``, or a leading tab/CR) is prefixed with ``'``; control
characters that the xlsx format cannot hold are dropped.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from checks.model import SEVERITY_LABELS, Severity
from core.settings import Settings, screenshot_dir
from reports.evidence_text import evidence_text
from store.screenshots import newest_for_items

if TYPE_CHECKING:
    from rectification.views import ItemView

@dataclass(frozen=True)
class Column:
    """One column of the 整改清单: its header, width (characters) and whether it wraps."""

    title: str
    width: int
    wrap: bool = False


# The one list of columns, in order (xlsx and CSV alike); ``rows`` yields cells in this order.
COLUMNS: tuple[Column, ...] = (
    Column("序号", 6), Column("问题编号", 9), Column("网站/账号", 20), Column("栏目", 14),
    Column("问题类型", 22), Column("严重程度", 9), Column("问题描述", 50, wrap=True),
    Column("证据", 50, wrap=True), Column("网址", 45, wrap=True), Column("责任单位", 14),
    Column("发现时间", 12), Column("整改时限", 12), Column("是否超期", 9),
    Column("状态", 12), Column("整改情况", 16), Column("复核结果", 18),
    Column("整改措施/销号说明", 40, wrap=True), Column("截图", 28),
)
HEADERS: tuple[str, ...] = tuple(c.title for c in COLUMNS)
_SHOT = HEADERS.index("截图")
# A thumbnail in the 截图 cell: 192 x 135 px, the row made tall enough (points = px * 0.75).
_THUMB_PX = (192, 135)
_THUMB_ROW_POINTS = 106
_HAS_SHOT = "见截图"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# state -> (整改情况, 复核结果)
_PROGRESS = {
    "to_confirm": ("待确认", ""),
    "open": ("未整改", ""),
    "fixed_pending": ("已整改", "待复核"),
    "closed": ("已整改", "复核通过，已销号"),
    "sent_back": ("已整改", "整改未到位，退回"),
    "dismissed": ("无需整改（已忽略）", "已忽略"),
    "dismiss_requested": ("申请忽略待审核", ""),
}
MANUAL_CLOSE = "人工销号"


@dataclass(frozen=True)
class Closing:
    """How a closed item was closed: by the office (``close``) or a patrol, and the note."""

    action: str
    note: str

    @property
    def manual(self) -> bool:
        return self.action == "close"


Cell = str | int | date | None


def safe_text(value: str) -> str:
    """``value`` with control characters dropped and a formula start neutralised."""
    value = _ILLEGAL.sub("", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _problem_type(item: ItemView) -> str:
    try:
        label = SEVERITY_LABELS[Severity(item.severity)]
    except ValueError:
        label = item.severity
    title = item.rule_title or item.rule
    # Some titles already name their severity (栏目不更新（单项否决）): say it once.
    return title if label in title else f"{title}（{label}）"


def _description(item: ItemView) -> str:
    parts = [item.message]
    title = item.evidence.get("page_title")
    if isinstance(title, str) and title:
        parts.append(f"页面标题：{title}")
    if item.column:
        parts.append(f"栏目：{item.column}")
    if item.text and item.text not in item.message:
        parts.append(f"涉及内容：{item.text}")
    if item.suggestion:
        parts.append(f"建议改为：{item.suggestion}")
    if item.target:
        parts.append(f"失效链接：{item.target}")
    if item.regressions:
        parts.append(f"已复发 {item.regressions} 次")
    return "；".join(parts)


def _progress(item: ItemView, closing: Closing | None) -> tuple[str, str]:
    situation, review = _PROGRESS.get(item.state, (item.state_label, ""))
    if item.state == "closed" and closing is not None and closing.manual:
        situation, review = "已整改", MANUAL_CLOSE  # not a re-check the patrol passed
    if item.overdue and item.state in ("open", "sent_back", "to_confirm", "dismiss_requested"):
        situation += "（已逾期）"
    return situation, review


def _note(item: ItemView, closing: Closing | None) -> str:
    parts = [item.fix_note] if item.fix_note else []
    if item.state == "closed" and closing is not None and closing.note \
            and closing.note != item.fix_note:
        parts.append(f"{MANUAL_CLOSE if closing.manual else '销号'}：{closing.note}")
    return "\n".join(parts)


def rows(items: Sequence[ItemView], closings: Mapping[int, Closing] | None = None,
         shots: Mapping[int, Path] | None = None) -> Iterator[tuple[Cell, ...]]:
    """One tuple per item in COLUMNS order, text already made safe (``shots``: item id ->
    its screenshot thumbnail; the 截图 cell says whether there is one)."""
    closings, shots = closings or {}, shots or {}
    for number, item in enumerate(items, start=1):
        closing = closings.get(item.id)
        situation, review = _progress(item, closing)
        severity = SEVERITY_LABELS.get(item.severity, item.severity)
        texts = (
            item.place, item.column or "", _problem_type(item), severity, _description(item),
            evidence_text(item.evidence), item.url, item.unit or "未分配",
        )
        yield (
            number, item.id, *(safe_text(t) for t in texts), item.first_seen, item.deadline,
            "是" if item.overdue else "否", safe_text(item.state_label), safe_text(situation),
            safe_text(review), safe_text(_note(item, closing)),
            _HAS_SHOT if item.id in shots else "",
        )


def _letter(index: int) -> str:
    return get_column_letter(index)


def _title(unit: str | None, as_of: date | None) -> str:
    who = unit or "全部责任单位"
    when = f"（截至 {as_of.isoformat()}）" if as_of else ""
    return f"整改清单 · {who}{when}"


def write_xlsx(
    items: Sequence[ItemView], target: Path | BinaryIO, *, unit: str | None = None,
    as_of: date | None = None, closings: Mapping[int, Closing] | None = None,
    shots: Mapping[int, Path] | None = None,
) -> None:
    """The 整改清单 as one sheet: a title row (unit, as-of), a filtered header, wrapped
    text, dates as real dates, set up to print landscape on A4, one page wide; each item
    with a screenshot has its thumbnail in the 截图 cell (``shots``: item id -> file).

    Written in openpyxl's write-only mode: 100,000 rows take seconds, not minutes.
    """
    book = Workbook(write_only=True)
    sheet = book.create_sheet("整改清单")
    last = _letter(len(COLUMNS))
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    sheet.auto_filter.ref = f"A2:{last}{len(items) + 2}"
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.print_title_rows = "2:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    title = WriteOnlyCell(sheet, value=_title(unit, as_of))
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    shots = shots or {}
    for line, (item, row) in enumerate(zip(items, rows(items, closings, shots), strict=True),
                                       start=3):
        # openpyxl gives date values a date format itself.
        cells: list[Any] = []
        for column, value in zip(COLUMNS, row, strict=True):
            cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # dates are fine
            cell.alignment = wrap if column.wrap else top
            cells.append(cell)
        thumb = shots.get(item.id)
        if thumb is not None:
            cells[_SHOT].value = ""  # the picture says it
            _add_thumbnail(sheet, thumb, f"{_letter(_SHOT + 1)}{line}")
            sheet.row_dimensions[line].height = _THUMB_ROW_POINTS
        sheet.append(cells)
    book.save(target)


def _add_thumbnail(sheet: Any, path: Path, anchor: str) -> None:
    from openpyxl.drawing.image import Image as SheetImage

    picture = SheetImage(str(path))
    picture.width, picture.height = _fit(picture.width, picture.height)
    sheet.add_image(picture, anchor)


def _fit(width: int, height: int) -> tuple[int, int]:
    scale = min(_THUMB_PX[0] / max(width, 1), _THUMB_PX[1] / max(height, 1), 1.0)
    return max(1, round(width * scale)), max(1, round(height * scale))


def write_csv(
    items: Sequence[ItemView], target: Path | BinaryIO, *,
    closings: Mapping[int, Closing] | None = None, shots: Mapping[int, Path] | None = None,
) -> None:
    """The 整改清单 as CSV in UTF-8 with a BOM, so Excel opens the Chinese text right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in rows(items, closings, shots):
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else v
                         for v in row])
    data = buffer.getvalue().encode("utf-8-sig")
    if isinstance(target, Path):
        target.write_bytes(data)
    else:
        target.write(data)


def thumbnails(session: Session, settings: Settings, item_ids: Iterable[int]) -> dict[int, Path]:
    """Item id -> the thumbnail file of its newest screenshot, for the items that have one."""
    root = screenshot_dir(settings).resolve()
    out: dict[int, Path] = {}
    for item_id, shot in newest_for_items(session, item_ids).items():
        if not shot.thumb:
            continue
        path = (root / shot.thumb).resolve()
        if path.is_relative_to(root) and path.is_file():
            out[item_id] = path
    return out
