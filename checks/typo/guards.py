"""Where a wrong-character hit must never be reported.

False alarms on correct official text come mostly from names and fixed codes that no
language model knows: people, companies, places, document numbers (文号), abbreviations,
amounts in capital numerals (大写数字) and the titles of works. Each guard marks the
characters it protects; the detector reports no hit that touches a protected character.
Short Han runs (menus, table cells) and rare characters are handled by the detector.
Each guard costs recall inside what it protects (a slip inside a quoted slogan is missed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The commonest surnames (about 95 % of the population), for names next to a title.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_TITLES = (
    "同志|书记|副书记|主任|副主任|市长|副市长|县长|副县长|区长|副区长|乡长|镇长|村长|主席|副主席|"
    "部长|副部长|厅长|副厅长|局长|副局长|处长|科长|所长|站长|院长|校长|经理|董事长|总经理|委员|"
    "常委|秘书长|会长|理事长|主委|组长|队长|警官|法官|检察官|先生|女士|老师|教授|院士|研究员|"
    "医生|律师|记者|通讯员|编辑|摄影|审核|责编|一行|等人|指出|强调|表示|会见|会晤|出席|调研|考察|"
    "看望|慰问|致辞|发言|主持召开"
)
# "市委书记王小明", "王小明同志", "记者 王小明": the name is 2-3 characters beside the title.
_NAME_BEFORE_TITLE = re.compile(rf"([{''.join(SURNAMES)}][\u4e00-\u9fff]{{1,2}})(?:{_TITLES})")
_NAME_AFTER_TITLE = re.compile(
    rf"(?:{_TITLES}|[:：])[\s\u3000]*([{''.join(SURNAMES)}][\u4e00-\u9fff]{{1,2}})"
)
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,10}[〔\[［(（【]\s*(?:19|20)\d\d\s*[〕\]］)）】]\s*第?\s*\d+\s*号"
)
# A place name is the two characters before a settlement's unit (王家村, 城关镇, 幸福社区),
# unless they are a common noun's head (农村, 各乡镇) ...
_PLACE = re.compile(
    r"(?!城乡|城镇|新农|新城)([^\W\d_a-zA-Z农乡山渔全各本该每整][\u4e00-\u9fff])"
    r"(?=村民委员会|居民委员会|村委会|居委会|社区|村|镇|乡|街道|嘎查|苏木)"
)
# ... and a street with its number (中山路12号).
_STREET = re.compile(r"[\u4e00-\u9fff]{2,4}(?:大道|路|街|巷|弄)(?=\s*[0-9０-９一二三四五六七八九十]+\s*号)")
# ... and the roads of a list or a route (锡澄路、澄张线-滨江东路).
_ROUTE = re.compile(
    r"(?:(?<=[、\-—–/→~～])|(?<=^))([\u4e00-\u9fff]{1,5}(?:路|线|大道|大街|街|桥|隧道|高速|公路))"
    r"(?=[、\-—–/→~～，。；]|$)", re.MULTILINE
)
_COMPANY = re.compile(
    r"[\u4e00-\u9fff]{2,12}?(?:股份有限公司|有限责任公司|有限公司|分公司|集团|合作社|事务所|"
    r"工作室|商行|经营部|门市部|加工厂|个体工商户)"
)
# Clinics, shops and schools carry a trade name of two characters (博视眼科医院).
_INSTITUTION = re.compile(
    r"([\u4e00-\u9fff]{2})(?=(?:眼科|口腔|中医|妇产|妇幼|儿童|骨科|皮肤|美容|整形|康复|体检)?"
    r"(?:医院|诊所|门诊部|卫生院|药店|药房|大药房|体检中心|幼儿园|培训学校|酒店|宾馆|超市|饭店))"
)
_CAPITAL_NUMERALS = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整]{2,}")
# A short term in quotation marks is a coined name or slogan (“放管服”, “一岛两窗三区”).
_QUOTED_TERM = re.compile(r"[“\"「]([^“”\"「」\n]{2,8})[”\"」]")
_TITLE_QUOTED = re.compile(r"《([^《》\n]{1,80})》|〈([^〈〉\n]{1,80})〉")
# A quoted title naming an official document is checked like running text; one naming a
# book, film, song or column is left alone (its wording may be deliberate).
_OFFICIAL_TITLE = re.compile(
    r"关于|通知|决定|办法|条例|规定|意见|方案|规划|报告|纲要|细则|公告|通告|通报|批复|函|法|规则|"
    r"标准|指南|目录|清单|计划|要点|制度|章程|协定|公约|决议|命令|令"
)
_ABBREVIATION = re.compile(
    r"[京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川蜀黔贵滇云陕秦甘陇青宁新藏桂蒙港澳台]"
    r"(?:委办|政办|府办|委|政|府|办|人大|政协|纪委|组|宣|统|编|财|教|卫|公|检|法)(?=[发办函字〔\[［(（【电])"
)

# Fixed frames of official and statistical writing whose characters are right by the frame,
# however unusual the words inside: a ranking (居全省第一, 居全国前列), the 以…为准 frame
# (以年报核定数据为准), and the policy slogans made of a verb and 企 (助企, 惠企, 稳企).
_RANKING = re.compile(
    r"居(?=(?:全国|全省|全市|全区|全县|全州|同类|同级|首位|前列|榜首|第\s*[一二三四五六七八九十0-9]))")
_FRAME = re.compile(
    r"以(?=[^，。；！？\n]{1,12}?为(?:准|主|依据|基础|核心|重点|目标|导向|抓手|载体|契机|引领|统领|指导|依托))")
_POLICY_SLOGAN = re.compile(r"[助惠援稳兴强护暖利安便纾扶育]企")


def _spans(pattern: re.Pattern[str], text: str, group: int = 0) -> Iterable[tuple[int, int]]:
    for match in pattern.finditer(text):
        if match.group(group) is not None:
            yield match.start(group), match.end(group)


def _titles(text: str) -> Iterable[tuple[int, int]]:
    for match in _TITLE_QUOTED.finditer(text):
        group = 1 if match.group(1) is not None else 2
        if not _OFFICIAL_TITLE.search(match.group(group)):
            yield match.start(group), match.end(group)


def _names(text: str, names: frozenset[str], longest: int = 8) -> Iterable[tuple[int, int]]:
    """Occurrences of gazetteer and person/organisation names of the packaged lexicon."""
    for run in re.finditer(r"[\u4e00-\u9fff]{2,}", text):
        start, value = run.start(), run.group()
        for i in range(len(value) - 1):
            for n in range(min(longest, len(value) - i), 1, -1):
                if value[i:i + n] in names:
                    yield start + i, start + i + n
                    break


def protected(text: str, names: frozenset[str] = frozenset()) -> bytearray:
    """1 for every character no hit may touch, else 0."""
    mask = bytearray(len(text))
    spans: list[Iterable[tuple[int, int]]] = [
        _spans(_NAME_BEFORE_TITLE, text, 1), _spans(_NAME_AFTER_TITLE, text, 1),
        _spans(_DOC_NUMBER, text), _spans(_PLACE, text, 1), _spans(_STREET, text), _spans(_ROUTE, text, 1),
        _spans(_COMPANY, text), _spans(_INSTITUTION, text, 1),
        _spans(_CAPITAL_NUMERALS, text), _spans(_ABBREVIATION, text), _titles(text),
        _spans(_QUOTED_TERM, text, 1), _spans(_RANKING, text), _spans(_FRAME, text),
        _spans(_POLICY_SLOGAN, text),
        _names(text, names),
    ]
    for group in spans:
        for start, end in group:
            mask[start:end] = b"\x01" * (end - start)
    return mask
