"""A draft to check before publishing: UTF-8 text, HTML, .docx or .pdf, as one text.

HTML and documents become their extracted text with one block a line (a paragraph, a
heading, a table row), which is what ``line`` and ``column`` of the pre-publication check
count in (RULES.md "Pre-publication check").
"""

from __future__ import annotations

import re

from core.errors import FetchError
from crawler.extract.attachments import attachment_kind, attachment_text
from crawler.extract.layout import collapse, drop_invisible, mark_blocks
from crawler.extract.tree import parse_document

DRAFT_KINDS = ("text", "html", "docx", "pdf")
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|p|div|h[1-6]|table|span|section|article)[\s>/]",
                         re.I | re.S)
_MAX_CHARS = 2_000_000


class DraftError(FetchError):
    """The draft cannot be read (a broken document, text that is not UTF-8)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, kind="unreadable")


def draft_kind(name: str, body: bytes, content_type: str = "") -> str:
    """'docx', 'pdf', 'html' or 'text', from the content type, the name, then the bytes."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    kind = attachment_kind(name, ctype) if name and name != "-" else attachment_kind("", ctype)
    if kind in ("docx", "pdf"):
        return kind
    if kind is not None and kind not in ("txt", "csv"):
        raise DraftError(f"{name or '输入'}：不支持的格式（{kind}），请提供文本、HTML、.docx 或 .pdf")
    if body.startswith(b"%PDF-"):
        return "pdf"
    if body.startswith(b"PK\x03\x04") and b"word/" in body[:4096]:
        return "docx"
    lowered = name.lower()
    if lowered.endswith((".html", ".htm", ".shtml", ".xhtml")):
        return "html"
    if kind is None and _HTML_START.match(_decoded(body[:2048], name, strict=False)):
        return "html"
    return "text"


def _decoded(body: bytes, name: str, *, strict: bool = True) -> str:
    if body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        if not strict:
            return body.decode("utf-8", errors="ignore")
        raise DraftError(f"{name or '输入'}：不是 UTF-8 文本（第 {error.start + 1} 字节），"
                         "请另存为 UTF-8 后再检查") from error


def html_text(markup: str) -> str:
    """The visible text of an HTML page or fragment, one block a line, title first."""
    root = parse_document(markup)
    if root is None:
        return ""
    drop_invisible(root)
    title_el = root.find(".//title")
    title = collapse(title_el.text_content()).replace("\n", " ") if title_el is not None else ""
    body = root.find("body")
    target = body if body is not None else root
    if title_el is not None and body is None:
        title_el.drop_tree()
    mark_blocks(target, prose=True)
    text = collapse(target.text_content())
    return f"{title}\n{text}" if title and not text.startswith(title) else text


def read_draft(body: bytes, name: str = "-", content_type: str = "") -> tuple[str, str]:
    """The draft's text and its kind; DraftError when it cannot be read."""
    kind = draft_kind(name, body, content_type)
    if kind in ("docx", "pdf"):
        try:
            return attachment_text(body, kind, max_chars=_MAX_CHARS), kind
        except FetchError as error:
            raise DraftError(f"{name or '输入'}：{error}") from error
    text = _decoded(body, name)
    if kind == "html":
        return html_text(text), kind
    return text[:_MAX_CHARS], kind
