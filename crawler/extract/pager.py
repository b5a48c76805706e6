"""A list's pager: the other pages of a column, taken only from something that is a pager.

Any short number link is not a pager: a calendar's day links (1-31, each to a new date) and
a row of 下一页 links with nothing behind them lead crawlers into endless page spaces. A box
of links is a pager when it says so:

- a total: 共 33 页, 第 1 页/共 33 页, 页次 1/33;
- a current page: 第 2 页, or a page number shown without a link next to linked ones;
- a run of page-number links (n, n+1) whose URLs differ only in that number.

A 下一页 link is followed from such a box, or when its URL is the page's own URL with the page
number advanced (index.htm -> index_1.htm, ?page=4 -> ?page=5, ?uid=1 -> ?uid=1&pageNum=2).
Numbers whose URLs differ in a date (?date=2026-11-05, ?y=2026&m=11&d=5) are a calendar,
never a pager.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from lxml import html

from crawler.extract.layout import collapse
from crawler.extract.references import normalise_url

_NEXT = re.compile(r"^(?:下一?页|后页|next|>|»|›|>>)$", re.I)
_OTHER = re.compile(r"^(?:上一?页|前页|首页|尾页|末页|最后一?页|prev|previous|first|last|<|«|<<)$", re.I)
_NUMBER = re.compile(r"^\[?(\d{1,4})\]?$")
_TOTAL = re.compile(r"共\s*\d+\s*页|\d+\s*/\s*\d+\s*页|页次|总页数|of\s+\d+\s+pages?", re.I)
_CURRENT = re.compile(r"第\s*\d+\s*页|当前(?:第)?\s*\d+|当前页")
_DATE_TOKEN = re.compile(
    r"(?:19|20)\d{2}[-/_.]?(?:0[1-9]|1[0-2])(?:[-/_.]?(?:0[1-9]|[12]\d|3[01]))?"
    r"|(?:19|20)\d{2}[-/_.](?:[1-9]|1[0-2])(?:[-/_.](?:[1-9]|[12]\d|3[01]))?")
_DATE_PARAM = re.compile(
    r"^(?:date|day|d|dd|month|mon|m|mm|year|y|yy|yyyy|ym|ymd|rq|riqi|time|dt|week|cal\w*)$", re.I)
_PAGE_PARAM = re.compile(
    r"^(?:page|pageno|pagenum|pageindex|curpage|p|pn|pg|currentpage|page_?no|start|offset)$", re.I)
_DIGITS = re.compile(r"(\d+)")
_GO = re.compile(r"^(?:go|跳转|确定|转到|\.\.\.|…)?$", re.I)
_BOX_CHARS = 300
_BOX_LINKS = 40
_MAX_NUMBERS = 15  # more page numbers than a pager shows, and no total: a calendar or a grid


def _pager_text(text: str) -> bool:
    return bool(_NEXT.match(text) or _OTHER.match(text) or _NUMBER.match(text)
                or _GO.match(text))


def _box(a: html.HtmlElement) -> html.HtmlElement:
    """The element around a link that holds nothing but pager links (the link if none)."""
    box, el = a, a.getparent()
    for _ in range(4):
        if el is None or len(collapse(el.text_content())) > _BOX_CHARS:
            break
        links = list(el.iter("a"))
        if len(links) > _BOX_LINKS or not all(
                _pager_text(collapse(x.text_content()) or (x.get("title") or "")) for x in links):
            break
        box, el = el, el.getparent()
    return box


def _date_marks(url: str) -> tuple[set[str], set[tuple[str, str]]]:
    """The date tokens of a URL and its date-named query parameters with their values."""
    parts = urlsplit(url)
    tokens = {m.group(0) for m in _DATE_TOKEN.finditer(parts.path + "?" + parts.query)}
    params = {(k.lower(), v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
              if _DATE_PARAM.match(k)}
    return tokens, params


def _one_number_apart(a: str, b: str) -> tuple[int, int] | None:
    """The two values of the one digit run in which ``a`` and ``b`` differ, if that is all."""
    pa, pb = _DIGITS.split(a), _DIGITS.split(b)
    if len(pa) != len(pb):
        return None
    diff = [i for i, (x, y) in enumerate(zip(pa, pb, strict=True)) if x != y]
    if len(diff) != 1 or diff[0] % 2 == 0:  # odd indexes are the digit runs
        return None
    i = diff[0]
    return int(pa[i]), int(pb[i])


def _differ_in_date(a: str, b: str) -> bool:
    return _date_marks(a) != _date_marks(b)


def advances(base: str, url: str) -> bool:
    """``url`` is ``base`` with its page number advanced (or a first page number added)."""
    if _differ_in_date(base, url):
        return False
    step = _one_number_apart(base, url)
    if step is not None:
        return step[1] == step[0] + 1
    b, u = urlsplit(base), urlsplit(url)
    if b.netloc != u.netloc:
        return False
    added = dict(parse_qsl(u.query)).items() - dict(parse_qsl(b.query)).items()
    if b.path == u.path and added:
        return any(_PAGE_PARAM.match(name) and value.isdigit() and int(value) <= 2
                   for name, value in added)
    # index.htm -> index_1.htm, list.html -> list-2.html, /list -> /list/2
    inserted = re.fullmatch(re.escape(b.path.rsplit(".", 1)[0]) + r"[_\-/]([12])(\.\w+)?/?",
                            u.path)
    return inserted is not None and u.query == b.query


def _numbers(box: html.HtmlElement, base: str) -> dict[int, str]:
    found: dict[int, str] = {}
    for a in box.iter("a"):
        m = _NUMBER.match(collapse(a.text_content()))
        url = normalise_url(a.get("href") or "", base) if a.get("href") else None
        if m and url:
            found.setdefault(int(m.group(1)), url)
    return found


def _unlinked_numbers(box: html.HtmlElement) -> set[int]:
    """Numbers the box shows outside any link (the current page of '1 [2] 3')."""
    found: set[int] = set()
    for el in box.iter():
        linked = any(p.tag == "a" for p in el.iterancestors())
        texts = [] if el.tag == "a" or linked else [el.text]
        if not linked and el is not box:
            texts.append(el.tail)  # the tail sits in the parent, outside el
        for text in texts:
            found.update(int(n) for n in re.findall(r"(?<!\d)\d{1,4}(?!\d)", text or ""))
    return found


def _calendar(numbers: dict[int, str]) -> bool:
    urls = list(numbers.values())
    return any(_differ_in_date(a, b) for a, b in zip(urls, urls[1:], strict=False))


def _is_pager(box: html.HtmlElement, base: str, page_url: str) -> bool:
    numbers = _numbers(box, base)
    if _calendar(numbers):
        return False
    text = collapse(box.text_content())
    if _TOTAL.search(text):
        return True
    if len(numbers) > _MAX_NUMBERS:
        return False
    if _CURRENT.search(text) or any(n - 1 in numbers or n + 1 in numbers
                                    for n in _unlinked_numbers(box)):
        return True
    run = [(numbers[n], numbers[n + 1]) for n in numbers if n + 1 in numbers]
    if any((step := _one_number_apart(a, b)) and step[1] > step[0] for a, b in run):
        return True
    return any(_NEXT.match(collapse(a.text_content()) or (a.get("title") or ""))
               and advances(page_url, normalise_url(a.get("href") or "", base) or "")
               for a in box.iter("a"))


def _same_folder(url: str, base: str) -> bool:
    """首页/尾页 without a page number: only within the list's own folder, never the site's 首页."""
    path, own = urlsplit(url).path, urlsplit(base).path
    return path not in ("", "/") and path.rsplit("/", 1)[0] == own.rsplit("/", 1)[0]


def pager_links(root: html.HtmlElement, base: str, page_url: str | None = None) -> tuple[str, ...]:
    """The other pages of the list, 下一页 first, from links that belong to a pager."""
    page_url = page_url or base
    first: list[str] = []
    others: list[str] = []
    host = urlsplit(base).netloc
    verdicts: dict[int, bool] = {}
    for a in root.iter("a"):
        href = a.get("href") or ""
        if not href:
            continue
        text = collapse(a.text_content()) or (a.get("title") or "")
        is_next, is_other = bool(_NEXT.match(text)), bool(_OTHER.match(text))
        if not (is_next or is_other or _NUMBER.match(text)):
            continue  # before the URL: most links of a page are no pager's
        url = normalise_url(href, base)
        if url is None or urlsplit(url).netloc != host or url == page_url:
            continue
        if is_other and not _DIGITS.search(urlsplit(url).path + urlsplit(url).query) \
                and not _same_folder(url, base):
            continue  # the site's 首页 (in every page's navigation): no box to judge
        box = _box(a)
        if id(box) not in verdicts:
            verdicts[id(box)] = _is_pager(box, base, page_url)
        if not verdicts[id(box)] and not (is_next and advances(page_url, url)):
            continue
        (first if is_next and ("下" in text or text.lower() == "next") else others).append(url)
    return tuple(dict.fromkeys(first + others))
