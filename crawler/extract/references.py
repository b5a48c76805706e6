"""Outbound references of a page: every tag and attribute a browser would fetch or follow."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import html
from w3lib.url import safe_url_string

from crawler.extract.encoding import decode_html
from crawler.extract.model import Reference

# tag -> attributes holding one URL
_URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "lowsrc", "data-src", "data-original"),
    "script": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "meta": ("href",),
    "input": ("src",),
    "applet": ("src", "code"),
    "button": ("formaction",),
    "html": ("manifest",),
    "body": ("background",),
    "table": ("background",),
    "td": ("background",),
    "th": ("background",),
    "bgsound": ("src",),
}
_SRCSET_TAGS = frozenset({"img", "source"})
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "about:", "sms:", "callto:", "vbscript:")
_KEEP_SCHEMES = frozenset({"http", "https", "ftp", "file"})
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*?)\1\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+(['"])(.+?)\1""", re.IGNORECASE)
_REFRESH_URL = re.compile(r"""^\s*\d*\.?\d*\s*[;,]?\s*(?:url\s*=\s*)?['"]?([^'"]*)""", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_CONTROL = str.maketrans("", "", "\t\n\r")
_META_URL_PROPS = frozenset({"og:image", "twitter:image", "twitter:image:src", "og:video"})
_JS_URL = re.compile(
    r"""(?:window\.open|location\.replace|location\.assign|location(?:\.href)?\s*=)\s*\(?\s*['"]([^'"]+)['"](?!\s*\+)"""
)
_TEMPLATE = re.compile(r"\{\{|\}\}|\$\{|<%|%>|\{%|['\"]\s*\+|\+\s*['\"]|\[\[")
_HINT_RELS = frozenset({"dns-prefetch", "preconnect"})
_SAFE_ASCII = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def normalise_url(raw: str, base: str, encoding: str = "utf-8") -> str | None:
    """An absolute, fragment-free, properly quoted URL, or None for non-fetchable links."""
    # Key the cache by what the result depends on, so site-wide links hit it on every page.
    head = raw.lstrip()[:8].lower()
    if head.startswith(("http://", "https://")):
        base = ""
    elif head.startswith("/") and not head.startswith("//"):
        base = _origin(base)
    return _normalise(raw, base, encoding)


@lru_cache(maxsize=1024)
def _origin(base: str) -> str:
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}/"


@lru_cache(maxsize=65536)  # nav and footer links repeat on every page of a site
def _normalise(raw: str, base: str, encoding: str) -> str | None:
    value = raw.strip(" \t\r\n\f\v\xa0\u3000").translate(_CONTROL)
    if not value or value.startswith("#"):
        return None
    lowered = value[:12].lower()
    if lowered.startswith(_SKIP_SCHEMES) or _TEMPLATE.search(value):
        return None  # a template placeholder or script concatenation, not a URL anyone fetches
    if "\\" in value and not lowered.startswith("file:"):
        value = value.replace("\\", "/")  # what browsers do with ..\..\ hrefs
    try:
        absolute = value if lowered.startswith(("http://", "https://")) and "/." not in value else (
            urljoin(base, value)
        )
        if not _SAFE_ASCII.match(absolute):
            absolute = safe_url_string(absolute, encoding=encoding)
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in _KEEP_SCHEMES:
        return None
    if parts.scheme in ("http", "https") and not parts.netloc:
        return None
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or ("/" if parts.netloc else ""),
         parts.query, "")
    )


def base_url(root: html.HtmlElement, page_url: str) -> str:
    """The first <base href>, resolved against the page URL; else the page URL."""
    for el in root.iter("base"):
        href = str(el.get("href") or "").strip()
        if href:
            return urljoin(page_url, href)
    return page_url


def refresh_target(content: str) -> str:
    """The URL part of a meta refresh content ('5; url=/next')."""
    m = _REFRESH_URL.match(content or "")
    return m.group(1).strip() if m else ""


def css_urls(css: str) -> Iterator[str]:
    """url(...) and @import targets of a stylesheet or style attribute."""
    if "url" not in css and "@import" not in css:
        return
    css = _CSS_COMMENT.sub("", css)
    for m in _CSS_URL.finditer(css):
        yield m.group(2)
    for m in _CSS_IMPORT.finditer(css):
        yield m.group(2)


def _srcset(value: str) -> Iterator[str]:
    """Candidate URLs of a srcset, parsed as the HTML spec does (a data: URL keeps its comma)."""
    pos, size = 0, len(value)
    while pos < size:
        while pos < size and (value[pos].isspace() or value[pos] == ","):
            pos += 1
        start = pos
        while pos < size and not value[pos].isspace():
            pos += 1
        url = value[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            while pos < size and value[pos] != ",":
                pos += 1
        if url:
            yield url


def _anchor(el: html.HtmlElement, tag: str) -> str:
    if tag in ("a", "area", "option"):
        text = el.text_content() if tag != "area" else ""
        for script in el.iter("script", "style") if text else ():
            text = text.replace(script.text or "", " ")
        text = text.strip() or el.get("title") or el.get("alt") or ""
        if not text.strip() and tag == "a":  # an image link: its alt text
            img = next(el.iter("img"), None)
            text = (img.get("alt") or img.get("title") or "") if img is not None else ""
    else:
        text = el.get("alt") or el.get("title") or ""
    return _SPACES.sub(" ", text).strip()[:200]


def _scripted_link(el: html.HtmlElement) -> Iterator[tuple[str, str]]:
    """javascript:window.open('/a.html') in href, or onclick="location.href='/a.html'"."""
    for attr in ("href", "onclick"):
        value = el.get(attr) or ""
        if attr == "href" and not value.lstrip()[:11].lower().startswith("javascript:"):
            continue
        m = _JS_URL.search(value)
        if m:
            yield attr, m.group(1)


def _option_link(el: html.HtmlElement) -> Iterator[tuple[str, str]]:
    """友情链接 drop-downs: <select onchange="window.open(this.value)"><option value=URL>."""
    value = (el.get("value") or "").strip()
    if not value.lower().startswith(("http://", "https://", "/")):
        return
    select = next(el.iterancestors("select"), None)
    if select is not None and select.get("onchange"):
        yield "value", value


def _raw_refs(el: html.HtmlElement, tag: str) -> Iterator[tuple[str, str]]:
    """(attribute, raw URL) pairs of one element; applet/object URLs relative to codebase."""
    if tag == "link" and (el.get("rel") or "").lower().strip() in _HINT_RELS:
        return  # a connection hint names a host, not a resource
    if tag == "option":
        yield from _option_link(el)
        return
    codebase = el.get("codebase", "").strip() if tag in ("applet", "object") else ""
    for attr in _URL_ATTRS.get(tag, ()):
        value = el.get(attr)
        if value is not None:
            yield attr, urljoin(codebase, value.strip()) if codebase else value
    if codebase:
        yield "codebase", codebase
    if tag in ("applet", "object") and el.get("archive"):
        for value in re.split(r"[,\s]+", el.get("archive", "")):
            if value:
                yield "archive", urljoin(codebase, value) if codebase else value
    if tag in ("a", "area", "button", "div", "li", "span", "td", "img", "input"):
        yield from _scripted_link(el)
    if tag in _SRCSET_TAGS and el.get("srcset"):
        for value in _srcset(el.get("srcset", "")):
            yield "srcset", value
    if tag == "meta":
        if (el.get("http-equiv") or "").lower() == "refresh":
            yield "content", refresh_target(el.get("content", ""))
        elif (el.get("property") or el.get("name") or "").lower() in _META_URL_PROPS:
            yield "content", el.get("content", "")
    if tag == "style" and el.text:
        for value in css_urls(el.text):
            yield "css", value
    style = el.get("style")
    if style:
        for value in css_urls(style):
            yield "style", value


def extract_references(root: html.HtmlElement, base: str, encoding: str) -> tuple[Reference, ...]:
    """Every reference of the document, in document order, each (url, tag, attr) once."""
    seen: set[tuple[str, str, str]] = set()
    found: list[Reference] = []
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        for attr, raw in _raw_refs(el, tag):
            url = normalise_url(raw, base, encoding)
            if url is None:
                continue
            out_tag = "meta-refresh" if tag == "meta" and attr == "content" and (
                el.get("http-equiv") or "").lower() == "refresh" else tag
            if attr == "css":
                out_tag = "css"
            key = (url, out_tag, attr)
            if key in seen:
                continue
            seen.add(key)
            found.append(Reference(url, out_tag, attr, _anchor(el, tag)))
    return tuple(found)


def css_references(body: bytes, url: str, *, header_charset: str | None = None) -> tuple[Reference, ...]:
    """The url(...) and @import targets of a stylesheet file (fonts, images, imported sheets)."""
    text, encoding = decode_html(body, header_charset)
    found: dict[str, Reference] = {}
    for raw in css_urls(text):
        target = normalise_url(raw, url, encoding)
        if target is not None:
            found.setdefault(target, Reference(target, "css", "url"))
    return tuple(found.values())


_CONTENT_TAGS = ("a", "img", "iframe", "video", "source")


def content_links(el: html.HtmlElement, base: str) -> tuple[str, ...]:
    """The http(s) links and media of a post's content, in order, each once.

    A lazy-loaded image's ``data-src`` wins over its placeholder ``src`` (WeChat).
    """
    found: list[str] = []
    for node in el.iter(*_CONTENT_TAGS):
        raw = str(node.get("href") or node.get("data-src") or node.get("src") or "").strip()
        if not raw or raw.startswith(("#", "javascript:", "mailto:", "data:")):
            continue
        absolute = urljoin(base, raw)
        if urlsplit(absolute).scheme in ("http", "https") and absolute not in found:
            found.append(absolute)
    return tuple(found)
