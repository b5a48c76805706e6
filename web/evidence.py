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

_HIGHLIGHT_KEYS = ("context", "before", "match", "after")
_LINK_KEYS = ("status", "failure", "sources", "source", "redirects", "attempts")
_SCREENSHOT_KEYS = ("screenshot", "screenshot_path", "screenshot_url")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
LABELS = {
    "status": "HTTP 状态", "failure": "失败类型", "attempts": "尝试次数",
    "published": "发布日期", "newest": "最新日期", "age_days": "已过天数",
    "window_days": "时限（天）", "asked": "留言日期", "replied": "答复日期",
    "probes": "探测次数", "failed": "失败次数", "ratio": "失败比例", "dates": "日期",
    "column": "栏目", "page": "所在页面", "pages": "所在页面", "since": "生效日期",
    "redirects": "跳转", "masked": "已脱敏", "count": "数量",
}
FAILURE_LABELS = {
    "http_404": "404 页面不存在", "http_410": "410 已删除", "soft_404": "软 404（错误页）",
    "dns": "域名解析失败", "refused": "连接被拒绝", "timeout": "超时", "tls": "证书/TLS 错误",
    "http_5xx": "服务器错误", "http_403": "禁止访问", "http_429": "请求过多",
}


@dataclass(frozen=True)
class Highlight:
    before: str
    match: str
    after: str


@dataclass(frozen=True)
class EvidenceView:
    highlight: Highlight | None
    status: str
    failure: str
    sources: tuple[str, ...]
    screenshot: str  # "" | an http(s) URL | "local" (served by the item's screenshot route)
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


def _sources(evidence: Mapping[str, Any]) -> tuple[str, ...]:
    raw = evidence.get("sources", evidence.get("source", ()))
    if isinstance(raw, str):
        return (raw,)
    out = []
    for entry in raw if isinstance(raw, list | tuple) else ():
        url = entry.get("url") or entry.get("source") if isinstance(entry, Mapping) else entry
        if url:
            out.append(_text(url))
    return tuple(out)


def screenshot_path(evidence: Mapping[str, Any]) -> str:
    for key in _SCREENSHOT_KEYS:
        value = evidence.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def _screenshot(evidence: Mapping[str, Any]) -> str:
    value = screenshot_path(evidence)
    if value.startswith(("http://", "https://")):
        return value
    return "local" if value.lower().endswith(IMAGE_SUFFIXES) else ""


def evidence_view(item: ItemView) -> EvidenceView:
    evidence = item.evidence
    used = set(_HIGHLIGHT_KEYS) | set(_LINK_KEYS[:4]) | set(_SCREENSHOT_KEYS)
    failure = _text(evidence.get("failure"))
    facts = tuple(
        (LABELS.get(key, key), _text(value))
        for key, value in evidence.items() if key not in used and value not in (None, "")
    )
    return EvidenceView(
        highlight=_highlight(evidence, item.text),
        status=_text(evidence.get("status")),
        failure=FAILURE_LABELS.get(failure, failure),
        sources=_sources(evidence),
        screenshot=_screenshot(evidence),
        facts=facts,
    )
