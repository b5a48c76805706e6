"""Context rules for the suspect pairs (截止/截至, 必需/必须, 做出/作出).

A lexicon hit on one of these terms is reported only when the text around it makes the
other word of the pair likely; the rule's ``suggestion`` replaces the lexicon's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Predicate = Callable[[str, int, int], bool]

# 截止 directly before a point in time (截止2023年底, 截止12月31日, 截止目前) means 截至.
_DATE_AHEAD = re.compile(
    r"[\s\u3000]*(?:\d{1,4}\s*[年月日号\-./]|[〇零一二两三四五六七八九十]{1,4}[年月日]|"
    r"(?:19|20)\d\d|目前|当前|今年|去年|本年|上年|今天|今日|本月|上月|年底|年末|月底|月末|"
    r"发稿|本周|上周|现在|昨日|昨天|日前)"
)
_NOT_VERB_AFTER = set("的品之物和与及或、。，；：！？”）)\n ")
# Abstract objects that take 作出 in official writing (作出决定, 作出重要贡献).
_ABSTRACT = re.compile(
    r"决定|决策|部署|贡献|规定|安排|承诺|回应|答复|解释|批示|判决|裁决|评价|选择|努力|调整|"
    r"处理|处罚|处分|说明|结论|指示|反应|让步|牺牲|表率|榜样|成绩|成就|判断|认定|决议|结论"
)
_CLAUSE_END = re.compile(r"[。，；：！？,;!?\n]")


def _before_date(text: str, start: int, end: int) -> bool:
    return _DATE_AHEAD.match(text, end) is not None


def _before_verb(text: str, start: int, end: int) -> bool:
    """必需 used where 必须 belongs: followed by a verb, not by 品/的, not after 所."""
    if end >= len(text) or text[end] in _NOT_VERB_AFTER or not "\u4e00" <= text[end] <= "\u9fff":
        return False
    return start == 0 or text[start - 1] not in "所为是"


def _before_pin(text: str, start: int, end: int) -> bool:
    return text[end:end + 1] == "品"


def _abstract_object(text: str, start: int, end: int) -> bool:
    ahead = text[end:end + 10]
    stop = _CLAUSE_END.search(ahead)
    return _ABSTRACT.search(ahead[: stop.start()] if stop else ahead) is not None


def not_department(text: str, start: int, end: int) -> bool:
    """An agency name ending in 部 followed by 门 is the common noun 部门 (环境保护部门)."""
    return text[end:end + 1] != "门"


@dataclass(frozen=True)
class ContextRule:
    term: str
    suggestion: str
    applies: Predicate


CONTEXT_RULES = (
    ContextRule("截止", "截至", _before_date),
    ContextRule("必需", "必须", _before_verb),
    ContextRule("必须", "必需", _before_pin),
    ContextRule("做出", "作出", _abstract_object),
)
