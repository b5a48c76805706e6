"""Attachments: kind detection and text from PDF, DOCX, XLSX, old Office; broken files."""

from __future__ import annotations

import io

import docx
import pytest
from openpyxl import Workbook
from pypdf import PdfWriter

from core.errors import FetchError
from crawler.extract import attachment_kind, attachment_text


@pytest.mark.parametrize(
    ("url", "ctype", "kind"),
    [
        ("http://x.cn/f/通知.PDF", "", "pdf"),
        ("http://x.cn/f/a.docx?v=1", "", "docx"),
        ("http://x.cn/f/a.xls", "", "xls"),
        ("http://x.cn/f/a.wps", "", "wps"),
        ("http://x.cn/download.jsp?id=1", "application/pdf", "pdf"),
        ("http://x.cn/download.jsp?id=2", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        ("http://x.cn/a.html", "", None),
        ("http://x.cn/a.pdf", "text/html; charset=utf-8", None),
        ("http://x.cn/col/", "", None),
        ("http://x.cn/DownLoad.aspx?FileName=%E9%80%9A%E7%9F%A5.DOC&id=1", "", "doc"),
        ("http://x.cn/view.html?file=a.pdf", "", None),
    ],
)
def test_attachment_kind(url: str, ctype: str, kind: str | None) -> None:
    assert attachment_kind(url, ctype) == kind


def test_attachment_text_docx_paragraphs_and_tables() -> None:
    document = docx.Document()
    document.add_paragraph("关于公示拟录用人员名单的通知")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "张三"
    table.rows[0].cells[1].text = "13800138000"
    buffer = io.BytesIO()
    document.save(buffer)
    text = attachment_text(buffer.getvalue(), "docx")
    assert "拟录用人员" in text and "13800138000" in text


def test_attachment_text_xlsx_rows() -> None:
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号"])
    workbook.active.append(["李四", "110101199003070000"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    text = attachment_text(buffer.getvalue(), "xlsx")
    assert "李四\t110101199003070000" in text


def test_attachment_text_pdf_without_text_is_empty_not_an_error() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert attachment_text(buffer.getvalue(), "pdf").strip() == ""


def test_attachment_text_linkchecker_pdf(shared_dir) -> None:  # noqa: ANN001
    body = (shared_dir / "benchmarks" / "linkchecker" / "data" / "file.pdf").read_bytes()
    assert isinstance(attachment_text(body, "pdf"), str)


def test_attachment_text_old_word_utf16_runs() -> None:
    body = b"\xd0\xcf\x11\xe0" + b"\x00" * 64 + "拟录用人员名单公示".encode("utf-16-le") + b"\x00" * 16
    assert "拟录用人员名单公示" in attachment_text(body, "doc")


@pytest.mark.parametrize("kind", ["pdf", "docx", "xlsx"])
def test_attachment_text_broken_file_raises_unreadable(kind: str) -> None:
    with pytest.raises(FetchError) as caught:
        attachment_text(b"this is not a real file" * 10, kind)
    assert caught.value.kind == "unreadable"
    assert "\n" not in str(caught.value)


def test_attachment_text_respects_max_chars() -> None:
    workbook = Workbook()
    for i in range(2000):
        workbook.active.append([f"第{i}行", "内容" * 10])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(attachment_text(buffer.getvalue(), "xlsx", max_chars=500)) <= 500
