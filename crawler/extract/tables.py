"""Tables as grids: HTML <table> with rowspan/colspan expanded, and the tables of a .docx.

A grid is a tuple of rows, each a tuple of cell texts; a merged cell's text is repeated in
every position it covers, so a row reads the same whether its label cell was merged or not.
Nested tables are read as their own grids (their text is not repeated in the outer cell).
"""

from __future__ import annotations

import io
import re

from lxml import html

Grid = tuple[tuple[str, ...], ...]

_SPACE = re.compile(r"\s+")
_MAX_SPAN = 200  # a rowspan="9999" must not make a page a million cells


def _cell_text(cell: html.HtmlElement) -> str:
    parts: list[str] = []

    def walk(el: html.HtmlElement) -> None:
        if el.text and el.tag != "table":
            parts.append(el.text)
        for child in el:
            if child.tag == "table":
                if child.tail:
                    parts.append(child.tail)
                continue
            if child.tag == "br":
                parts.append(" ")
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(cell)
    return _SPACE.sub(" ", "".join(parts).replace("\u3000", " ").replace("\xa0", " ")).strip()


def _span(value: str | None) -> int:
    try:
        return max(1, min(_MAX_SPAN, int(value or "1")))
    except ValueError:
        return 1


def _rows(table: html.HtmlElement) -> list[html.HtmlElement]:
    """The table's own <tr>s (through thead/tbody/tfoot), not those of nested tables."""
    rows: list[html.HtmlElement] = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if c.tag == "tr")
    return rows


def table_grid(table: html.HtmlElement) -> Grid:
    """One <table> as a grid, merged cells expanded."""
    filled: dict[tuple[int, int], str] = {}
    width = 0
    rows = _rows(table)
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            while (r, c) in filled:
                c += 1
            text = _cell_text(cell)
            rowspan = min(_span(cell.get("rowspan")), len(rows) - r)
            colspan = _span(cell.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    filled.setdefault((r + dr, c + dc), text)
            c += colspan
            width = max(width, c)
    return tuple(tuple(filled.get((r, c), "") for c in range(width)) for r in range(len(rows)))


def html_tables(root: html.HtmlElement) -> tuple[Grid, ...]:
    """Every non-empty table of the page, in document order."""
    grids = (table_grid(t) for t in root.iter("table"))
    return tuple(g for g in grids if any(any(cell for cell in row) for row in g))


def docx_tables(body: bytes) -> tuple[Grid, ...]:
    """The tables of a .docx (python-docx repeats a merged cell's text in each position)."""
    import docx

    document = docx.Document(io.BytesIO(body))
    return tuple(
        tuple(tuple(_SPACE.sub(" ", cell.text).strip() for cell in row.cells) for row in table.rows)
        for table in document.tables
    )


def wants_tables(title: str, root: html.HtmlElement) -> bool:
    """Keep a page's tables only where a rule reads them: an annual report's page."""
    from checks.annual_report import REPORT_TITLE

    if REPORT_TITLE.search(title):
        return True
    heading = next(root.iter("h1"), None)
    return heading is not None and bool(REPORT_TITLE.search(heading.text_content()))


def document_content(body: bytes, kind: str) -> tuple[str, tuple[Grid, ...]]:
    """The text and tables of a report file: html, docx, pdf or plain text.

    HTML goes through the page extraction the crawler uses; a PDF has text only (its rows
    come out as lines of cells, which the report parser reads).
    """
    from crawler.extract.attachments import attachment_text
    from crawler.extract.page import analyse
    from crawler.extract.tree import parse_document

    if kind == "html":
        analysis = analyse(body, "file:///report.html")
        root = parse_document(analysis_source(body))
        return analysis.text, html_tables(root) if root is not None else ()
    if kind == "docx":
        return attachment_text(body, "docx"), docx_tables(body)
    return attachment_text(body, kind if kind in ("pdf", "txt") else "txt"), ()


def analysis_source(body: bytes) -> str:
    from crawler.extract.encoding import decode_html

    return decode_html(body, None)[0]
