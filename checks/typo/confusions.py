"""Real-word confusions a character model cannot judge, as context rules (``wording-suspect``).

的/地/得, 做/作, 在/再, 象/像 and 已/以 are all frequent characters, each right in most
places; only the words around them tell a slip (完成的很好, 再此基础上, 好象, 以经) from
correct use. Each rule is a pattern whose group ``x`` is the wrong character (or word), a
suggestion ("…" stands for the rest of the wrong string), and a short Chinese note. Rules match only where the reading is
unambiguous: a warning that is wrong half the time teaches editors to ignore it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HAN = "\u4e00-\u9fff"
# Verbs whose result or degree is told with 得: 完成得很好, 落实得不够.
_DEGREE_VERBS = (
    "完成|落实|执行|开展|推进|推动|贯彻|实施|整改|处理|解决|准备|组织|安排|表现|进展|发展|"
    "增长|建设|管理|做|干|办|搞|抓|学|写|说|讲|跑|走|变|来|过|活|睡|吃|想|看|听|记|长"
)
_DEGREES = "很|十分|非常|比较|相当|越来越|特别|更加|更|太|不够|不太|不错|不好"
# Adverbs that only ever modify verbs: 不断地推进 (never 不断的 + verb).
_ADVERBS = "不断|逐步|逐渐|日益|稳步|切实|坚决|持续|扎实|有序|尽快|全力|深入"
_VERBS = (
    "推进|推动|开展|落实|实施|加强|提高|提升|解决|做好|完成|贯彻|执行|发挥|促进|增强|改善|"
    "扩大|优化|深化|完善|强化|规范|健全|加快|推广|探索|创新|整改|落地|发展|增长|减少|降低"
)
# The nouns 象 keeps in modern usage (现象, 形象, 象征): never read as 像 there.
_XIANG_NOUN = "形现印气对景抽想意表迹假物具脉卦乱镜万星天"


@dataclass(frozen=True)
class ConfusionRule:
    name: str
    pattern: re.Pattern[str]
    suggestion: str
    note: str


@dataclass(frozen=True)
class ConfusionHit:
    start: int
    end: int
    wrong: str
    suggestion: str
    rule: str
    note: str


def _rule(name: str, pattern: str, suggestion: str, note: str) -> ConfusionRule:
    return ConfusionRule(name, re.compile(pattern), suggestion, note)


RULES: tuple[ConfusionRule, ...] = (
    _rule("de-degree", rf"(?:{_DEGREE_VERBS})(?P<x>的)(?:{_DEGREES})", "得",
          "动词后接程度补语用“得”（完成得很好）"),
    _rule("de-adverbial", rf"(?:{_ADVERBS})(?P<x>的)(?:{_VERBS})(?![{_HAN}]?(?:作用|效果|意义|成效))",
          "地", "状语修饰动词用“地”（不断地推进）"),
    _rule("zuo-as", r"(?P<x>做为)(?!止)", "作为", "“作为”不写作“做为”"),
    _rule("zuo-well", r"(?P<x>作好)(?=[^\s，。；、]|$)", "做好", "“做好”不写作“作好”"),
    _rule("zai-again", rf"(?P<x>在)(?=次(?![日年月晨夜])[{_HAN}]|三强调|三要求|接再厉|度[{_HAN}])",
          "再", "表示重复用“再”（再次、再三、再接再厉）"),
    _rule("zai-at", r"(?P<x>再)(?=(?:此|这|新的|原有|现有|已有)(?:个)?(?:基础|前提|背景|过程|期间)上?)",
          "在", "表示处所、范围用“在”（在此基础上）"),
    _rule("xiang-like", rf"(?<![{_XIANG_NOUN}])(?P<x>象)(?=(?:这样|那样|这种|那种|这些|那些|一样|似的|是在|话))",
          "像", "表示比拟、举例用“像”（像这样）"),
    _rule("xiang-seem", r"(?:好|就|很|真|不)(?P<x>象)(?![征棋牙形])", "像", "“好像”“就像”用“像”"),
    # 以经核实的数据 is 以 + 经 (by way of): a 的 closing the phrase marks it.
    _rule("yi-already", r"(?P<x>以经)(?![济营验过费典销纬常手办历理贸商])(?![^，。；、！？]{0,8}的)",
          "已经", "“已经”不写作“以经”"),
    _rule("yi-since", r"(?:年|月|世纪|以后|开始|开放|成立|建国|解放|上任|实施)(?P<x>已来)", "以来",
          "表示时间起点用“以来”"),
    _rule("yi-above", r"(?:[0-9０-９]|[一二三四五六七八九十百千万亿])(?:[个名人户家项元岁年度级倍])?"
          r"(?P<x>已[上下])(?![报传交缴市线岗架调升涨述列达发载降放])", "以…", "表示数量界限用“以上”“以下”"),
    _rule("yi-purpose", r"(?P<x>已便)(?![捷利民宜])", "以便", "“以便”不写作“已便”"),
    _rule("yi-and", r"(?P<x>已及)(?![时早])", "以及", "“以及”不写作“已及”"),
    _rule("yi-long", r"(?:由来|期待|蓄谋|酝酿)(?P<x>以久)", "已久", "“由来已久”用“已”"),
)


def find_confusions(text: str) -> list[ConfusionHit]:
    """Every match of every rule, in text order."""
    hits = []
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            wrong = match.group("x")
            # "…" in a suggestion stands for the rest of the wrong string (已上 -> 以上).
            suggestion = rule.suggestion.replace("…", wrong[1:])
            hits.append(ConfusionHit(match.start("x"), match.end("x"), wrong, suggestion,
                                     rule.name, rule.note))
    return sorted(hits, key=lambda h: (h.start, h.rule))
