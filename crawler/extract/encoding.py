"""Decode HTML bytes: trust what decodes, not what the header or the meta tag claims."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w\-.:]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Chinese labels are supersets of each other; gb18030 decodes all of them.
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "unicode": "utf-8",
    "utf8": "utf-8",
}


def header_charset(content_type: str) -> str | None:
    """The charset label of a Content-Type header value, if it names one."""
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def canonical_encoding(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None when unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def declared_encodings(body: bytes) -> list[str]:
    """Charsets the document itself declares (meta tags, XML declaration), in order."""
    head = body[:4096]
    labels = [m.group(1).decode("ascii", "ignore") for m in _XML_DECL.finditer(head)]
    labels += [m.group(1).decode("ascii", "ignore") for m in _META_CHARSET.finditer(head)]
    found: list[str] = []
    for label in labels:
        name = canonical_encoding(label)
        if name and name not in found:
            found.append(name)
    return found


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_utf8(body: bytes) -> bool:
    """UTF-8 with a few broken bytes (a truncated page, one bad paste) is still UTF-8."""
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    wide = len(text) - len(text.encode("ascii", "ignore")) - bad
    return wide > 20 and bad * 100 < wide


def decode_html(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """Decode ``body`` and return (text, codec name).

    Order: a BOM; valid UTF-8 (GBK text is practically never valid UTF-8, while UTF-8
    saved under a gb2312 label is common); the header's then the document's declared
    charsets, if they decode cleanly; gb18030; then the first guess with replacement.
    """
    for bom, name in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(name, "replace"), name
    if body.isascii():
        return body.decode("ascii"), canonical_encoding(header_charset) or "utf-8"
    text = _strict(body, "utf-8")
    if text is not None or _mostly_utf8(body):
        return text if text is not None else body.decode("utf-8", "replace"), "utf-8"
    header = canonical_encoding(header_charset)
    declared = declared_encodings(body)
    if header == "cp1252" and "cp1252" not in declared:
        header = None  # servers' iso-8859-1 default; cp1252 would "decode" any GBK page
    ordered = [c for c in [header, *declared] if c and c != "utf-8"]
    for name in [*ordered, "gb18030"]:
        text = _strict(body, name)
        if text is not None:
            return text, name
    fallback = ordered[0] if ordered else (canonical_encoding(header_charset) or "gb18030")
    return body.decode(fallback, "replace"), fallback
