"""Security facts of one page: what a visitor cannot see, where scripts come from, meta text.

Recorded for every HTML page (``PageItem.security``, a small JSON object; keys only when
there is something): the rules of ``checks.security`` judge them.

- ``meta``: the keywords and description meta tags' text;
- ``hidden``: text of hidden elements, ``[how, text]`` (outermost elements, capped);
- ``hidden_links``: links inside hidden elements, ``[url, anchor, title, how, written]``;
- ``anchors``: visible links to another host, ``[url, anchor, title]``;
- ``embeds``: scripts and frames loaded from another host, ``[tag, url]``;
- ``insecure``: on an HTTPS page, scripts, styles, frames and images over plain HTTP.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml import html

from crawler.extract import layout, visibility
from crawler.extract.encoding import decode_html
from crawler.extract.references import normalise_url, refresh_target
from crawler.extract.tree import parse_document

MAX_HIDDEN = 30
MAX_HIDDEN_CHARS = 500
MAX_LINKS = 300
MAX_OUTBOUND_TEXT = 4000
_EMBED_TAGS = {"script": "src", "iframe": "src", "frame": "src"}
_INSECURE_TAGS = {"script": "src", "iframe": "src", "frame": "src", "img": "src", "link": "href"}
_NO_TEXT = ("script", "style", "noscript", "template")


def _host(url: str) -> str:
    """host[:port]: another port of the same machine is another site."""
    return urlsplit(url).netloc.lower().rsplit("@", 1)[-1]


def _text(el: html.HtmlElement) -> str:
    parts = el.xpath(".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]")
    return layout.collapse(" ".join(str(p) for p in parts)).replace("\n", " ")


def _meta(root: html.HtmlElement) -> str:
    values = [el.get("content", "") for el in root.iter("meta")
              if (el.get("name") or "").lower() in ("keywords", "description")]
    return " ".join(v.strip() for v in values if v.strip())[:2000]


def _links(root: html.HtmlElement, base: str, encoding: str, host: str,
           hidden: dict[html.HtmlElement, str], facts: dict[str, list[Any]]) -> None:
    for el in root.iter("a", "area"):
        url = normalise_url(el.get("href", ""), base, encoding)
        if url is None:
            continue
        how = visibility.hidden_how(el, hidden)
        if how is None and _host(url) == host:
            continue  # a visible link of the site itself: no fact (its text is not read)
        anchor = layout.collapse(el.text_content()).replace("\n", " ")[:200]
        title = (el.get("title") or "").strip()[:200]
        if how is not None:
            written = any(a.get("data-xw-written") for a in el.iterancestors())
            facts["hidden_links"].append([url, anchor, title, how, bool(written)])
        elif anchor or title:
            facts["anchors"].append([url, anchor, title])


def _resources(root: html.HtmlElement, base: str, encoding: str, host: str, secure: bool,
               facts: dict[str, list[Any]]) -> None:
    for el in root.iter(*_INSECURE_TAGS):
        tag = str(el.tag)
        if tag == "link" and "stylesheet" not in (el.get("rel") or "").lower():
            continue
        url = normalise_url(el.get(_INSECURE_TAGS[tag], ""), base, encoding)
        if url is None:
            continue
        if tag in _EMBED_TAGS and _host(url) != host:
            facts["embeds"].append([tag, url])
        if secure and url.startswith("http://"):
            facts["insecure"].append([tag, url])


def page_facts(root: html.HtmlElement, base: str, encoding: str, url: str) -> dict[str, Any]:
    """The page's security facts (see the module docstring); the tree is left as it was."""
    holders = visibility.expand_written(root)
    try:
        hidden = visibility.hidden_elements(root)
        facts: dict[str, list[Any]] = {"hidden": [], "hidden_links": [], "anchors": [],
                                       "embeds": [], "insecure": []}
        for el, how in visibility.outermost(hidden):
            if len(facts["hidden"]) >= MAX_HIDDEN:
                break
            text = _text(el)
            if text:
                facts["hidden"].append([how, text[:MAX_HIDDEN_CHARS]])
        host = _host(url)
        _links(root, base, encoding, host, hidden, facts)
        _resources(root, base, encoding, host, url.startswith("https://"), facts)
    finally:
        visibility.remove(holders)
    out: dict[str, Any] = {key: list(dict.fromkeys(map(tuple, rows)))[:MAX_LINKS]
                           for key, rows in facts.items() if rows}
    out = {key: [list(row) for row in rows] for key, rows in out.items()}
    meta = _meta(root)
    if meta:
        out["meta"] = meta
    if holders:
        out["written"] = len(holders)
    return out


_LOCATION = re.compile(
    r"""(?:(?:window|document|top|self|parent)\s*\.\s*)?location(?:\s*\.\s*href)?\s*=\s*['"]([^'"]+)['"]"""
    r"""|location\s*\.\s*(?:replace|assign)\s*\(\s*['"]([^'"]+)['"]""")


def script_redirects(root: html.HtmlElement, base: str, encoding: str) -> list[list[str]]:
    """``[target, condition]`` for each literal ``location`` assignment of an inline script.

    ``condition`` says what the script tests first: ``referrer`` (document.referrer, the
    search-engine visitor), ``useragent`` (navigator.userAgent: spiders, phones) or "".
    """
    found: list[list[str]] = []
    for script in root.iter("script"):
        text = script.text or ""
        if "location" not in text or script.get("src"):
            continue
        lowered = text.lower()
        condition = ("referrer" if "referrer" in lowered
                     else "useragent" if "useragent" in lowered else "")
        for match in _LOCATION.finditer(text):
            url = normalise_url(match.group(1) or match.group(2) or "", base, encoding)
            if url is not None and [url, condition] not in found:
                found.append([url, condition])
    return found[:20]


def outbound_content(body: bytes, url: str, header_charset: str | None,
                     limit: int) -> dict[str, str]:
    """Title, meta text and the text start of an outbound page, read up to ``limit`` bytes."""
    text, _encoding = decode_html(body[:limit], header_charset)
    root = parse_document(text)
    if root is None:
        return {}
    title = root.find(".//title")
    for el in list(root.iter("script", "style", "noscript")):
        el.drop_tree()
    body_el = root.find("body")
    shown = layout.collapse((body_el if body_el is not None else root).text_content())
    return {"title": layout.collapse(title.text_content() if title is not None else "")[:300],
            "meta": _meta(root)[:1000], "text": shown[:MAX_OUTBOUND_TEXT]}


def landing(body: bytes, url: str, header_charset: str | None) -> tuple[str, list[list[str]]]:
    """Where a landing page sends its visitor: meta refresh target, load-time scripts."""
    text, encoding = decode_html(body, header_charset)
    root = parse_document(text)
    if root is None:
        return "", []
    base = url
    refresh = ""
    for el in root.iter("meta"):
        if (el.get("http-equiv") or "").lower() == "refresh":
            target = refresh_target(el.get("content", ""))
            found = normalise_url(target, base, encoding) if target else None
            if found:
                refresh = found
                break
    return refresh, script_redirects(root, base, encoding)
