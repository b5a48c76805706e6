"""Chinese labels and value formats for every evidence key the rules in checks/ write.

Office workers read these; no key name, English remark or server path may reach the page.
Keys listed in HIDDEN are internal (used elsewhere on the page, or meaningless to a reader).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

# Failure classes of crawler/outcome.py (links) and scheduler/probe.py (homepage probes).
FAILURE_LABELS = {
    "404": "页面不存在(404)", "410": "已删除(410)", "400": "请求错误(400)",
    "403": "禁止访问(403)", "429": "请求过多(429)", "5xx": "服务器错误(5xx)",
    "4xx": "访问被拒绝(4xx)", "soft404": "软404(页面显示不存在)", "dns": "域名解析失败",
    "refused": "连接被拒绝", "timeout": "连接超时", "tls": "证书/TLS错误",
    "error": "其他访问错误", "too-large": "文件过大(未完整下载)", "robots": "网站 robots 协议禁止访问",
    # crawler/refusals.py and crawler/traps.py (issue 13)
    "redirect-loop": "循环跳转", "too-many-redirects": "跳转次数过多", "refresh-loop": "自动刷新循环",
    "bomb": "压缩内容异常(解压后过大)", "trap": "疑似无限生成的链接(未抓取)", "ignored": "未检查",
}
TAG_LABELS = {
    "a": "链接", "area": "图片热区链接", "img": "图片", "source": "图片/媒体", "script": "脚本",
    "link": "样式表", "iframe": "内嵌框架", "frame": "框架", "meta-refresh": "自动跳转",
    "video": "视频", "audio": "音频", "embed": "嵌入内容", "object": "嵌入内容",
}
COLUMN_TYPES = {"news": "动态要闻类", "notice": "通知公告政策类", "must_update": "应更新类",
                "other": "其他"}
DOC_KINDS = {"page": "网页", "attachment": "附件", "post": "新媒体文章"}
WHERE_LABELS = {"title": "标题", "text": "正文"}
PLATFORMS = {"wechat": "微信公众号", "weibo": "微博", "douyin": "抖音", "toutiao": "今日头条",
             "other": "其他平台"}
# The remarks the built-in lexicon carries in English after a suggestion.
NOTE_PHRASES = (
    ("before a date", "用于日期之前"), ("before a verb", "用于动词之前"),
    ("with abstract objects", "搭配抽象事物"), ("for post-1949 Taiwan", "指 1949 年以后的台湾"),
)

HIDDEN = frozenset({
    "context", "before", "match", "after", "status", "failure", "sources", "source",
    "source_count", "footer_chars", "page_title",
})

LABELS = {
    "attempts": "尝试次数", "in_scope": "本站链接", "on_homepage": "首页上的链接",
    "redirects": "跳转经过", "published": "发布日期", "newest": "最近更新日期",
    "age_days": "距今天数", "window_days": "更新时限（天）", "items": "首页信息条数",
    "dated_items": "其中带日期的条数", "type": "栏目类型", "entries": "栏目信息条数",
    "top_level": "一级栏目", "placeholder": "页面提示文字",
    "stale_news_notice_top": "不更新的一级动态/通知栏目数", "stale_all": "不更新栏目总数",
    "blank": "空白栏目数", "stale_columns": "不更新的栏目", "blank_columns": "空白栏目",
    "probes": "探测次数", "failed": "失败次数", "ratio": "失败比例", "threshold": "判定标准",
    "failures": "失败原因", "worst_hours": "失败集中时段", "asked": "提问日期",
    "replied": "答复日期", "days": "历时天数", "limit_days": "答复时限（天）",
    "missing": "缺少的标识", "present": "已有的标识", "footer": "页脚文字",
    "count": "出现次数", "where": "出现位置", "kind": "内容类型", "lexicon": "词库",
    "found_by": "发现方式", "score": "置信度", "typo_kind": "疑似错误类型",
    "since": "适用于此日期及以后发布的内容", "note": "说明", "linked_from": "引用此文件的页面",
    "posts": "已采集文章数", "platform": "平台", "column": "栏目", "page": "所在页面",
    "pages": "所在页面", "dates": "日期", "masked": "已脱敏", "status": "状态",
    # content obligations (checks/annual_report.py, interpretation.py, repost.py)
    "year": "报告年度", "deadline": "发布期限", "relations": "不成立的关系", "cell": "表格位置",
    "value": "报告数值", "expected": "按其他数值应为", "written": "成文日期",
    "number": "文号", "working_days": "已过工作日", "interpretation": "解读",
    "interpretation_published": "解读发布日期", "limit_working_days": "时限（工作日）",
    "form": "解读形式", "how": "匹配方式", "source_published": "上级发布日期",
    "reposted": "本站转载日期", "reposted_url": "本站转载页面", "limit_hours": "时限（小时）",
    "page_title": "页面标题", "latest_entries": "最新条目（巡查所见）",
    "in_template": "位于网站模板（页头/页脚）",
}
# Keys whose meaning depends on the rule that wrote them.
RULE_LABELS = {
    "site-unreachable": {"window_days": "监测天数"},
    "interaction-overdue": {"status": "留言状态"},
    "account-stale": {"newest": "最近发文日期"},
    "account-zombie": {"newest": "最近发文日期", "window_days": "判定天数"},
    "annual-report-missing": {"kind": "网站类型"},
    "annual-report-incomplete": {"kind": "网站类型", "missing": "缺少的内容"},
    "annual-report-inconsistent": {"kind": "网站类型"},
    "repost-late": {"source": "上级发布的信息", "days": "延迟天数"},
}
DATE_KEYS = frozenset({"published", "newest", "asked", "replied", "since", "dates", "deadline",
                       "written", "interpretation_published", "source_published", "reposted"})
SITE_KINDS = {"government": "政府门户网站", "department": "部门网站"}
FORMS = {"text": "文字", "image": "图解", "video": "视频", "audio": "音频", "h5": "H5"}
MATCHED_BY = {"link": "相互链接", "number": "文号", "title": "标题"}
UNKNOWN_LABEL = "其他信息"


def label(rule: str, key: str) -> str:
    return RULE_LABELS.get(rule, {}).get(key) or LABELS.get(key, UNKNOWN_LABEL)


def failure_label(failure: str) -> str:
    if failure in FAILURE_LABELS:
        return FAILURE_LABELS[failure]
    return f"HTTP 错误({failure})" if failure.isdigit() else failure


def _date(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    return text[:10] if re.match(r"\d{4}-\d\d-\d\d", text) else text


def _percent(value: Any) -> str:
    return f"{float(value):.1%}" if isinstance(value, int | float) else plain(value)


TYPO_SOURCES = {"lexicon": "错敏词库", "model": "错别字统计模型", "context": "上下文规则"}
TYPO_KINDS = {"sound": "同音字", "near": "近音字", "shape": "形近字", "word": "同音词"}


def _lexicon(value: Any) -> str:
    """``/srv/.../checks/lexicons/builtin.tsv:84`` -> 内置词库; a user's file by name only;
    the typo detector's hits (``model``, ``context:RULE``) by what found them."""
    if str(value) == "model" or str(value).startswith("context:"):
        return TYPO_SOURCES[str(value).partition(":")[0]]
    path, _, line = str(value).rpartition(":")
    if not line.isdigit():
        path, line = str(value), ""
    name = PurePath(path).name
    if name == "builtin.tsv" and PurePath(path).parent.name == "lexicons":
        return "内置词库"
    return f"{name} 第 {line} 行" if line else name


def _note(value: Any) -> str:
    text = plain(value)
    for english, chinese in NOTE_PHRASES:
        if text.startswith(english):
            rest = text[len(english):].lstrip(" :：")
            return f"{chinese}：{rest}" if rest else chinese
    return text


def _failures(value: Any) -> str:
    if not isinstance(value, Mapping):
        return plain(value)
    return "、".join(f"{failure_label(str(k))} {v} 次" for k, v in value.items())


def _hours(value: Any) -> str:
    parts = []
    for entry in value if isinstance(value, list | tuple) else ():
        if isinstance(entry, Mapping):
            parts.append(f"{entry.get('hour', '?')} 时（失败 {entry.get('failed', '?')}"
                         f"/{entry.get('probes', '?')} 次）")
    return "、".join(parts)


def _relations(value: Any) -> str:
    """Annual-report relations as 关系（左 x，右 y）, one after another."""
    parts = []
    for entry in value if isinstance(value, list | tuple) else ():
        if isinstance(entry, Mapping):
            parts.append(f"{entry.get('relation', '')}（左边 {entry.get('left', '')}，"
                         f"右边 {entry.get('right', '')}）")
    return "；".join(parts)
def _entries(value: Any) -> str:
    """[{title, date, url}] -> "2024-03-01 标题；2024-02-20 标题"."""
    parts = []
    for entry in value if isinstance(value, list | tuple) else ():
        if isinstance(entry, Mapping):
            parts.append(" ".join(p for p in (_date(entry.get("date") or ""),
                                              plain(entry.get("title"))) if p))
    return "；".join(p for p in parts if p)


def _lookup(table: Mapping[str, str]) -> Callable[[Any], str]:
    return lambda value: table.get(str(value), plain(value))


def plain(value: Any) -> str:
    """Booleans as 是/否, lists joined with 、, mappings as 键：值 pairs; never JSON."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return "；".join(f"{k}：{plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return "、".join(plain(v) for v in value)
    if isinstance(value, datetime | date):
        return _date(value)
    return str(value)


FORMATS: dict[str, Callable[[Any], str]] = {
    **dict.fromkeys(DATE_KEYS, lambda v: "、".join(_date(x) for x in v)
                    if isinstance(v, list | tuple) else _date(v)),
    "ratio": _percent, "threshold": _percent, "failures": _failures, "worst_hours": _hours,
    "lexicon": _lexicon, "note": _note, "latest_entries": _entries, "type": _lookup(COLUMN_TYPES),
    "found_by": _lookup(TYPO_SOURCES), "typo_kind": _lookup(TYPO_KINDS),
    "kind": _lookup({**DOC_KINDS, **SITE_KINDS}), "where": _lookup(WHERE_LABELS),
    "platform": _lookup(PLATFORMS), "form": _lookup(FORMS), "how": _lookup(MATCHED_BY),
    "relations": _relations,
    "redirects": lambda v: " → ".join(plain(x) for x in v) if isinstance(v, list | tuple)
    else plain(v),
}


def fact(rule: str, key: str, value: Any) -> tuple[str, str] | None:
    """The labelled, formatted entry; None for a key that has nothing to show."""
    if key == "replied" and value is None and rule == "interaction-overdue":
        return label(rule, key), "尚未答复"
    if value is None or value == "" or value == [] or value == {}:
        return None
    text = FORMATS.get(key, plain)(value)
    return (label(rule, key), text) if text else None
