"""Context rules for real-word confusions: each rule fires on its slip and not on correct use."""

from __future__ import annotations

import pytest

from checks.typo.confusions import RULES, find_confusions

# (rule, sentence with the slip, the wrong string, its suggestion, the same sentence corrected
# or another correct use the rule must leave alone)
CASES = [
    ("de-degree", "今年的防汛工作完成的很好，未发生人员伤亡。", "的", "得",
     "今年的防汛工作完成得很好，未发生人员伤亡。"),
    ("de-degree", "各项整改任务落实的不够到位。", "的", "得", "各项整改任务落实得不够到位。"),
    ("de-adverbial", "要不断的推进基层治理现代化。", "的", "地", "要不断地推进基层治理现代化。"),
    ("de-adverbial", "逐步的完善长效机制。", "的", "地", "充分发挥示范区持续的推动作用。"),
    ("zuo-as", "做为试点单位，我区率先完成改革。", "做为", "作为", "作为试点单位，我区率先完成改革。"),
    ("zuo-well", "各单位要作好汛期值班工作。", "作好", "做好", "各单位要做好汛期值班工作。"),
    ("zai-again", "会议在次强调要压实责任。", "在", "再", "会议在次日上午召开。"),
    ("zai-again", "希望大家在接再厉，争创佳绩。", "在", "再", "希望大家再接再厉，争创佳绩。"),
    ("zai-at", "再此基础上，制定实施细则。", "再", "在", "在此基础上，制定实施细则。"),
    ("xiang-like", "象这样的典型要及时总结推广。", "象", "像", "这种现象这样下去不行。"),
    ("xiang-seem", "报表数据好象有误，请核实。", "象", "像", "树立良好形象，不断提升服务水平。"),
    ("xiang-seem", "就象老师说的那样。", "象", "像", "这是文化自信的重要象征。"),
    ("yi-already", "该项目以经完成竣工验收。", "以经", "已经", "坚持以经济建设为中心。"),
    ("yi-already", "整改工作以经全部完成。", "以经", "已经", "统计数据应当以经审核的报表为准。"),
    ("yi-since", "2018年已来，全市新增就业岗位三万个。", "已来", "以来",
     "2018年以来，全市新增就业岗位三万个。"),
    ("yi-above", "60岁已上老人可免费乘车。", "已上", "以上", "相关材料已上报市政府。"),
    ("yi-above", "三级已下医疗机构参照执行。", "已下", "以下", "通知已下发各乡镇。"),
    ("yi-purpose", "请提前报送名单，已便统筹安排。", "已便", "以便", "办事已便捷很多。"),
    ("yi-and", "住房、医疗已及教育等民生领域。", "已及", "以及", "问题已及时整改到位。"),
    ("yi-long", "这一问题由来以久。", "以久", "已久", "这一问题由来已久。"),
]


@pytest.mark.parametrize(("rule", "wrong_text", "wrong", "suggestion", "correct"), CASES)
def test_rule_fires_on_the_slip_and_not_on_correct_use(
    rule: str, wrong_text: str, wrong: str, suggestion: str, correct: str,
) -> None:
    hits = [h for h in find_confusions(wrong_text) if h.rule == rule]
    assert len(hits) == 1, hits
    hit = hits[0]
    assert wrong_text[hit.start:hit.end] == hit.wrong == wrong
    assert hit.suggestion == suggestion
    assert hit.note
    assert find_confusions(correct) == []


def test_every_rule_has_a_case() -> None:
    assert {r.name for r in RULES} == {case[0] for case in CASES}


def test_official_sentences_without_slips_are_left_alone() -> None:
    text = ("为进一步做好新时代老干部工作，现将有关事项通知如下：一、提高思想认识。各地要把这项工作"
            "作为重要政治任务，在实践中不断完善工作机制，以实际行动推动各项决策部署落地见效。"
            "二、本办法自印发之日起施行，以往规定与本办法不一致的，以本办法为准。")
    assert find_confusions(text) == []
