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
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from sqlalchemy.orm import Session

from checks.model import SEVERITY_LABELS, Severity
from core.settings import Settings, screenshot_dir
from store.screenshots import newest_for_items

if TYPE_CHECKING:
    from rectification.views import ItemView

COLUMNS = (
    "序号", "问题类型", "问题描述", "网址", "责任单位",
    "发现时间", "整改时限", "整改措施", "整改情况", "复核结果", "截图",
)
_WIDTHS = (6, 22, 60, 50, 16, 12, 12, 40, 16, 22, 28)
_DESCRIPTION = 2
_SHOT = COLUMNS.index("截图")
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
}

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


def _progress(item: ItemView) -> tuple[str, str]:
    situation, review = _PROGRESS.get(item.state, (item.state_label, ""))
    if item.overdue and item.state in ("open", "sent_back", "to_confirm"):
        situation += "（已逾期）"
    return situation, review


def rows(items: Sequence[ItemView],
         shots: Mapping[int, Path] | None = None) -> Iterator[tuple[Cell, ...]]:
    """One tuple per item in COLUMNS order, text already made safe (``shots``: item id ->
    its screenshot thumbnail; the 截图 cell says whether there is one)."""
    shots = shots or {}
    for number, item in enumerate(items, start=1):
        situation, review = _progress(item)
        texts = (
            _problem_type(item), _description(item), item.url, item.unit or "未分配",
        )
        yield (
            number, *(safe_text(t) for t in texts), item.first_seen, item.deadline,
            safe_text(item.fix_note or ""), safe_text(situation), safe_text(review),
            _HAS_SHOT if item.id in shots else "",
        )


def _letter(index: int) -> str:
    return chr(65 + index)  # COLUMNS stay within A..Z


def write_xlsx(items: Sequence[ItemView], target: Path | BinaryIO,
               shots: Mapping[int, Path] | None = None) -> None:
    """The 整改清单 as one sheet, header frozen, dates as real dates, and for each item with
    a screenshot its thumbnail in the 截图 cell (``shots``: item id -> thumbnail file).

    Written in openpyxl's write-only mode: 100,000 rows take seconds, not minutes.
    """
    shots = shots or {}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("整改清单")
    for index, width in enumerate(_WIDTHS):
        sheet.column_dimensions[_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for title in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        header.append(cell)
    sheet.append(header)
    wrap = Alignment(wrap_text=True, vertical="top")
    for line, (item, row) in enumerate(zip(items, rows(items, shots), strict=True), start=2):
        # Only the long description wraps; openpyxl gives date values a date format itself.
        cells: list[Any] = list(row)
        cells[_DESCRIPTION] = WriteOnlyCell(sheet, value=str(row[_DESCRIPTION] or ""))
        cells[_DESCRIPTION].alignment = wrap
        thumb = shots.get(item.id)
        if thumb is not None:
            cells[_SHOT] = ""  # the picture says it
            _add_thumbnail(sheet, thumb, f"{_letter(_SHOT)}{line}")
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


def write_csv(items: Sequence[ItemView], target: Path | BinaryIO,
              shots: Mapping[int, Path] | None = None) -> None:
    """The 整改清单 as CSV in UTF-8 with a BOM, so Excel opens the Chinese text right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(items, shots):
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
