"""The seed's annual report (tables flattened with ``|``) as an HTML page with real tables.

Section 三 gets the national format's merged cells: the header's 申请人情况 / 法人或其他组织
spans, 三、本年度办理结果 spanning every result row, (三)不予公开 and its siblings spanning
their numbered sub-rows; the table is split in two <table>s (header, body), a few numbers
are written with full-width digits and padding. Section 四 gets its two-level header with
colspans. Other tables are plain. Paragraphs are <p>.
"""

from __future__ import annotations

import html
import re

_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_NUM = re.compile(r"^\d+$")
_LEVEL0 = re.compile(r"^[一二三四五六七八九十]、")
_LEVEL1 = re.compile(r"^[(（][一二三四五六七八九十][)）]")
_LEVEL2 = re.compile(r"^\d+[.．]")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("|")]


def _number_cell(value: str, index: int) -> str:
    # every fifth number full-width, every seventh padded: the parser must read both
    shown = value.translate(_FULL) if index % 5 == 3 else value
    shown = f"&nbsp;{shown} " if index % 7 == 2 else shown
    return f"<td>{shown}</td>"


def _applications(lines: list[str]) -> str:
    """Section 三's lines (after its heading) as two tables with merged cells."""
    head = (
        '<table border="1"><tr><td rowspan="3" colspan="3"></td>'
        '<th colspan="7">申请人情况</th></tr>'
        '<tr><th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th>'
        '<th rowspan="2">总计</th></tr>'
        "<tr><th>商业企业</th><th>科研机构</th><th>社会公益组织</th><th>法律服务机构</th>"
        "<th>其他</th></tr></table>"
    )
    rows: list[tuple[str, str, str, list[str]]] = []  # (level0, level1, level2, numbers)
    level0 = level1 = ""
    for line in lines:
        cells = [c for c in _cells(line) if c]
        if not cells or not any(_NUM.match(c) for c in cells):
            continue
        labels = [c for c in cells if not _NUM.match(c)]
        numbers = [c for c in cells if _NUM.match(c)]
        level2 = ""
        for label in labels:
            if _LEVEL0.match(label):
                level0, level1 = label, ""
            elif _LEVEL1.match(label):
                level1 = label
            elif _LEVEL2.match(label):
                level2 = label
        rows.append((level0, level1, level2, numbers))
    body = ['<table border="1">']
    counter = 0
    for index, (l0, l1, l2, numbers) in enumerate(rows):
        out = ["<tr>"]
        span0 = sum(1 for r in rows if r[0] == l0)
        first0 = index == 0 or rows[index - 1][0] != l0
        if not l1:
            out.append(f'<td colspan="3">{html.escape(l0)}</td>')
        else:
            if first0:
                out.append(f'<td rowspan="{span0}">{html.escape(l0)}</td>')
            span1 = sum(1 for r in rows if r[0] == l0 and r[1] == l1)
            first1 = index == 0 or rows[index - 1][:2] != (l0, l1)
            if not l2:
                out.append(f'<td colspan="2">{html.escape(l1)}</td>')
            else:
                if first1:
                    out.append(f'<td rowspan="{span1}">{html.escape(l1)}</td>')
                out.append(f"<td>{html.escape(l2)}</td>")
        for value in numbers:
            out.append(_number_cell(value, counter))
            counter += 1
        out.append("</tr>")
        body.append("".join(out))
    body.append("</table>")
    return head + "\n" + "\n".join(body)


def _reviews(lines: list[str]) -> str:
    numbers = next(([c for c in _cells(line) if c] for line in lines
                    if sum(1 for c in _cells(line) if _NUM.match(c)) >= 15), [])
    results = "".join(f"<th>{r}</th>" for r in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"))
    return (
        '<table border="1"><tr><th colspan="5" rowspan="2">行政复议</th>'
        '<th colspan="10">行政诉讼</th></tr>'
        '<tr><th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th></tr>'
        f"<tr>{results * 3}</tr>"
        "<tr>" + "".join(f"<td>{v}</td>" for v in numbers) + "</tr></table>"
    )


def _plain(lines: list[str]) -> str:
    rows = []
    for line in lines:
        cells = [c for c in _cells(line) if c]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return '<table border="1">' + "".join(rows) + "</table>"


def report_html(text: str, title: str = "2023年政府信息公开工作年度报告") -> str:
    """The report as a page: headings and paragraphs as <p>, table lines as real tables."""
    parts: list[str] = []
    section = ""
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        if section.startswith("三、"):
            parts.append(_applications(block))
        elif section.startswith("四、"):
            parts.append(_reviews(block))
        else:
            parts.append(_plain(block))
        block.clear()

    for line in text.splitlines():
        if "|" in line:
            block.append(line)
            continue
        flush()
        if _LEVEL0.match(line.strip()):
            section = line.strip()
        if line.strip():
            parts.append(f"<p>{html.escape(line.strip())}</p>")
    flush()
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><h1>{title}</h1><div class='article'>" + "\n".join(parts)
            + "</div></body></html>")
