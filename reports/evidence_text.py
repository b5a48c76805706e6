"""A finding's evidence as one plain text for a spreadsheet cell (the export's 证据 column)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_LABELS = {
    "status": "HTTP 状态", "failure": "访问结果", "attempts": "尝试次数",
    "published": "发布日期", "newest": "最新条目日期", "age_days": "距今天数",
    "window_days": "时限（天）", "probes": "探测次数", "failed": "失败次数", "ratio": "失败比例",
    "asked": "提问日期", "replied": "答复日期", "days": "天数", "last_post": "最近发布",
    "lexicon": "词库", "score": "置信度", "source": "来源", "missing": "缺少",
    "in_template": "位于网站模板（页头/页脚）", "latest_entries": "最新条目（巡查所见）",
}
# page_title: the 问题描述 column names it already.
_SKIP = {"before", "match", "after", "sources", "source_count", "on_homepage", "in_scope",
         "page_title"}
MAX_CHARS = 1000  # one cell stays readable; the web page has the rest


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(_plain(v) for v in value[:5]) + (" …" if len(value) > 5 else "")
    if isinstance(value, Mapping):
        return "，".join(f"{k}={_plain(v)}" for k, v in value.items())
    return str(value)


def _sources(evidence: Mapping[str, Any]) -> str:
    sources = evidence.get("sources") or []
    count = evidence.get("source_count") or len(sources)
    if not sources:
        return ""
    first = sources[0]
    page = first.get("page", "") if isinstance(first, Mapping) else str(first)
    anchor = first.get("anchor", "") if isinstance(first, Mapping) else ""
    more = f"等 {count} 个页面" if count and count > 1 else ""
    return f"出现在：{page}{more}" + (f"（链接文字“{anchor}”）" if anchor else "")


def _entries(value: Any) -> str:
    """[{title, date, url}] -> "2026-10-01 标题、2026-09-20 标题"."""
    return "、".join(f"{e.get('date', '')} {e.get('title', '')}".strip()
                    for e in value if isinstance(e, Mapping))


def evidence_text(evidence: Mapping[str, Any]) -> str:
    """Context around a hit, where a link appears, then the other facts as 名称：值."""
    parts: list[str] = []
    if evidence.get("match"):
        parts.append(f"…{evidence.get('before', '')}【{evidence['match']}】"
                     f"{evidence.get('after', '')}…")
    if evidence.get("on_homepage"):
        parts.append("位于首页")
    where = _sources(evidence)
    if where:
        parts.append(where)
    for key, value in evidence.items():
        if key in _SKIP or value in (None, "", [], {}):
            continue
        shown = _entries(value) if key == "latest_entries" else _plain(value)
        parts.append(f"{_LABELS.get(key, key)}：{shown}")
    text = "；".join(parts)
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 1] + "…"
