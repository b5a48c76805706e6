"""Markup nested deeper than libxml2 will parse, flattened so its text and links are still read.

libxml2's HTML parser stops at 256 levels of elements (2048 with XML_PARSE_HUGE) and hands
back an empty document: a page can hide everything it says - a leaked phone number, a
banned term, a link - behind a few thousand ``<div>``. Past ``limit`` levels the container
tags are dropped (their text stays where it was); links, images and frames are kept, so
the references deep inside are still checked.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*>")
_VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr", "frame", "keygen",
})
_KEEP = frozenset({"a", "img", "iframe", "frame", "area", "script", "style", "meta", "link",
                   "title", "head", "body", "html"})
DEPTH_LIMIT = 200


def cap_depth(markup: str, limit: int = DEPTH_LIMIT) -> str:
    """``markup`` with every container tag below ``limit`` open elements removed."""
    out: list[str] = []
    depth = 0
    last = 0
    for m in _TAG.finditer(markup):
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name in _VOID or m.group(0).endswith("/>"):
            continue
        if not closing:
            depth += 1
            drop = depth > limit and name not in _KEEP
        else:
            drop = depth > limit and name not in _KEEP
            depth = max(depth - 1, 0)
        if drop:
            out.append(markup[last:m.start()])
            out.append(" ")
            last = m.end()
    out.append(markup[last:])
    return "".join(out)
