"""Attachment files generated once at start: DOCX (python-docx), XLSX (openpyxl), PDF (by hand).

The XLSX lists people with one full, valid resident ID: the attachment privacy finding.
"""

from __future__ import annotations

import io

from xunwang.demo import numbers

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


def docx_bytes() -> bytes:
    from docx import Document  # imported lazily: only start() needs it

    doc = Document()
    doc.add_heading("云溪区民生实事项目申报表", level=1)
    doc.add_paragraph("申报单位应如实填写项目名称、实施地点、资金来源和预期成效。")
    doc.add_paragraph("申报材料请于规定时间内报送区发展改革局，逾期不予受理。")
    table = doc.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("项目名称", "实施地点", "资金来源"), strict=True):
        cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.create_sheet("名单", 0)
    del book[book.sheetnames[1]]  # the default empty sheet
    sheet.append(["序号", "姓名", "身份证号", "所在街道", "补助类别"])
    sheet.append([1, "陈某某", numbers.ATTACHMENT_ID, "府前街道", "临时救助"])
    sheet.append([2, "刘某某", numbers.mask_id(numbers.ARTICLE_ID), "湖滨街道", "临时救助"])
    sheet.append([3, "赵某某", "330106********0025", "东湖街道", "医疗救助"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf_bytes() -> bytes:
    """A one-page PDF with ASCII text."""
    return pdf_of(b"BT /F1 14 Tf 72 720 Td "
                  b"(Yunxi District annual work report: all items on schedule.) Tj ET")


def pdf_of(stream: bytes) -> bytes:
    """A one-page PDF around a content ``stream`` (Helvetica as /F1), with correct xref offsets."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def build_all() -> dict[str, tuple[bytes, str]]:
    return {"docx": (docx_bytes(), DOCX_TYPE), "xlsx": (xlsx_bytes(), XLSX_TYPE),
            "pdf": (pdf_bytes(), PDF_TYPE)}
