"""HTML text to an lxml tree: one parser for site pages, mirror pages, post pages and feed HTML."""

from __future__ import annotations

import re

from lxml import etree, html

from crawler.extract.nesting import cap_depth

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")


def _parser() -> etree.HTMLParser:
    """lxml.html's parser, but every element is an HtmlElement without a per-element Python
    class lookup (a third of the parse-and-walk time on big pages)."""
    # lxml-stubs lag lxml: default_doctype is a real HTMLParser option
    parser = etree.HTMLParser(remove_blank_text=False, default_doctype=False)  # type: ignore[call-arg]
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(element=html.HtmlElement))
    return parser


def parse_document(text: str) -> html.HtmlElement | None:
    """The document's root element, or None when nothing parses (empty or no HTML at all)."""
    cleaned = _XML_DECL.sub("", CONTROL_CHARS.sub("", text), count=1)
    if not cleaned.strip():
        return None
    try:
        parser = _parser()
        root = etree.fromstring(cleaned, parser)
        if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
            root = etree.fromstring(cap_depth(cleaned), _parser())  # nested too deep
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    return root if isinstance(root, html.HtmlElement) else None


def parse_fragment(markup: str) -> html.HtmlElement | None:
    """The <body> of an HTML fragment (a feed entry's content), or None when it does not parse."""
    root = parse_document(f"<html><body>{markup}</body></html>")
    return root.find("body") if root is not None else None
