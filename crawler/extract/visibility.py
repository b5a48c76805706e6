"""Which elements of a page a visitor cannot see, from the raw HTML and the page's own CSS.

An element is hidden when its inline style, or a rule of the page's own ``<style>`` blocks
that selects it (any selector lxml's cssselect understands: tags, classes, ids, descendant
and child combinators; pseudo-classes such as ``:hover`` are skipped), says: ``display:none``,
``visibility:hidden``, ``font-size`` ≤ 1px, ``height`` or ``width`` ≤ 1px with
``overflow:hidden``, a position or ``text-indent`` 999px or more off-screen; or it is a
``<marquee>`` at most 1px high; or the ``hidden`` attribute is set. Markup a load-time
``document.write`` writes is parsed and placed where its script stands, so it inherits the
script's ancestors (a hidden ``<div>`` around the script hides the links it writes).

This module records facts; ``checks.security`` judges them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cssselect import SelectorError
from lxml import etree, html
from lxml.cssselect import CSSSelector

from crawler.extract.tree import parse_fragment

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_RULE = re.compile(r"([^{}@]+)\{([^{}]*)\}")
_DECL = re.compile(r"([a-zA-Z-]+)\s*:\s*([^;]+)")
_LENGTH = re.compile(r"^(-?\d*\.?\d+)\s*(px|pt|em|rem|%)?$")
_HIDING_HINT = re.compile(r"display|visibility|font-size|height|width|left|top|right|bottom|"
                          r"text-indent|margin", re.IGNORECASE)
_WRITE = re.compile(r"document\.write(?:ln)?\s*\(((?:\s*(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
                    r"\s*\+?)+)\s*\)", re.DOTALL)
_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", re.DOTALL)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
OFFSCREEN_PX = 999.0
_STYLED = etree.XPath("//*[@style or @hidden or self::marquee]")  # compiled once, not per page
MAX_RULES = 400  # a page's own CSS beyond this many rules is not read (a CSS framework inline)


def _px(value: str) -> float | None:
    """A CSS length in px (pt and em roughly), or None when it is not a plain length."""
    match = _LENGTH.match(value.strip().lower().removesuffix("!important").strip())
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2) or "px"
    return {"px": number, "pt": number * 4 / 3, "em": number * 16, "rem": number * 16}.get(unit)


def declarations(style: str) -> dict[str, str]:
    """``prop: value`` pairs of one declaration block, lower-cased; later ones win."""
    return {m.group(1).lower(): m.group(2).strip().lower() for m in _DECL.finditer(style)}


def hiding(decls: dict[str, str], tag: str = "") -> str | None:
    """How these declarations hide an element (display:none, font-size:0 …), or None."""
    if decls.get("display", "").startswith("none"):
        return "display:none"
    if decls.get("visibility", "").startswith(("hidden", "collapse")):
        return "visibility:hidden"
    size = _px(decls.get("font-size", ""))
    if size is not None and size <= 1:
        return "font-size"
    clipped = decls.get("overflow", "").startswith("hidden") or tag == "marquee"
    for prop in ("height", "width", "max-height", "line-height"):
        value = _px(decls.get(prop, ""))
        if value is not None and value <= 1 and (clipped or prop == "max-height" and clipped):
            return f"{prop}:{decls[prop]}"
    positioned = decls.get("position", "").startswith(("absolute", "fixed", "relative"))
    for prop in ("left", "top", "right", "bottom", "text-indent", "margin-left", "margin-top"):
        value = _px(decls.get(prop, ""))
        if value is not None and abs(value) >= OFFSCREEN_PX and (
                positioned or prop.startswith(("text-indent", "margin"))):
            return "off-screen"
    return None


def _style_rules(root: html.HtmlElement) -> list[tuple[CSSSelector, str]]:
    """Selectors of the page's own <style> rules that hide what they select."""
    rules: list[tuple[CSSSelector, str]] = []
    for style in root.iter("style"):
        css = _CSS_COMMENT.sub("", style.text or "")
        for match in _CSS_RULE.finditer(css):
            if len(rules) >= MAX_RULES:
                return rules
            body = match.group(2)
            if not _HIDING_HINT.search(body):
                continue
            how = hiding(declarations(body))
            if how is None:
                continue
            for selector in match.group(1).split(","):
                selector = selector.strip()
                if not selector or ":" in selector:  # :hover menus are shown on demand
                    continue
                try:
                    rules.append((CSSSelector(selector), how))
                except (SelectorError, etree.XPathError, ValueError):
                    continue
    return rules


def _marquee_hidden(el: html.HtmlElement) -> bool:
    value = _px(el.get("height", "") or "")
    return value is not None and value <= 1


def hidden_elements(root: html.HtmlElement) -> dict[html.HtmlElement, str]:
    """Every element hidden on its own account (not through an ancestor), with how."""
    found: dict[html.HtmlElement, str] = {}
    for selector, rule_how in _style_rules(root):
        try:
            selected: Any = selector(root)
            for el in selected:
                found.setdefault(el, rule_how)
        except (etree.XPathError, ValueError):
            continue
    styled: Any = _STYLED(root)
    for el in styled:
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "head"):
            continue
        how: str | None = None
        if el.get("hidden") is not None:
            how = "hidden"
        elif el.tag == "marquee" and _marquee_hidden(el):
            how = "marquee"
        style = el.get("style")
        if how is None and style and _HIDING_HINT.search(style):
            how = hiding(declarations(style), el.tag)
        if how is not None:
            found[el] = how
    return {el: how for el, how in found.items() if el.tag not in ("html", "body", "head")}


def outermost(hidden: dict[html.HtmlElement, str]) -> Iterator[tuple[html.HtmlElement, str]]:
    """Hidden elements that have no hidden ancestor, in document order."""
    for el, how in hidden.items():
        if not any(a in hidden for a in el.iterancestors()):
            yield el, how


def hidden_how(el: html.HtmlElement, hidden: dict[html.HtmlElement, str]) -> str | None:
    """How ``el`` is hidden, by itself or through an ancestor; None when it is visible."""
    if el in hidden:
        return hidden[el]
    for ancestor in el.iterancestors():
        if ancestor in hidden:
            return hidden[ancestor]
    return None


def _unescape(value: str) -> str:
    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return {"n": "\n", "t": "\t", "r": ""}.get(code, code)
    return _ESCAPE.sub(one, value)


def written_markup(script: str) -> str:
    """What the ``document.write`` calls of an inline script write (string literals only)."""
    out: list[str] = []
    for call in _WRITE.finditer(script):
        out.extend(_unescape(m.group(1) if m.group(1) is not None else m.group(2) or "")
                   for m in _STRING.finditer(call.group(1)))
    return "".join(out)


def expand_written(root: html.HtmlElement) -> list[html.HtmlElement]:
    """Put what each inline ``document.write`` writes into the tree, after its script.

    Returns the holders (``<span data-xw-written>``) put in, for the caller to take out
    again once it has read them: the page's text is extracted without them.
    """
    holders: list[html.HtmlElement] = []
    for script in list(root.iter("script")):
        text = script.text or ""
        if "document.write" not in text or script.get("src"):
            continue
        markup = written_markup(text)
        if "<" not in markup:
            continue
        body = parse_fragment(markup)
        if body is None:
            continue
        parent = script.getparent()
        if parent is None:
            continue
        holder = html.Element("span", {"data-xw-written": "1"})
        holder.text = body.text
        for child in list(body):
            holder.append(child)
        script.addnext(holder)
        holders.append(holder)
    return holders


def remove(holders: list[html.HtmlElement]) -> None:
    """Take the written markup out again (see ``expand_written``; holders have no tail)."""
    for holder in holders:
        parent = holder.getparent()
        if parent is not None:
            parent.remove(holder)
