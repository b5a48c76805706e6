"""Attachments: what kind a URL is, and the text inside PDF, DOCX, XLSX (and old Office files)."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from urllib.parse import unquote, urlsplit

from core.errors import FetchError

KINDS = {
    "pdf": "pdf", "doc": "doc", "docx": "docx", "xls": "xls", "xlsx": "xlsx", "wps": "wps",
    "et": "et", "ppt": "ppt", "pptx": "pptx", "zip": "zip", "rar": "rar", "7z": "7z",
    "txt": "txt", "csv": "csv", "ofd": "ofd", "rtf": "rtf", "odt": "odt", "ods": "ods",
}
_CONTENT_TYPES = {
    "application/pdf": "pdf",
    "application/msword": "doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/x-rar-compressed": "rar",
    "application/vnd.rar": "rar",
    "application/kswps": "wps",
    "application/wps-office.wps": "wps",
    "application/ofd": "ofd",
}
_EXT = re.compile(r"\.([A-Za-z0-9]{1,5})$")
_QUERY_FILE = re.compile(r"\.(pdf|docx?|xlsx?|wps|et|pptx?|zip|rar|7z|ofd)(?=$|[&#;])", re.I)
# UTF-16LE runs of CJK / printable text inside old binary Office files
_UTF16_RUN = re.compile(rb"(?:[\x20-\x7e]\x00|[\x00-\xff][\x4e-\x9f]|[\x00-\xff]\x30|[\x00-\xff]\xff){4,}")


def attachment_kind(url: str, content_type: str = "") -> str | None:
    """'pdf', 'docx', 'xlsx', ... from the Content-Type, else the URL's extension; None for pages."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in _CONTENT_TYPES:
        return _CONTENT_TYPES[ctype]
    if ctype.startswith("text/html") or ctype == "application/xhtml+xml":
        return None
    parts = urlsplit(url)
    m = _EXT.search(unquote(parts.path))
    if m and m.group(1).lower() in KINDS:
        return KINDS[m.group(1).lower()]
    if m and m.group(1).lower() in ("html", "htm", "shtml", "xhtml"):
        return None
    # download.jsp?filename=通知.doc: the file name travels in the query
    q = _QUERY_FILE.search(unquote(parts.query))
    return KINDS.get(q.group(1).lower()) if q else None


def _pdf(body: bytes, max_chars: int) -> str:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    reader = PdfReader(io.BytesIO(body))
    parts: list[str] = []
    size = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        parts.append(text)
        size += len(text)
        if size >= max_chars:
            break
    return "\n".join(parts)


def _docx(body: bytes, max_chars: int) -> str:
    import docx

    document = docx.Document(io.BytesIO(body))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(body: bytes, max_chars: int) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    parts: list[str] = []
    size = 0
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                line = "\t".join("" if v is None else str(v) for v in row).rstrip()
                if line:
                    parts.append(line)
                    size += len(line)
                if size >= max_chars:
                    return "\n".join(parts)
    finally:
        workbook.close()
    return "\n".join(parts)


def _legacy(body: bytes, max_chars: int) -> str:
    """Old binary Office (doc/xls/wps/et): the UTF-16LE text runs, enough for scans."""
    runs = (m.group(0).decode("utf-16-le", "ignore") for m in _UTF16_RUN.finditer(body))
    return "\n".join(run for run in runs if len(run.strip()) >= 4)[:max_chars]


def _plain(body: bytes, max_chars: int) -> str:
    from crawler.extract.encoding import decode_html

    return decode_html(body, None)[0][:max_chars]


_READERS = {
    "pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "doc": _legacy, "xls": _legacy, "wps": _legacy,
    "et": _legacy, "ppt": _legacy, "txt": _plain, "csv": _plain,
}


def attachment_text(body: bytes, kind: str, *, max_chars: int = 2_000_000) -> str:
    """The text of an attachment; FetchError(kind='unreadable') when the file is broken."""
    reader = _READERS.get(kind)
    if reader is None:
        return ""
    try:
        return reader(body, max_chars)[:max_chars]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError) as error:
        raise FetchError(f"附件无法读取（{kind}）：{type(error).__name__}: {error}"[:300], kind="unreadable") from error
    except Exception as error:  # pypdf/openpyxl raise their own many error types on junk
        raise FetchError(f"附件无法读取（{kind}）：{type(error).__name__}: {error}"[:300], kind="unreadable") from error
