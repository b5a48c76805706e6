"""Deterministic Chinese titles and bodies, from a vocabulary checked against the lexicon.

The vocabulary is deliberately plain: no term of the 错敏词 seed may appear in generated
text (a test scans every phrase), so the only wording findings are the planted ones.
"""

from __future__ import annotations

import random
from datetime import date

DISTRICT = "云溪区"
ORGS = (
    "区发展改革局", "区住房城乡建设局", "区交通运输局", "区水利局", "区商务局", "区应急管理局",
    "区司法局", "区民政局", "区退役军人事务局", "区医疗保障局", "区城市管理局", "区审计局",
    "区科技局", "区人力社保局", "区卫生健康局", "区文化和旅游局",
)
EVENTS = (
    "召开年度重点工作推进会", "开展安全生产专项检查", "举办业务能力提升培训班", "部署冬季防火工作",
    "推进老旧小区改造工作", "开展政务服务满意度调查", "召开党风廉政建设专题会议",
    "启动便民服务进社区活动", "组织防汛应急演练", "推进数字政府建设", "开展普法宣传进校园活动",
    "召开民生实事项目协调会", "开展食品安全联合检查", "举办就业招聘专场活动",
)
TOPICS = (
    "安全生产", "城市更新", "政务服务", "垃圾分类", "乡村振兴", "营商环境", "民生实事",
    "基层治理", "河湖长制", "义务教育", "养老服务", "公共文化",
)
SENTENCES = (
    "{org}召开专题会议，研究部署{topic}相关工作。",
    "会议指出，要坚持以人民为中心的发展思想，扎实推进各项任务落地见效。",
    "会议要求，各部门要压实工作责任，加强协调配合，确保工作取得实效。",
    "下一步，{org}将持续优化服务流程，不断提升群众的获得感和满意度。",
    "据了解，今年以来全区共完成{topic}项目{small}个，累计投入资金{money}万元。",
    "活动现场，工作人员通过发放宣传资料、现场解答等方式，向群众普及相关政策知识。",
    "此次检查覆盖全区{small}个街道和镇，共发现并整改问题{small2}处。",
    "与会人员围绕{topic}工作中的难点问题进行了深入交流，提出了具体意见建议。",
    "{org}主要负责同志表示，将以更高标准、更实举措推动{topic}工作提质增效。",
)
STATIC_TITLES = {"notice": "关于{topic}工作的通知", "must": "{year}年{topic}情况公开"}


def title(kind: str, article_id: int, seed: int, when: date) -> str:
    rng = random.Random(seed * 1_000_003 + article_id)
    org, event, topic = rng.choice(ORGS), rng.choice(EVENTS), rng.choice(TOPICS)
    if kind in STATIC_TITLES:
        return DISTRICT + STATIC_TITLES[kind].format(topic=topic, year=when.year)
    return DISTRICT.removesuffix("区") + org + event


def paragraphs(article_id: int, seed: int) -> list[str]:
    rng = random.Random(seed * 7_919 + article_id)
    org, topic = rng.choice(ORGS), rng.choice(TOPICS)
    chosen = [SENTENCES[0]] + rng.sample(SENTENCES[1:], 4)
    return [
        s.format(org=org, topic=topic, small=rng.randint(3, 60), small2=rng.randint(2, 90),
                 money=rng.randint(120, 9800))
        for s in chosen
    ]


def letter_title(number: int) -> str:
    topics = ("小区停车难问题", "学校周边交通安全", "道路照明设施损坏", "社区养老服务",
              "噪声扰民问题", "公交线路调整", "垃圾清运不及时", "雨污管网改造")
    return f"关于{topics[number % len(topics)]}的建议"
