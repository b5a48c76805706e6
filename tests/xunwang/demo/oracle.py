"""An independent, deliberately naive reader of the demo: crawls it over real HTTP and
computes the link, wording and privacy findings RULES.md defines, so the tests can compare
them with ``DemoSite.manifest()`` (which is computed from the plan, not from the pages)."""

from __future__ import annotations

import csv
import html
import http.client
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from xunwang.demo import numbers

LINK = re.compile(r'(?:href|src)="([^"]+)"|<link>([^<]+)</link>|"url": "([^"]+)"')
TAG = re.compile(r"<script.*?</script>|<[^>]+>", re.S)
DIGITS = re.compile(r"\d+[Xx]?")
FOLLOWED = ("text/html", "application/json", "application/rss+xml", "application/atom+xml")
PUBDATE = re.compile(r'name="PubDate" content="(\d{4}-\d{2}-\d{2})')


@dataclass(frozen=True)
class Term:
    term: str
    category: str
    since: date | None
    exceptions: tuple[str, ...]


def load_lexicon(path: Path) -> list[Term]:
    rows = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    out = []
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter="\t"):
        since = date.fromisoformat(row["since"]) if row["since"] else None
        out.append(Term(row["term"], row["category"], since,
                        tuple(x for x in (row["except"] or "").split(",") if x)))
    return out


def wording_hits(text: str, lexicon: list[Term], published: date | None) -> set[tuple[str, str]]:
    hits = set()
    for term in lexicon:
        for match in re.finditer(re.escape(term.term), text):
            if any(_covers(text, match.start(), term.term, e) for e in term.exceptions):
                continue
            if term.category == "outdated" and published and term.since and published < term.since:
                continue
            hits.add((f"wording-{term.category}", term.term))
    return hits


def _covers(text: str, start: int, term: str, longer: str) -> bool:
    """Is the match at ``start`` part of the excepted longer string ``longer``?"""
    offset = longer.find(term)
    return offset >= 0 and text[start - offset:start - offset + len(longer)] == longer


def privacy_hits(text: str, as_of: date) -> set[tuple[str, str]]:
    hits = set()
    for match in DIGITS.finditer(text):
        run = match.group().upper()
        if len(run) == 11 and re.fullmatch(r"1[3-9]\d{9}", run):
            hits.add(("privacy-phone", numbers.mask_phone(run)))
        if len(run) == 18 and numbers.id_is_valid(run):
            try:
                born = date(int(run[6:10]), int(run[10:12]), int(run[12:14]))
            except ValueError:
                born = None
            if born and born <= as_of:
                hits.add(("privacy-id-number", numbers.mask_id(run)))
        if 16 <= len(run) <= 19 and run.isdigit() and numbers.luhn_is_valid(run) \
                and run[:2] in ("62", "40", "45", "51", "52", "53", "54", "55"):
            hits.add(("privacy-bank-card", numbers.mask_card(run)))
    return hits


@dataclass
class Fetched:
    status: int | str
    content_type: str
    body: bytes


@dataclass
class Crawl:
    pages: dict[str, Fetched] = field(default_factory=dict)
    linked_from: dict[str, set[str]] = field(default_factory=dict)
    targets: dict[str, Fetched] = field(default_factory=dict)


def fetch(url: str, timeout: float) -> Fetched:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        return Fetched(response.status, response.getheader("Content-Type", ""), response.read())
    except ConnectionRefusedError:
        return Fetched("refused", "", b"")
    except TimeoutError:
        return Fetched("timeout", "", b"")
    finally:
        conn.close()


def decode(fetched: Fetched) -> str:
    head = fetched.body[:400].decode("ascii", "replace").lower()
    charset = "gbk" if "charset=gbk" in fetched.content_type.lower() or 'charset="gbk"' in head \
        else "utf-8"
    return fetched.body.decode(charset)


def crawl(start: str, timeout: float) -> Crawl:
    """Breadth-first over one host:port; every out-of-scope target fetched once."""
    scope = urlsplit(start).netloc
    result, queue = Crawl(), [start]
    while queue:
        url = queue.pop()
        if url in result.pages:
            continue
        fetched = fetch(url, timeout)
        result.pages[url] = fetched
        if fetched.status != 200 or not fetched.content_type.startswith(FOLLOWED):
            continue
        text = decode(fetched)
        if "页面不存在" in text:
            continue
        for groups in LINK.findall(text):
            target = urldefrag(urljoin(url, html.unescape(next(g for g in groups if g))))[0]
            result.linked_from.setdefault(target, set()).add(url)
            if urlsplit(target).netloc == scope:
                queue.append(target)
            elif target not in result.targets:
                result.targets[target] = fetch(target, timeout)
    return result


def page_text(fetched: Fetched) -> str:
    return html.unescape(TAG.sub(" ", decode(fetched)))
