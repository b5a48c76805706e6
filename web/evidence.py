"""An item's evidence mapping turned into plain parts the item page shows.

Everything here stays text: the template escapes it, and the match is wrapped in
``<mark>`` by the template, never by building HTML strings from crawled data.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rectification.views import ItemView
from web.evidence_labels import HIDDEN, TAG_LABELS, fact, failure_label

SOURCES_SHOWN = 50


@dataclass(frozen=True)
class Highlight:
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Source:
    page: str
    anchor: str  # the link's text on that page, "" when it has none
    kind: str  # what refers to the target: 链接, 图片, 脚本…


@dataclass(frozen=True)
class EvidenceView:
    highlight: Highlight | None
    outcome: str  # how fetching the URL failed, status and failure class in one phrase
    sources: tuple[Source, ...]  # at most SOURCES_SHOWN pages
    source_total: int
    facts: tuple[tuple[str, str], ...]  # every other evidence entry, labelled


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping | list | tuple):
        return json.dumps(_plain(value), ensure_ascii=False)
    return "" if value is None else str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _highlight(evidence: Mapping[str, Any], text: str | None) -> Highlight | None:
    if "match" in evidence:
        return Highlight(
            _text(evidence.get("before")), _text(evidence["match"]), _text(evidence.get("after"))
        )
    context = _text(evidence.get("context"))
    if not context:
        return None
    if text and text in context:
        before, _, after = context.partition(text)
        return Highlight(before, text, after)
    return Highlight(context, "", "")


def _sources(evidence: Mapping[str, Any]) -> tuple[list[Source], int]:
    """Distinct referring pages (first anchor text of each) and how many there are in all.

    Link findings store ``sources`` as {page, tag, anchor} entries and ``source_count``;
    a bare URL string (or a list of them) is accepted too.
    """
    raw = evidence.get("sources", evidence.get("source", ()))
    entries = [raw] if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else []
    pages: dict[str, Source] = {}
    for entry in entries:
        if isinstance(entry, Mapping):
            page = _text(entry.get("page") or entry.get("url") or entry.get("source"))
            anchor = " ".join(_text(entry.get("anchor")).split())
            tag = _text(entry.get("tag"))
        else:
            page, anchor, tag = _text(entry), "", ""
        if not page:
            continue
        known = pages.get(page)
        if known is None or (anchor and not known.anchor):
            pages[page] = Source(page, anchor, TAG_LABELS.get(tag, ""))
    count = evidence.get("source_count")
    total = count if isinstance(count, int) and count >= len(pages) else len(pages)
    return list(pages.values()), total


def _http_outcome(evidence: Mapping[str, Any]) -> str:
    """"页面不存在(404)", "服务器错误(5xx)，HTTP 503", "HTTP 502": status and failure once."""
    status, failure = evidence.get("status"), _text(evidence.get("failure"))
    text = failure_label(failure) if failure else ""
    if status not in (None, "") and str(status) not in text:
        text = f"{text}，HTTP {status}" if text else f"HTTP {status}"
    return text


def _is_http(evidence: Mapping[str, Any]) -> bool:
    status = evidence.get("status")
    return bool(evidence.get("failure")) or isinstance(status, int) and not isinstance(status, bool)


def evidence_view(item: ItemView) -> EvidenceView:
    evidence = item.evidence
    http = _is_http(evidence)
    facts = []
    for key, value in evidence.items():
        if key in HIDDEN and not (key == "status" and not http):
            continue
        entry = fact(item.rule, key, value)
        if entry:
            facts.append(entry)
    sources, total = _sources(evidence)
    return EvidenceView(
        highlight=_highlight(evidence, item.text),
        outcome=_http_outcome(evidence) if http else "",
        sources=tuple(sources[:SOURCES_SHOWN]),
        source_total=total,
        facts=tuple(facts),
    )
