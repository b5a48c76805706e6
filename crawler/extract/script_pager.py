"""Pagers a page's own scripts build: the further pages of a list that has no pager links.

- TRS WCM ``createPageHTML``: every signature in use (``createPageHTML(count, current,
  prefix, suffix)``, with an element id first, with a record count or style after), 0-based
  pages ``prefix_N.suffix``;
- pager plugins (layui ``laypage``, jQuery ``pagination``/``jqPaginator``, bootstrap
  ``twbsPagination``) configured with a page count and a URL: a string concatenation around
  the page number (``'index_' + obj.curr + '.html'``) or a template (``?page={{number}}``);
- Hanweb JCMS ``jpage``: records come in a ``<datastore>`` (expanded into the page by
  ``layout.expand_embedded_records``, which keeps its ``nextgroup`` link), further records
  from ``/module/web/jpage/dataproxy.jsp`` with ``startrecord``, ``endrecord`` and
  ``perpage``, the column's own parameters (``columnid``, ``unitid``, ``webid`` …) from the
  nextgroup link or the page's script. Every group's URL is listed (GET; the proxy accepts
  it as it does POST), up to ``MAX_GROUPS``.
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from lxml import html

from crawler.extract.references import normalise_url

MAX_GROUPS = 50
_CALL = re.compile(r"createPageHTML\s*\(([^()]*)\)")
_ARG = re.compile(r"""\s*(?:(["'])(.*?)\1|([^,]+?))\s*(?:,|$)""")
_WORD = re.compile(r"^[\w.-]+$")

_COUNT = re.compile(r"\b(?:pageCount|totalPages?|pageTotal|pages|pagecount|totalpage)\s*[:=]\s*(\d+)", re.I)
_RECORDS = re.compile(r"\b(?:count|total|totalRecords?|totalCount|recordCount)\s*[:=]\s*(\d+)", re.I)
_LIMIT = re.compile(r"\b(?:limit|pageSize|perPage|pagesize|showData|everyPage)\s*[:=]\s*(\d+)", re.I)
_CURRENT = re.compile(r"\b(?:curr|current|currentPage|pageNo|pageIndex|startPage|pageno)\s*[:=]\s*(\d+)", re.I)
_PLUGIN = re.compile(r"laypage|pagination|jqPaginator|twbsPagination|Paginator|pager", re.I)
# 'index_' + obj.curr + '.html' assigned to location / href, or a href option with a template
_CONCAT = re.compile(
    r"""(?:location(?:\.href)?|href|url)\s*[=:]\s*(["'])([^"'+]*)\1\s*\+\s*[\w.$()\[\]]+\s*"""
    r"""(?:\+\s*(["'])([^"']*)\3)?""", re.I)
_TEMPLATE = re.compile(r"""(["'])([^"']*?(?:\{\{number\}\}|\{\{page\}\}|\{page\}|\{num\}|\{\{num\}\})[^"']*)\1""")
_PLACEHOLDER = re.compile(r"\{\{number\}\}|\{\{page\}\}|\{page\}|\{num\}|\{\{num\}\}")

_TOTAL_RECORD = re.compile(r"\btotalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_PER_PAGE = re.compile(r"\bperPage\s*[:=]\s*['\"]?(\d+)", re.I)
_GROUP = re.compile(r"\bgroupSize\s*[:=]\s*['\"]?(\d+)", re.I)
_PROXY = re.compile(r"""proxyUrl\s*[:=]\s*["']([^"']+)["']""", re.I)
_PARAM = re.compile(r"""\b(columnid|unitid|webid|appid|path|webname|permissiontype|sourceContentType|col)"""
                    r"""\s*[:=]\s*["']?([^"',}\s]+)""", re.I)
DATAPROXY = "/module/web/jpage/dataproxy.jsp"


def _args(call: str) -> list[str | int]:
    out: list[str | int] = []
    for m in _ARG.finditer(call):
        if m.end() == m.start():
            break
        if m.group(1):
            out.append(m.group(2))
        else:
            raw = (m.group(3) or "").strip()
            out.append(int(raw) if raw.isdigit() else raw)
    return out


def trs_pages(scripts: list[str], base: str) -> list[str]:
    """The next page of a TRS createPageHTML pager, whatever the signature: the first two
    numbers are the page count and the current (0-based) page, the next two plain words
    after them the file's prefix and suffix."""
    found = []
    for script in scripts:
        for call in _CALL.finditer(script):
            args = _args(call.group(1))
            numbers = [i for i, a in enumerate(args) if isinstance(a, int)]
            if len(numbers) < 2:
                continue
            first = numbers[0]
            count, current = args[first], args[numbers[1]]
            words = [a for a in args[numbers[1] + 1:] if isinstance(a, str) and _WORD.match(a)]
            if len(words) < 2 or not isinstance(count, int) or not isinstance(current, int):
                continue
            if current + 1 < count:
                url = normalise_url(f"{words[0]}_{current + 1}.{words[1]}", base)
                if url:
                    found.append(url)
    return found


def plugin_pages(scripts: list[str], base: str) -> list[str]:
    """The next page of a pager plugin whose page count and URL pattern are in the script."""
    found = []
    for script in scripts:
        if not _PLUGIN.search(script):
            continue
        count = _page_count(script)
        current_match = _CURRENT.search(script)
        current = int(current_match.group(1)) if current_match else 1
        if count is None or current + 1 > count:
            continue
        url = _page_url(script, current + 1)
        if url:
            resolved = normalise_url(url, base)
            if resolved:
                found.append(resolved)
    return found


def _page_count(script: str) -> int | None:
    m = _COUNT.search(script)
    if m:
        return int(m.group(1))
    records, limit = _RECORDS.search(script), _LIMIT.search(script)
    if records and limit and int(limit.group(1)):
        return math.ceil(int(records.group(1)) / int(limit.group(1)))
    return None


def _page_url(script: str, page: int) -> str | None:
    m = _TEMPLATE.search(script)
    if m:
        return _PLACEHOLDER.sub(str(page), m.group(2))
    m = _CONCAT.search(script)
    if m and (m.group(2) or m.group(4)):
        return f"{m.group(2)}{page}{m.group(4) or ''}"
    return None


def dataproxy_pages(root: html.HtmlElement, scripts: list[str], base: str) -> list[str]:
    """Every further record group of a Hanweb jpage list, as dataproxy.jsp GET URLs."""
    holders = [el for el in root.iter("div") if el.get("data-xw-nextgroup") is not None]
    text = "\n".join(scripts)
    if not holders or not (_TOTAL_RECORD.search(text) or "dataproxy" in text
                           or any("dataproxy" in (h.get("data-xw-nextgroup") or "") for h in holders)):
        return []
    found = []
    for holder in holders:
        link = holder.get("data-xw-nextgroup") or ""
        params = dict(parse_qsl(urlsplit(link).query)) if "?" in link else {}
        for name, value in _PARAM.findall(text):
            params.setdefault(name.lower() if name.lower() != "sourcecontenttype" else name, value)
        total = _number(_TOTAL_RECORD, text) or _number(_TOTAL_RECORD, link)
        per_page = _number(_PER_PAGE, text) or int(params.get("perpage", 0) or 0) or 15
        group = (_number(_GROUP, text) or 3) * per_page
        shown = int(holder.get("data-xw-records") or 0)
        if not total or "columnid" not in params:
            continue
        if "dataproxy" in link:
            proxy = urlsplit(link).path
        else:
            configured = _PROXY.search(text)
            proxy = configured.group(1) if configured else DATAPROXY
        params.pop("startrecord", None)
        params.pop("endrecord", None)
        params.pop("perpage", None)
        start = max(shown, group) + 1
        for _ in range(MAX_GROUPS):
            if start > total:
                break
            end = min(start + group - 1, total)
            query = urlencode({**params, "startrecord": start, "endrecord": end, "perpage": per_page})
            url = normalise_url(f"{proxy}?{query}", base)
            if url:
                found.append(url)
            start = end + 1
    return found


def _number(pattern: re.Pattern[str], text: str) -> int | None:
    m = pattern.search(text)
    return int(m.group(1)) if m else None
